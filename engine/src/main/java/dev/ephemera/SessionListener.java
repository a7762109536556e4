package dev.ephemera;

import java.time.Duration;

/**
 * Receives a session's life events. Every method has an empty default, so implement only what
 * you need. Callbacks run on the thread that caused the event (the engine's own thread for
 * expiry), must be quick and must not block; an exception thrown by a callback is logged and
 * otherwise ignored. No callback ever sees the token.
 */
public interface SessionListener {
  /** A session was opened. */
  default void opened(SessionInfo session) {}

  /** A session signed in (its token was rotated as part of it). */
  default void signedIn(SessionInfo session) {}

  /** A session signed out. */
  default void signedOut(SessionInfo session) {}

  /** A session's token was replaced; the old one no longer resumes it. */
  default void tokenRotated(SessionInfo session) {}

  /** {@code child} was forked from {@code parent}. */
  default void forked(SessionInfo parent, SessionInfo child) {}

  /** A session was resumed by its token. */
  default void resumed(SessionInfo session) {}

  /** A session will expire for idleness in {@code remaining} unless it is used. */
  default void idleWarning(SessionInfo session, Duration remaining) {}

  /** An administrator will kill the session after {@code grace}. */
  default void killWarning(SessionInfo session, Duration grace) {}

  /**
   * A session ended; called exactly once per session, after its resources were released.
   *
   * @param session the final snapshot, with its {@link SessionInfo#endReason()}
   */
  default void ended(SessionInfo session) {}
}
