package dev.ephemera;

/**
 * Thrown by every call on a session that has ended, other than {@link Session#close()},
 * {@link Session#id()}, {@link Session#state()} and {@link Session#info()}. It names the session
 * and how it ended.
 */
public final class SessionClosedException extends EphemeraException {
  private static final long serialVersionUID = 1L;

  private final String sessionId;
  private final EndReason reason;

  public SessionClosedException(String sessionId, EndReason reason) {
    super("session " + sessionId + " has ended (" + reason.description() + ")");
    this.sessionId = sessionId;
    this.reason = reason;
  }

  /** The public id of the session that has ended. */
  public String sessionId() {
    return sessionId;
  }

  /** How the session ended. */
  public EndReason reason() {
    return reason;
  }
}
