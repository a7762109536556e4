package dev.ephemera.internal;

import dev.ephemera.internal.util.Values;
import java.util.ArrayList;

/**
 * What a transaction must undo to roll back: the old values of the variables it changed (and,
 * through {@link SessionImpl#recordUndo}, anything else a session keeps outside H2), newest last.
 * Savepoints remember its size; rolling back to one undoes the newer entries in reverse.
 *
 * <p>Variable writes while a transaction is open change the table and append their entry under
 * this object's lock, so the log's order is the table's order even when threads race.
 */
final class UndoLog {
  /** One step back. */
  @FunctionalInterface
  interface Undo {
    void undo();
  }

  private final ArrayList<Undo> entries = new ArrayList<>();

  synchronized Object put(VarTable t, String key, Object value, long size, long maxBytes, boolean validate) {
    Object old = t.put(key, value, size, maxBytes, validate);
    entries.add(restore(t, key, old));
    return old;
  }

  synchronized Object remove(VarTable t, String key) {
    Object old = t.remove(key);
    if (old != VarTable.MISSING) {
      entries.add(restore(t, key, old));
    }
    return old;
  }

  synchronized void clear(VarTable t) {
    VarTable before = t.copy();
    t.clear();
    entries.add(() -> t.replaceWith(before));
  }

  synchronized void add(Undo u) {
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

  private static Undo restore(VarTable t, String key, Object old) {
    return old == VarTable.MISSING ? () -> t.remove(key) : () -> t.put(key, old, Values.sizeOf(old), Long.MAX_VALUE, false);
  }
}
