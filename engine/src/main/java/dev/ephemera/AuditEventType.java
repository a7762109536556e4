package dev.ephemera;

import java.util.Locale;

/**
 * What an {@link AuditEvent} records. Each type has a stable {@link #wireName()}, the
 * {@code "event"} field of {@link AuditEvent#toJson()}.
 */
public enum AuditEventType {
  /** A session was opened ({@link SessionEngine#open}) or forked from another one. */
  SESSION_CREATED,
  /** A session ended by {@link Session#close()} or because the engine was closed. */
  SESSION_CLOSED,
  /** A session ended for idleness or because it reached its maximum lifetime. */
  SESSION_EXPIRED,
  /** An administrator ended a session ({@link SessionEngine#kill}, {@link SessionEngine#killUser}). */
  SESSION_KILLED,
  /**
   * A session was ended to respect a limit: as the oldest session of a user over
   * {@code maxSessionsPerUser}, or evicted to make room under {@code maxSessions}.
   */
  SESSION_LIMIT_TERMINATED,
  /** A sign-in was accepted ({@link Session#signIn}). */
  AUTH_SUCCEEDED,
  /** A sign-in was refused: unknown user or wrong password ({@link AuthenticationException}). */
  AUTH_FAILED,
  /** A session's token was replaced, on its own or as part of signing in or out. */
  TOKEN_ROTATED,
  /**
   * A session was not handed out because the request's client did not match the client the
   * session is bound to.
   */
  BINDING_REFUSED,
  /** A session variable was set or removed. */
  VARIABLE_CHANGED,
  /** An operation was refused for the session's sign-in state ({@link AccessDeniedException}). */
  ACCESS_DENIED;

  private final String wireName = name().toLowerCase(Locale.ROOT);

  /** The name written to audit logs, in lower-case snake case: {@code "session_created"}, … */
  public String wireName() {
    return wireName;
  }
}
