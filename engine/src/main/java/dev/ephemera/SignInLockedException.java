package dev.ephemera;

import java.time.Duration;

/**
 * Too many failed sign-ins for this user from this client address: sign-ins for the pair are
 * refused, without checking the password, until {@link #retryAfter()} has passed. Other
 * addresses are not affected, so an attacker cannot lock a user out everywhere. Set with {@link
 * SessionEngine.Builder#signInLockout}.
 */
public final class SignInLockedException extends EphemeraException {
  private static final long serialVersionUID = 1L;

  private final Duration retryAfter;

  public SignInLockedException(String user, Duration retryAfter) {
    super("too many failed sign-ins for user '" + user + "' from this client; try again in " + retryAfter);
    this.retryAfter = retryAfter;
  }

  /** How long the lockout still lasts. */
  public Duration retryAfter() {
    return retryAfter;
  }
}
