package dev.ephemera.internal.util;

import java.util.Arrays;

/** An open-addressing map from non-negative ints to ints (also used as a set), on the heap, for graph algorithms. */
public final class IntMap {
  private static final int FREE = -1;
  private int[] keys;
  private int[] values;
  private int size;
  private int mask;

  public IntMap(int expected) {
    int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
    keys = new int[cap];
    values = new int[cap];
    Arrays.fill(keys, FREE);
    mask = cap - 1;
  }

  private static int mix(int k) {
    int h = k * 0x9E3779B9;
    return h ^ (h >>> 16);
  }

  /** The value of {@code k}, or {@code missing}. */
  public int get(int k, int missing) {
    for (int i = mix(k) & mask; ; i = (i + 1) & mask) {
      int x = keys[i];
      if (x == k) {
        return values[i];
      }
      if (x == FREE) {
        return missing;
      }
    }
  }

  public boolean contains(int k) {
    for (int i = mix(k) & mask; ; i = (i + 1) & mask) {
      int x = keys[i];
      if (x == k) {
        return true;
      }
      if (x == FREE) {
        return false;
      }
    }
  }

  /** Adds {@code k -> v} if {@code k} is absent; returns whether it was added. */
  public boolean putIfAbsent(int k, int v) {
    for (int i = mix(k) & mask; ; i = (i + 1) & mask) {
      int x = keys[i];
      if (x == k) {
        return false;
      }
      if (x == FREE) {
        keys[i] = k;
        values[i] = v;
        if (++size * 2 > keys.length) {
          rehash();
        }
        return true;
      }
    }
  }

  private void rehash() {
    int[] ok = keys;
    int[] ov = values;
    keys = new int[ok.length * 2];
    values = new int[ok.length * 2];
    Arrays.fill(keys, FREE);
    mask = keys.length - 1;
    size = 0;
    for (int i = 0; i < ok.length; i++) {
      if (ok[i] != FREE) {
        putIfAbsent(ok[i], ov[i]);
      }
    }
  }
}
