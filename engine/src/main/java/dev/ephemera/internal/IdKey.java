package dev.ephemera.internal;

/**
 * A session's public id as 96 random bits: the key of the engine's registry. Its text form is
 * {@code sess_} and 16 base64url characters.
 */
final class IdKey {
  static final String PREFIX = "sess_";
  static final int CHARS = 16;

  final long hi;
  final int lo;

  IdKey(long hi, int lo) {
    this.hi = hi;
    this.lo = lo;
  }

  /** Parses {@code sess_XXXXXXXXXXXXXXXX}, or returns {@code null} if {@code id} is not of that form. */
  static IdKey parse(String id) {
    if (id == null || id.length() != PREFIX.length() + CHARS || !id.startsWith(PREFIX)) {
      return null;
    }
    return Base64Url.decodeId(id, PREFIX.length());
  }

  @Override
  public String toString() {
    char[] out = new char[PREFIX.length() + CHARS];
    PREFIX.getChars(0, PREFIX.length(), out, 0);
    Base64Url.encodeId(this, out, PREFIX.length());
    return new String(out);
  }

  @Override
  public int hashCode() {
    return (int) (hi ^ (hi >>> 32)) ^ lo;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IdKey k && k.hi == hi && k.lo == lo;
  }
}
