package dev.ephemera;

/** What {@link SessionEngine#open()} does when the engine already holds {@code maxSessions} sessions. */
public enum CapacityPolicy {
  /** End the session with the lowest priority (longest idle among equals) to make room. */
  EVICT_LOWEST_PRIORITY,
  /** Refuse the new session with {@link SessionLimitException}. */
  REFUSE_NEW
}
