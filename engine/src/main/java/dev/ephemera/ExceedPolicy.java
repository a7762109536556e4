package dev.ephemera;

/** What happens when a user signs in to one session more than {@code maxSessionsPerUser} allows. */
public enum ExceedPolicy {
  /** End the user's session that signed in earliest, then admit the new one. */
  TERMINATE_OLDEST,
  /** Refuse the new sign-in with {@link SessionLimitException}; the session stays as it was. */
  DENY_NEW,
  /** No per-user limit. */
  ALLOW_ALL
}
