package dev.ephemera;

/**
 * A new session, sign-in or fork was refused because it would exceed a limit: the engine's
 * {@code maxSessions} with {@link CapacityPolicy#REFUSE_NEW}, or a user's
 * {@code maxSessionsPerUser} with {@link ExceedPolicy#DENY_NEW}.
 */
public final class SessionLimitException extends EphemeraException {
  private static final long serialVersionUID = 1L;

  private final int limit;

  public SessionLimitException(String message, int limit) {
    super(message);
    this.limit = limit;
  }

  /** The limit that would have been exceeded. */
  public int limit() {
    return limit;
  }
}
