package dev.ephemera;

import java.time.Duration;
import java.time.Instant;

/**
 * A snapshot of a session, safe to list, log and show: it never holds the token.
 *
 * @param id the public id ({@code sess_…})
 * @param state the state when the snapshot was taken
 * @param endReason how the session ended, or {@code null} while it is {@link SessionState#ACTIVE}
 * @param identity who the session is signed in as, or {@code null} when signed out
 * @param namespace the selected namespace, or {@code null}
 * @param database the selected database, or {@code null}
 * @param client what is known of the client
 * @param priority the session's priority (higher survives longer under {@code maxSessions})
 * @param createdAt when the session was opened
 * @param lastActiveAt when the session was last used (recorded to within about 100 ms)
 * @param idle how long the session had been idle when the snapshot was taken
 * @param operations how many operations the session has served
 */
public record SessionInfo(
    String id,
    SessionState state,
    EndReason endReason,
    Identity identity,
    String namespace,
    String database,
    ClientInfo client,
    int priority,
    Instant createdAt,
    Instant lastActiveAt,
    Duration idle,
    long operations) {

  /** The signed-in user's name, or {@code null} when signed out. */
  public String user() {
    return identity == null ? null : identity.user();
  }

  /** How long the session had been open when the snapshot was taken. */
  public Duration age() {
    return Duration.between(createdAt, lastActiveAt).plus(idle);
  }
}
