package dev.ephemera.internal;

import dev.ephemera.Names;
import dev.ephemera.ValueTooLargeException;
import dev.ephemera.internal.sql.UndoLog;
import dev.ephemera.internal.util.Values;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Map;
import java.util.TreeMap;

/**
 * A session's variables: a small open-addressing hash table (linear probing, keys and values
 * side by side in one array) that readers use without locking and writers under a sequence lock.
 *
 * <p>Readers take the version, read, and check that the version did not change (and was even);
 * otherwise they retry. Writers make the version odd with a CAS, change the table, and publish an
 * even version with a release store. A read therefore costs about what a {@code HashMap} read
 * costs, a write one CAS more, and three variables take an 8-slot array instead of a
 * {@code HashMap}'s 200-odd bytes.
 *
 * <p>It extends {@link IdKey} only so that {@link SessionImpl} (an id, then its variables, then
 * the rest) holds its variables in its own object; a standalone table has the id 0.
 *
 * <p>Values stored here are already normalized and immutable (see {@link Values}). The accounted
 * size ({@link #bytes}) counts 2 bytes per key character plus {@link Values#sizeOf} of each value.
 */
class VarTable extends IdKey {
  /** Returned by {@link #lookup} when the key is absent (a stored value may be {@code null}). */
  static final Object MISSING = new Object();
  /** The table of a session that has no variables yet, shared; {@link #put} replaces it before writing. */
  private static final Object[] NONE = new Object[8];

  private static final VarHandle VERSION;

  static {
    try {
      VERSION = MethodHandles.lookup().findVarHandle(VarTable.class, "version", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @SuppressWarnings("unused") // accessed through VERSION
  private volatile int version;
  private Object[] table;
  private int size;
  private long bytes;
  /** Whether a {@code byte[]} value was ever stored (sticky): until then a read hands values out as they are. */
  private boolean bytesSeen;

  /** A table of its own (a copy for an undo log or a fork, or variables read from a record). */
  VarTable() {
    super(0, 0);
    table = new Object[8]; // 4 slots: up to 3 entries before growing
  }

  /**
   * A session's own variables ({@link SessionImpl} extends this class with its id): held in the
   * session object itself, so a read goes session, then array — one object and one cache miss
   * less than a separate table — and a session without variables shares an empty array.
   */
  VarTable(long hi, int lo) {
    super(hi, lo);
    table = NONE;
  }

  // ---- reads: lock-free --------------------------------------------------------------------

  /** The value, or {@link #MISSING}. */
  Object lookup(String key) {
    int h = spread(key.hashCode());
    for (;;) {
      int v = (int) VERSION.getVolatile(this);
      Object r = (v & 1) == 0 ? find(table, key, h) : null;
      VarHandle.acquireFence();
      if ((v & 1) == 0 && v == (int) VERSION.getVolatile(this)) {
        return r;
      }
      Thread.onSpinWait();
    }
  }

  /**
   * The value as {@code Session.get} hands it out ({@link Values#export}: a copy of a
   * {@code byte[]}), or {@link #MISSING}. A table that never held a {@code byte[]} skips the
   * value's type check, so a read does not touch the value object (one cache miss less when the
   * session is not in the cache).
   */
  Object getExported(String key) {
    int h = spread(key.hashCode());
    for (;;) {
      int v = (int) VERSION.getVolatile(this);
      Object r = (v & 1) == 0 ? find(table, key, h) : null;
      boolean copy = bytesSeen;
      VarHandle.acquireFence();
      if ((v & 1) == 0 && v == (int) VERSION.getVolatile(this)) {
        return copy && r != MISSING ? Values.export(r) : r;
      }
      Thread.onSpinWait();
    }
  }

  private static Object find(Object[] t, String key, int h) {
    int i = valueIndex(t, key, h);
    return i < 0 ? MISSING : t[i];
  }


  // ---- writes: under the sequence lock -----------------------------------------------------

  private int lock() {
    for (;;) {
      int v = (int) VERSION.getVolatile(this);
      if ((v & 1) == 0 && VERSION.compareAndSet(this, v, v + 1)) {
        return v;
      }
      Thread.onSpinWait();
    }
  }

  private void unlock(int v) {
    VERSION.setRelease(this, v + 2);
  }

  /**
   * Stores {@code value} under {@code key}; {@code valueSize} is the value's accounted size. When
   * the key is new and {@code validateNewKey} is set, the key is checked as a variable name first
   * (a key already present was checked when it was added, so the common overwrite skips it).
   *
   * @return the previous value or {@link #MISSING}
   * @throws dev.ephemera.InvalidNameException if a new key is not a valid name
   * @throws ValueTooLargeException if the table would grow past {@code maxBytes}; nothing changes
   */
  Object put(String key, Object value, long valueSize, long maxBytes, boolean validateNewKey) {
    // Fast path, an overwrite: everything is read before the lock, and the lock's CAS from the
    // version read first proves no writer ran in between, so what was read still holds. (A CAS
    // waits for every earlier load to finish; loads after it would make the write wait twice.)
    int seen = (int) VERSION.getVolatile(this);
    Object[] t = table;
    if ((seen & 1) == 0 && !(value instanceof byte[])) {
      int i = valueIndex(t, key, spread(key.hashCode()));
      long oldSize = i < 0 ? -1 : plainSize(t[i]);
      if (oldSize >= 0) {
        long next = bytes - oldSize + valueSize;
        if (next <= maxBytes && VERSION.compareAndSet(this, seen, seen + 1)) {
          Object old = t[i];
          t[i] = value;
          bytes = next;
          unlock(seen);
          return old;
        }
      }
    }
    return putLocked(key, value, valueSize, maxBytes, validateNewKey);
  }

  /**
   * The index of {@code key}'s value in {@code t}, or -1; {@code h} is the key's spread hash. Safe
   * on a table a writer is changing (the caller then discards the answer): it reads only keys,
   * which are immutable strings.
   */
  private static int valueIndex(Object[] t, String key, int h) {
    int mask = (t.length >> 1) - 1;
    int i = h & mask;
    for (int n = 0; n <= mask; n++) {
      Object k = t[i << 1];
      if (k == null) {
        return -1;
      }
      if (k == key || key.equals(k)) {
        return (i << 1) + 1;
      }
      i = (i + 1) & mask;
    }
    return -1;
  }


  /**
   * {@link Values#sizeOf} for the values whose size can be read without the lock (a string's
   * length is final), or -1: a list or map read racily might not be fully visible yet.
   */
  private static long plainSize(Object v) {
    if (v instanceof String s) {
      return 2L * s.length();
    }
    if (v == null || v instanceof Boolean) {
      return 1;
    }
    return v instanceof Long || v instanceof Double ? 8 : -1;
  }

  /** {@link #put} under the lock: a new key, a {@code byte[]}, a limit exceeded, or a writer in the way. */
  private Object putLocked(String key, Object value, long valueSize, long maxBytes, boolean validateNewKey) {
    int v = lock();
    try {
      if (value instanceof byte[]) {
        bytesSeen = true; // before the value is reachable: a reader that finds it sees the flag
      }
      Object[] t = table;
      if (t == NONE) {
        t = table = new Object[8];
      }
      int h = spread(key.hashCode());
      int mask = (t.length >> 1) - 1;
      int i = h & mask;
      while (true) {
        Object k = t[i << 1];
        if (k == null) {
          break;
        }
        if (k == key || key.equals(k)) {
          Object old = t[(i << 1) + 1];
          long next = bytes - Values.sizeOf(old) + valueSize;
          if (next > maxBytes) {
            throw tooLarge(key, next, maxBytes);
          }
          t[(i << 1) + 1] = value;
          bytes = next;
          return old;
        }
        i = (i + 1) & mask;
      }
      if (validateNewKey) {
        Names.check("variable", key);
      }
      long next = bytes + 2L * key.length() + valueSize;
      if (next > maxBytes) {
        throw tooLarge(key, next, maxBytes);
      }
      if ((size + 1) * 4 > (mask + 1) * 3) {
        t = grow(t);
        mask = (t.length >> 1) - 1;
        i = h & mask;
        while (t[i << 1] != null) {
          i = (i + 1) & mask;
        }
      }
      t[(i << 1) + 1] = value;
      t[i << 1] = key;
      size++;
      bytes = next;
      return MISSING;
    } finally {
      unlock(v);
    }
  }

  /** Removes the key; returns its value or {@link #MISSING}. */
  Object remove(String key) {
    int v = lock();
    try {
      Object[] t = table;
      int mask = (t.length >> 1) - 1;
      int i = spread(key.hashCode()) & mask;
      while (true) {
        Object k = t[i << 1];
        if (k == null) {
          return MISSING;
        }
        if (k == key || key.equals(k)) {
          break;
        }
        i = (i + 1) & mask;
      }
      Object old = t[(i << 1) + 1];
      bytes -= 2L * key.length() + Values.sizeOf(old);
      size--;
      // backward-shift deletion (Knuth 6.4, algorithm R): no tombstones
      int hole = i;
      int j = i;
      while (true) {
        j = (j + 1) & mask;
        Object k = t[j << 1];
        if (k == null) {
          break;
        }
        int home = spread(k.hashCode()) & mask;
        boolean movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
        if (movable) {
          t[hole << 1] = k;
          t[(hole << 1) + 1] = t[(j << 1) + 1];
          hole = j;
        }
      }
      t[hole << 1] = null;
      t[(hole << 1) + 1] = null;
      return old;
    } finally {
      unlock(v);
    }
  }

  /** Removes every entry. */
  void clear() {
    int v = lock();
    try {
      table = NONE;
      size = 0;
      bytes = 0;
    } finally {
      unlock(v);
    }
  }

  // ---- inside a transaction: each change records how to undo it ------------------------------

  /** {@link #put}, recording the old value in {@code log} under the log's lock (see {@link UndoLog}). */
  Object put(UndoLog log, String key, Object value, long size, long maxBytes, boolean validate) {
    synchronized (log) {
      Object old = put(key, value, size, maxBytes, validate);
      log.add(restore(key, old));
      return old;
    }
  }

  /** {@link #remove}, recording the old value in {@code log}. */
  Object remove(UndoLog log, String key) {
    synchronized (log) {
      Object old = remove(key);
      if (old != MISSING) {
        log.add(restore(key, old));
      }
      return old;
    }
  }

  /** {@link #clear}, recording every old value in {@code log}. */
  void clear(UndoLog log) {
    synchronized (log) {
      VarTable before = copy();
      clear();
      log.add(() -> replaceWith(before));
    }
  }

  private UndoLog.Undo restore(String key, Object old) {
    return old == MISSING ? () -> remove(key) : () -> put(key, old, Values.sizeOf(old), Long.MAX_VALUE, false);
  }

  /** A sorted snapshot (a {@link TreeMap}; values may be {@code null}). */
  Map<String, Object> snapshot() {
    TreeMap<String, Object> out = new TreeMap<>();
    int v = lock();
    try {
      Object[] t = table;
      for (int i = 0; i < t.length; i += 2) {
        if (t[i] != null) {
          out.put((String) t[i], t[i + 1]);
        }
      }
    } finally {
      unlock(v);
    }
    return out;
  }

  /**
   * An independent copy without the keys that start with {@code prefix}, or {@code null} if
   * nothing is left (values are immutable, so sharing them is safe).
   */
  VarTable copyWithout(String prefix) {
    VarTable copy = new VarTable();
    int v = lock();
    try {
      Object[] t = table;
      for (int i = 0; i < t.length; i += 2) {
        if (t[i] != null && !((String) t[i]).startsWith(prefix)) {
          copy.put((String) t[i], t[i + 1], Values.sizeOf(t[i + 1]), Long.MAX_VALUE, false);
        }
      }
    } finally {
      unlock(v);
    }
    return copy.size == 0 ? null : copy;
  }

  /** An independent copy of every entry (values are immutable, so sharing them is safe). */
  VarTable copy() {
    VarTable copy = new VarTable();
    int v = lock();
    try {
      copy.table = table.clone();
      copy.size = size;
      copy.bytes = bytes;
      copy.bytesSeen = bytesSeen;
    } finally {
      unlock(v);
    }
    return copy;
  }

  /** Replaces every entry with a copy of {@code other}'s (a rollback of {@link #clear()}). */
  void replaceWith(VarTable other) {
    takeFrom(other.copy());
  }

  /** Takes the entries of a table nobody else holds (read from a record, or a fork's copy), replacing its own. */
  void takeFrom(VarTable fresh) {
    int v = lock();
    try {
      table = fresh.table;
      size = fresh.size;
      bytes = fresh.bytes;
      bytesSeen |= fresh.bytesSeen;
    } finally {
      unlock(v);
    }
  }

  /** Whether the table holds no entries. */
  boolean isEmpty() {
    for (;;) {
      int v = (int) VERSION.getVolatile(this);
      int n = size;
      VarHandle.acquireFence();
      if ((v & 1) == 0 && v == (int) VERSION.getVolatile(this)) {
        return n == 0;
      }
      Thread.onSpinWait();
    }
  }

  /** The accounted size in bytes. */
  long bytes() {
    int v = lock();
    try {
      return bytes;
    } finally {
      unlock(v);
    }
  }

  private Object[] grow(Object[] t) {
    Object[] n = new Object[t.length << 1];
    int mask = (n.length >> 1) - 1;
    for (int i = 0; i < t.length; i += 2) {
      Object k = t[i];
      if (k != null) {
        int j = spread(k.hashCode()) & mask;
        while (n[j << 1] != null) {
          j = (j + 1) & mask;
        }
        n[j << 1] = k;
        n[(j << 1) + 1] = t[i + 1];
      }
    }
    table = n;
    return n;
  }

  private static int spread(int h) {
    return h ^ (h >>> 16);
  }

  private static ValueTooLargeException tooLarge(String key, long size, long limit) {
    return new ValueTooLargeException("setting '" + Values.displayKey(key) + "' would take the session's variables to "
        + size + " bytes; the per-session limit is " + limit, size, limit);
  }
}
