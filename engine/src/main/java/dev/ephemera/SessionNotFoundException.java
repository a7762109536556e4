package dev.ephemera;

/**
 * No live session answers to the given token. The message deliberately does not say whether the
 * token was never issued, belonged to a session that has ended, or was rotated away.
 */
public final class SessionNotFoundException extends EphemeraException {
  private static final long serialVersionUID = 1L;

  public SessionNotFoundException() {
    super("no live session for this token");
  }
}
