package dev.ephemera;

/**
 * What the application knows about the client a session serves, given at
 * {@link SessionEngine#open(ClientInfo)} and shown in listings. Each part may be {@code null}; a
 * part is at most {@link #MAX_LENGTH} characters, without control characters or unpaired
 * surrogates ({@link IllegalArgumentException}).
 *
 * @param address the client's network address, for example {@code "203.0.113.7"}
 * @param userAgent the client's user agent or program name
 * @param platform the client's platform, for example {@code "linux"} or {@code "ios"}
 * @param certificateFingerprint the fingerprint of the client's TLS certificate (for example its
 *     SHA-256 in hex), for binding sessions to it ({@link ClientBinding}); not a secret
 */
public record ClientInfo(String address, String userAgent, String platform, String certificateFingerprint) {
  private static final ClientInfo NONE = new ClientInfo(null, null, null, null);
  /** The longest text a part may hold. */
  public static final int MAX_LENGTH = 512;

  public ClientInfo {
    check("address", address);
    check("userAgent", userAgent);
    check("platform", platform);
    check("certificateFingerprint", certificateFingerprint);
  }

  /** A client without a certificate. */
  public ClientInfo(String address, String userAgent, String platform) {
    this(address, userAgent, platform, null);
  }

  /** This client with a certificate fingerprint. */
  public ClientInfo withCertificate(String fingerprint) {
    return new ClientInfo(address, userAgent, platform, fingerprint);
  }

  /** A client about which nothing is known. */
  public static ClientInfo none() {
    return NONE;
  }

  private static void check(String what, String value) {
    if (value == null) {
      return;
    }
    if (value.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "client " + what + " is " + value.length() + " characters long; at most " + MAX_LENGTH + " are allowed");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c)) {
        throw new IllegalArgumentException("client " + what + " contains a control character at index " + i);
      }
      if (Character.isSurrogate(c)) { // stored records hold it as UTF-8, which cannot hold a lone one
        if (!Character.isHighSurrogate(c) || i + 1 == value.length() || !Character.isLowSurrogate(value.charAt(i + 1))) {
          throw new IllegalArgumentException("client " + what + " contains an unpaired surrogate at index " + i);
        }
        i++;
      }
    }
  }
}
