package dev.ephemera;

/**
 * What a session opened with {@link SessionEngine#open(ClientInfo)} is bound to. A bound session
 * resumes only through {@link SessionEngine#resume(String, ClientInfo)} with the same values; a
 * value the opening client did not give ({@code null}) binds nothing. Set with {@link
 * SessionEngine.Builder#bindSessionsTo}.
 */
public enum ClientBinding {
  /** No binding: a token resumes its session from anywhere (the default). */
  NONE(false, false),
  /** The client address ({@link ClientInfo#address()}). */
  ADDRESS(true, false),
  /** The client certificate fingerprint ({@link ClientInfo#certificateFingerprint()}). */
  CERTIFICATE(false, true),
  /** Both the address and the certificate fingerprint. */
  ADDRESS_AND_CERTIFICATE(true, true);

  private final boolean address;
  private final boolean certificate;

  ClientBinding(boolean address, boolean certificate) {
    this.address = address;
    this.certificate = certificate;
  }

  /** Whether the client address is bound. */
  public boolean address() {
    return address;
  }

  /** Whether the certificate fingerprint is bound. */
  public boolean certificate() {
    return certificate;
  }
}
