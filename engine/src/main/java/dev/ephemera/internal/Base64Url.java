package dev.ephemera.internal;

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
  private static final java.lang.invoke.VarHandle LONGS =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
  private static final java.lang.invoke.VarHandle INTS =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(int[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

  static {
    java.util.Arrays.fill(VALUES, (byte) -1);
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
