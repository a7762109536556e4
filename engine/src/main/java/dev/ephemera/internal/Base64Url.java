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

  /**
   * Compares the 256-bit secret whose 43 characters start at {@code at} with the expected words,
   * in time that does not depend on where they differ. Returns {@code true} only for the canonical
   * text of exactly these bits.
   */
  static boolean secretEquals(String s, int at, long w0, long w1, long w2, long w3) {
    long diff = 0;
    int bad = 0;
    long acc = 0;
    int bits = 0;
    int word = 0;
    for (int i = 0; i < SECRET_CHARS; i++) {
      int v = value(s.charAt(at + i));
      bad |= v >>> 31;
      v &= 63;
      if (i == SECRET_CHARS - 1) {
        bad |= v & 3; // the last character carries 4 bits; its two low bits must be zero
        v >>>= 2;
        acc = (acc << 4) | v;
        bits += 4;
      } else {
        acc = (acc << 6) | v;
        bits += 6;
      }
      if (bits >= 32) {
        bits -= 32;
        long half = (acc >>> bits) & 0xFFFF_FFFFL;
        acc &= (1L << bits) - 1;
        long expected = switch (word >> 1) {
          case 0 -> w0;
          case 1 -> w1;
          case 2 -> w2;
          default -> w3;
        };
        long expectedHalf = (word & 1) == 0 ? expected >>> 32 : expected & 0xFFFF_FFFFL;
        diff |= half ^ expectedHalf;
        word++;
      }
    }
    return (diff | bad) == 0 && word == 8;
  }

  private static int value(char c) {
    return c < 128 ? VALUES[c] : -1;
  }
}
