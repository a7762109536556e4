package dev.ephemera;

/**
 * A bound session was resumed by a client that does not match its binding (see {@link
 * ClientBinding}). The message names the session and what did not match, never the token or the
 * values the session is bound to.
 */
public final class SessionBindingException extends EphemeraException {
  private static final long serialVersionUID = 1L;

  private final String sessionId;
  private final boolean killed;

  public SessionBindingException(String sessionId, String mismatch, boolean killed) {
    super("session " + sessionId + " is bound to another client (" + mismatch + " differs); resume refused"
        + (killed ? " and the session was killed as hijacked" : ""));
    this.sessionId = sessionId;
    this.killed = killed;
  }

  /** The public id of the session. */
  public String sessionId() {
    return sessionId;
  }

  /** Whether the engine killed the session ({@link BindingViolation#REFUSE_AND_KILL}). */
  public boolean killed() {
    return killed;
  }
}
