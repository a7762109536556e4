package dev.ephemera;

/** Why a session ended. Reported once per session, to {@link SessionListener#ended}. */
public enum EndReason {
  /** {@link Session#close()}. */
  CLOSED(SessionState.CLOSED, "closed"),
  /** Not used for longer than the idle timeout, or removed by {@link SessionEngine#cleanup}. */
  IDLE_TIMEOUT(SessionState.EXPIRED, "idle timeout"),
  /** Open for longer than the maximum lifetime. */
  LIFETIME(SessionState.EXPIRED, "maximum lifetime reached"),
  /** {@link SessionEngine#kill} or {@link SessionEngine#killUser}. */
  KILLED(SessionState.KILLED, "killed by an administrator"),
  /** Terminated as the oldest session of a user who went past {@code maxSessionsPerUser}. */
  USER_LIMIT(SessionState.KILLED, "terminated by the per-user session limit"),
  /** Evicted to make room under {@code maxSessions}: lowest priority, longest idle. */
  EVICTED_FOR_PRIORITY(SessionState.KILLED, "evicted to make room for a new session"),
  /** The engine was closed. */
  ENGINE_SHUTDOWN(SessionState.CLOSED, "engine shut down");

  private final SessionState state;
  private final String description;

  EndReason(SessionState state, String description) {
    this.state = state;
    this.description = description;
  }

  /** The final state a session ending this way is left in. */
  public SessionState state() {
    return state;
  }

  /** A short human-readable description, as used in exception messages. */
  public String description() {
    return description;
  }
}
