package dev.ephemera.internal.graph;

import java.util.function.Supplier;

/**
 * The check a graph algorithm makes every {@value #EVERY} nodes it expands: set by the SQL
 * functions ({@code GRAPH_TRAVERSE}, …) for the length of one call, where it throws once the
 * statement that runs the call has been cancelled (its time limit passed, or the session was
 * killed), so one traversal of a large graph does not outlive its statement. Java callers of the
 * graph API have none: their calls run to the end. Per thread, because the algorithm runs on the
 * thread of the statement that called it.
 */
public final class GraphCheckpoint {
  /** Nodes expanded between two checks. */
  static final int EVERY = 4096;
  private static final ThreadLocal<Runnable> CURRENT = new ThreadLocal<>();

  private GraphCheckpoint() {}

  /** Runs {@code op} with {@code check} called every {@value #EVERY} nodes by the algorithms it runs. */
  public static <T> T during(Runnable check, Supplier<T> op) {
    Runnable outer = CURRENT.get();
    CURRENT.set(check);
    try {
      return op.get();
    } finally {
      if (outer == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(outer);
      }
    }
  }

  /** The check of the running call, or {@code null}. */
  static Runnable current() {
    return CURRENT.get();
  }

  /** Calls {@code check} (if any) when {@code count} is a multiple of {@link #EVERY}. */
  static void at(Runnable check, int count) {
    if (check != null && (count & (EVERY - 1)) == 0) {
      check.run();
    }
  }
}
