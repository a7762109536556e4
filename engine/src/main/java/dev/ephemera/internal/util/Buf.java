package dev.ephemera.internal.util;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte buffer with a length and a read position: the keys and values of a temporary
 * graph's Chronicle Map, and the variable codec's output. Reused, never shared between threads.
 * Numbers are little-endian.
 */
public final class Buf {
  public byte[] b;
  public int len;
  public int pos;

  public Buf() {
    this(64);
  }

  public Buf(int capacity) {
    b = new byte[capacity];
  }

  public Buf clear() {
    len = 0;
    pos = 0;
    return this;
  }

  public void ensure(int capacity) {
    if (b.length < capacity) {
      b = Arrays.copyOf(b, Math.max(capacity, b.length * 2));
    }
  }

  public Buf copy() {
    Buf x = new Buf(Math.max(1, len));
    System.arraycopy(b, 0, x.b, 0, len);
    x.len = len;
    return x;
  }

  public void set(Buf other) {
    ensure(other.len);
    System.arraycopy(other.b, 0, b, 0, other.len);
    len = other.len;
    pos = 0;
  }

  // ---- writing at the end ---------------------------------------------------------------------

  public Buf put(int v) {
    ensure(len + 1);
    b[len++] = (byte) v;
    return this;
  }

  public Buf putInt(int v) {
    ensure(len + 4);
    setInt(len, v);
    len += 4;
    return this;
  }

  public Buf putLong(long v) {
    ensure(len + 8);
    for (int i = 0; i < 8; i++) {
      b[len++] = (byte) (v >>> (8 * i));
    }
    return this;
  }

  public Buf putBytes(byte[] src, int off, int n) {
    ensure(len + n);
    System.arraycopy(src, off, b, len, n);
    len += n;
    return this;
  }

  /** An unsigned variable-length int (7 bits a byte). */
  public Buf putVar(int v) {
    while ((v & ~0x7F) != 0) {
      put((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    return put(v);
  }

  public Buf putString(String s) {
    byte[] u = s.getBytes(StandardCharsets.UTF_8);
    putVar(u.length);
    return putBytes(u, 0, u.length);
  }

  // ---- reading at pos, and random access ------------------------------------------------------

  public void setInt(int at, int v) {
    b[at] = (byte) v;
    b[at + 1] = (byte) (v >>> 8);
    b[at + 2] = (byte) (v >>> 16);
    b[at + 3] = (byte) (v >>> 24);
  }

  public int getInt(int at) {
    return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
  }

  public int get() {
    return b[pos++] & 0xFF;
  }

  public int getInt() {
    int v = getInt(pos);
    pos += 4;
    return v;
  }

  public long getLong() {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v |= (b[pos++] & 0xFFL) << (8 * i);
    }
    return v;
  }

  public int getVar() {
    int v = 0;
    for (int shift = 0; ; shift += 7) {
      int x = get();
      v |= (x & 0x7F) << shift;
      if ((x & 0x80) == 0) {
        return v;
      }
    }
  }

  /** Checks that {@code n} more bytes can be read: a corrupt length fails here, before any allocation. */
  int checkRemaining(int n) {
    if (n < 0 || n > len - pos) {
      throw new IllegalStateException("corrupt length " + n + " at " + pos + " (" + (len - pos) + " bytes left)");
    }
    return n;
  }

  public byte[] getBytes(int n) {
    checkRemaining(n);
    byte[] out = Arrays.copyOfRange(b, pos, pos + n);
    pos += n;
    return out;
  }

  public String getString() {
    int n = checkRemaining(getVar());
    String s = new String(b, pos, n, StandardCharsets.UTF_8);
    pos += n;
    return s;
  }
}
