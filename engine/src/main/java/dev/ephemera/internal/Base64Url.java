package dev.ephemera.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Fixed-size base64url (RFC 4648 §5, no padding) for ids and tokens, without allocation on the
 * decoding side. A token is the 16 characters of its session's id bits followed by 43 characters
 * of 256 secret bits; decoding is strict (only canonical text decodes), so each token has exactly
 * one text form.
 */
final class Base64Url {
  static final int SECRET_CHARS = 43;
  static final int TOKEN_CHARS = IdKey.CHARS + SECRET_CHARS;

  private static final char[] ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".toCharArray();
  private static final byte[] VALUES = new byte[128];
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INTS =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

  static {
    Arrays.fill(VALUES, (byte) -1);
    for (int i = 0; i < ALPHABET.length; i++) {
      VALUES[ALPHABET[i]] = (byte) i;
    }
  }

  private Base64Url() {}

  /** Writes the 96 id bits as 16 characters at {@code at}. */
  static void encodeId(IdKey key, char[] out, int at) {
    long hi = key.hi;
    for (int i = 0; i < 10; i++) { // 60 bits of hi
      out[at + i] = ALPHABET[(int) (hi >>> (58 - 6 * i)) & 63];
    }
    // the last 4 bits of hi and the 32 bits of lo: 36 bits, 6 characters
    long rest = ((hi & 0xF) << 32) | (key.lo & 0xFFFF_FFFFL);
    for (int i = 0; i < 6; i++) {
      out[at + 10 + i] = ALPHABET[(int) (rest >>> (30 - 6 * i)) & 63];
    }
  }

  /**
   * The first 60 id bits of a token (its characters 0 to 9), or -1 if one of them is not
   * base64url. With {@link #idLow} it decodes a token's id without allocating: two 8-byte loads,
   * table look-ups that do not depend on each other.
   */
  static long idHigh(byte[] token) {
    long w = longAt(token, 0);
    long x = longAt(token, 8);
    long b0 = VALUES[(int) w & 127], b1 = VALUES[(int) (w >>> 8) & 127], b2 = VALUES[(int) (w >>> 16) & 127];
    long b3 = VALUES[(int) (w >>> 24) & 127], b4 = VALUES[(int) (w >>> 32) & 127], b5 = VALUES[(int) (w >>> 40) & 127];
    long b6 = VALUES[(int) (w >>> 48) & 127], b7 = VALUES[(int) (w >>> 56) & 127];
    long b8 = VALUES[(int) x & 127], b9 = VALUES[(int) (x >>> 8) & 127];
    long bad = (b0 | b1 | b2 | b3 | b4 | b5 | b6 | b7 | b8 | b9) | ((w | (x & 0xFFFF)) & 0x8080808080808080L);
    if (bad < 0 || (bad & 0x8080808080808080L) != 0) {
      return -1;
    }
    return ((b0 << 54) | (b1 << 48) | (b2 << 42) | (b3 << 36) | (b4 << 30))
        | ((b5 << 24) | (b6 << 18) | (b7 << 12) | (b8 << 6) | b9);
  }

  /** The last 36 id bits of a token (its characters 10 to 15), or -1 if one of them is not base64url. */
  static long idLow(byte[] token) {
    long x = longAt(token, 8);
    long c0 = VALUES[(int) (x >>> 16) & 127], c1 = VALUES[(int) (x >>> 24) & 127], c2 = VALUES[(int) (x >>> 32) & 127];
    long c3 = VALUES[(int) (x >>> 40) & 127], c4 = VALUES[(int) (x >>> 48) & 127], c5 = VALUES[(int) (x >>> 56) & 127];
    if ((c0 | c1 | c2 | c3 | c4 | c5) < 0 || (x & 0x8080808080800000L) != 0) {
      return -1;
    }
    return ((c0 << 30) | (c1 << 24) | (c2 << 18)) | ((c3 << 12) | (c4 << 6) | c5);
  }

  /** Reads 16 ASCII bytes at {@code at} as id bits, or returns {@code null} if they are not base64url. */
  static IdKey decodeId(byte[] s, int at) {
    long hi = 0;
    int bad = 0;
    for (int i = 0; i < 10; i++) {
      int v = VALUES[s[at + i] & 127] | (s[at + i] >> 31);
      bad |= v;
      hi = (hi << 6) | (v & 63);
    }
    long rest = 0;
    for (int i = 10; i < 16; i++) {
      int v = VALUES[s[at + i] & 127] | (s[at + i] >> 31);
      bad |= v;
      rest = (rest << 6) | (v & 63);
    }
    if (bad < 0) {
      return null;
    }
    return new IdKey((hi << 4) | (rest >>> 32), (int) rest);
  }

  /** Reads 16 characters at {@code at} as id bits, or returns {@code null} if they are not base64url. */
  static IdKey decodeId(String s, int at) {
    long hi = 0;
    for (int i = 0; i < 10; i++) {
      int v = value(s.charAt(at + i));
      if (v < 0) {
        return null;
      }
      hi = (hi << 6) | v;
    }
    long rest = 0;
    for (int i = 0; i < 6; i++) {
      int v = value(s.charAt(at + 10 + i));
      if (v < 0) {
        return null;
      }
      rest = (rest << 6) | v;
    }
    hi = (hi << 4) | (rest >>> 32);
    return new IdKey(hi, (int) rest);
  }

  /** Writes four 64-bit words (256 bits) as 43 characters at {@code at}; the last one carries 4 bits. */
  static void encodeSecret(long w0, long w1, long w2, long w3, char[] out, int at) {
    int pos = at;
    long acc = 0;
    int bits = 0;
    long[] words = {w0, w1, w2, w3};
    for (long w : words) {
      for (int half = 0; half < 2; half++) { // 32 bits at a time keeps acc within 64 bits
        acc = (acc << 32) | ((half == 0 ? (w >>> 32) : w) & 0xFFFF_FFFFL);
        bits += 32;
        while (bits >= 6) {
          bits -= 6;
          out[pos++] = ALPHABET[(int) (acc >>> bits) & 63];
        }
        acc &= (1L << bits) - 1;
      }
    }
    out[pos] = ALPHABET[(int) (acc << (6 - bits)) & 63];
  }

  /** Reads eight little-endian bytes of {@code b} at {@code at} as a long. */
  static long longAt(byte[] b, int at) {
    return (long) LONGS.get(b, at);
  }

  /** Reads four little-endian bytes of {@code b} at {@code at} as an int. */
  static int intAt(byte[] b, int at) {
    return (int) INTS.get(b, at);
  }

  /** Writes {@code v} as eight little-endian bytes of {@code b} at {@code at}. */
  static void putLong(byte[] b, int at, long v) {
    LONGS.set(b, at, v);
  }

  /** Writes {@code v} as four little-endian bytes of {@code b} at {@code at}. */
  static void putInt(byte[] b, int at, int v) {
    INTS.set(b, at, v);
  }

  /** The canonical text of a 256-bit secret, as ASCII bytes. */
  static byte[] secretText(long w0, long w1, long w2, long w3) {
    char[] chars = new char[SECRET_CHARS];
    encodeSecret(w0, w1, w2, w3, chars, 0);
    byte[] out = new byte[SECRET_CHARS];
    for (int i = 0; i < SECRET_CHARS; i++) {
      out[i] = (byte) chars[i];
    }
    return out;
  }

  private static int value(char c) {
    return c < 128 ? VALUES[c] : -1;
  }
}
