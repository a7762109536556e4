package dev.ephemera.internal.graph;

import java.util.Arrays;

/**
 * A batch's distinct keys, each numbered in order of first appearance: open addressing over the
 * keys' own cached hash codes, no boxing, compared by identity first (a caller's keys are often
 * the same String objects) and by {@code equals} only on a hash match.
 */
final class KeyIndex {
  /** The most distinct keys one index holds (its table doubles up to 2^30 slots). */
  static final int MAX_KEYS = 1 << 29;
  /** The distinct keys by number. */
  String[] keys = new String[16];
  int size;
  private String[] slots = new String[32];
  /** Each slot's key's hash code (high half) and number (low half). */
  private long[] codes = new long[32];

  /** Makes room for {@code more} (at most 2) new keys, or throws and changes nothing; {@link #add} then cannot fail. */
  void ensureRoom(int more) {
    if (size + more > MAX_KEYS) {
      throw new IllegalStateException("an edge batch holds at most " + MAX_KEYS + " distinct keys; load it first");
    }
    if (size + more > keys.length) {
      keys = Arrays.copyOf(keys, keys.length * 2);
    }
    if ((size + more) * 2 > slots.length) {
      grow();
    }
  }

  /** The number of {@code key} (whose hash code is {@code h}), or -1 if the index does not hold it. */
  int find(String key, int h) {
    int i = slot(key, h);
    return slots[i] == null ? -1 : (int) codes[i];
  }

  /** The number of {@code key}, a new one if it is new; {@link #ensureRoom} first. */
  int add(String key, int h) {
    int i = slot(key, h);
    if (slots[i] != null) {
      return (int) codes[i];
    }
    int n = size++;
    keys[n] = key;
    slots[i] = key;
    codes[i] = ((long) h << 32) | n;
    return n;
  }

  /** The slot that holds {@code key}, or the empty slot where it would go. */
  private int slot(String key, int h) {
    int mask = slots.length - 1;
    for (int i = (h ^ (h >>> 16)) & mask; ; i = (i + 1) & mask) {
      String k = slots[i];
      if (k == null || k == key || ((int) (codes[i] >>> 32) == h && k.equals(key))) {
        return i;
      }
    }
  }

  private void grow() {
    String[] oldSlots = slots;
    long[] oldCodes = codes;
    slots = new String[oldSlots.length * 2];
    codes = new long[oldSlots.length * 2];
    int mask = slots.length - 1;
    for (int j = 0; j < oldSlots.length; j++) {
      String k = oldSlots[j];
      if (k != null) {
        int h = (int) (oldCodes[j] >>> 32);
        int i = (h ^ (h >>> 16)) & mask;
        while (slots[i] != null) {
          i = (i + 1) & mask;
        }
        slots[i] = k;
        codes[i] = oldCodes[j];
      }
    }
  }
}
