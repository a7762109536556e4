package dev.ephemera;

/**
 * The credentials were refused. The message never says why (unknown user, wrong password, wrong
 * namespace): that would help an attacker.
 */
public final class AuthenticationException extends EphemeraException {
  private static final long serialVersionUID = 1L;

  public AuthenticationException() {
    super("the credentials were refused");
  }
}
