package dev.ephemera.internal.sql;

import java.util.ArrayList;

/**
 * What a transaction must undo to roll back, newest last: the old values of the session variables
 * it changed, the graph edits it made, anything else a session keeps outside H2. Savepoints
 * remember its size; rolling back to one undoes the newer entries in reverse.
 *
 * <p>A change and its entry are made under this object's lock (writers of session variables hold
 * it while they change the table), so the log's order is the change order even when threads race.
 */
public final class UndoLog {
  /** One step back. */
  @FunctionalInterface
  public interface Undo {
    void undo();
  }

  private final ArrayList<Undo> entries = new ArrayList<>();

  public synchronized void add(Undo u) {
    entries.add(u);
  }

  synchronized int size() {
    return entries.size();
  }

  /** Undoes, newest first, every entry from {@code mark} on, and forgets them. */
  synchronized void undoTo(int mark) {
    for (int i = entries.size() - 1; i >= mark; i--) {
      entries.remove(i).undo();
    }
  }
}
