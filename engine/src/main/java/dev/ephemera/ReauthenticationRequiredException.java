package dev.ephemera;

import java.time.Duration;

/**
 * The session signed in longer ago than the engine's {@code reauthInterval}: it must {@link
 * Session#signIn sign in} again before anything but {@code signIn}, {@code ping} and {@code close}.
 * Nothing was changed.
 */
public final class ReauthenticationRequiredException extends EphemeraException {
  private static final long serialVersionUID = 1L;

  private final String sessionId;

  public ReauthenticationRequiredException(String sessionId, Duration interval) {
    super("session " + sessionId + " must sign in again: its last sign-in is more than " + interval
        + " old (reauthInterval)");
    this.sessionId = sessionId;
  }

  /** The public id of the session. */
  public String sessionId() {
    return sessionId;
  }
}
