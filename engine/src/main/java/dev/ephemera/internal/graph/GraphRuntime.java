package dev.ephemera.internal.graph;

import dev.ephemera.EphemeraException;
import dev.ephemera.internal.util.Chronicle;
import java.util.concurrent.CompletableFuture;

/**
 * JVM-wide readiness of temporary graphs: Chronicle Map's requirements are checked
 * ({@link Chronicle}), and its first map — over a second of class generation — is made in the
 * background when an engine starts, so the first {@code createTempGraph} does not pay for it.
 */
public final class GraphRuntime {
  private static CompletableFuture<Void> warmUp;

  private GraphRuntime() {}

  /** Starts the background warm-up once per JVM. */
  public static synchronized void warmUpInBackground() {
    if (warmUp != null || !Chronicle.COMPILER_PRESENT || Chronicle.missing() != null) {
      return;
    }
    Chronicle.configure();
    warmUp = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        new GraphMap(1024).close();
        warmUp.complete(null);
      } catch (RuntimeException | Error e) {
        warmUp.completeExceptionally(e);
      }
    }, "ephemera-graph-warm-up");
    t.setDaemon(true);
    t.start();
  }

  /**
   * Checks that graphs can be made here and waits for a warm-up in progress (making a map
   * meanwhile would only compete with it for the same class generation).
   */
  static void ready() {
    if (!Chronicle.COMPILER_PRESENT) {
      throw new EphemeraException("temporary graphs need the jdk.compiler module: Chronicle Map compiles classes"
          + " at run time; run on a full JDK (a JRE or a jlink image without jdk.compiler cannot hold graphs)");
    }
    Chronicle.configure();
    String missing = Chronicle.missing();
    if (missing != null) {
      throw new EphemeraException("temporary graphs need JVM flags that Chronicle Map requires on JDK 17+; missing: "
          + missing + " (see the README's \"JVM flags\")");
    }
    CompletableFuture<Void> w;
    synchronized (GraphRuntime.class) {
      w = warmUp;
    }
    if (w != null) {
      try {
        w.join();
      } catch (RuntimeException e) {
        // the warm-up failed: the map this caller makes will fail the same way, with its own stack
      }
    }
  }
}
