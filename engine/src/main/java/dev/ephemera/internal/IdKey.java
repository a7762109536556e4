package dev.ephemera.internal;

/**
 * A session's public id as 96 random bits: the key of the engine's registry. Its text form is
 * {@code sess_} and 16 base64url characters. {@link SessionImpl} extends it, so that a session is
 * its own registry key (one object less per session); a bare {@code IdKey} is a lookup probe.
 */
class IdKey {
  static final String PREFIX = "sess_";
  static final int CHARS = 16;

  final long hi;
  final int lo;

  @Override
  public String toString() {
    return idText();
  }

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

  /** The text form, {@code sess_…}. */
  final String idText() {
    char[] out = new char[PREFIX.length() + CHARS];
    PREFIX.getChars(0, PREFIX.length(), out, 0);
    Base64Url.encodeId(this, out, PREFIX.length());
    return new String(out);
  }

  @Override
  public final int hashCode() {
    return (int) (hi ^ (hi >>> 32)) ^ lo;
  }

  @Override
  public final boolean equals(Object o) {
    return o instanceof IdKey k && k.hi == hi && k.lo == lo;
  }
}
