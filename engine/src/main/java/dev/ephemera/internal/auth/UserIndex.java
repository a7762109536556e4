package dev.ephemera.internal.auth;

import dev.ephemera.EndReason;
import dev.ephemera.ExceedPolicy;
import dev.ephemera.Identity;
import dev.ephemera.SessionLimitException;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The per-user session limit. Each user (by {@link Identity#key()}) has a queue of its signed-in
 * sessions, oldest sign-in first, changed only under the queue's lock, so the limit holds however
 * many threads sign in at once. A session terminated to make room is ended inside the lock: by
 * the time the newcomer is admitted it no longer serves calls. Queues are never removed (there
 * is one per user that ever signed in), which keeps admission free of remove/re-create races.
 */
public final class UserIndex {
  /** What the index needs of a session. */
  public interface Member {
    /** Whether the session has not begun to end. */
    boolean isLive();

    /** Ends the session; whether this call ended it. */
    boolean end(EndReason reason);
  }

  private final ConcurrentHashMap<String, ArrayDeque<Member>> queues = new ConcurrentHashMap<>();
  private final int max;
  private final ExceedPolicy policy;

  public UserIndex(int max, ExceedPolicy policy) {
    this.max = max;
    this.policy = policy;
  }

  /**
   * Counts {@code s} as signed in as {@code id}, unless {@code s} has begun to end: then nothing
   * changes (no other session is ended to make room for it) and this returns {@code false}.
   * (Checked under the queue's lock, so a sign-in that a concurrent kill ends either takes effect
   * before the kill or not at all: Lincheck found one that ended another session and then failed.)
   *
   * @throws SessionLimitException under {@link ExceedPolicy#DENY_NEW} when the user is at its limit
   */
  public boolean admit(Member s, Identity id) {
    if (policy == ExceedPolicy.ALLOW_ALL) {
      return s.isLive();
    }
    ArrayDeque<Member> q = queues.computeIfAbsent(id.key(), k -> new ArrayDeque<>());
    synchronized (q) {
      if (q.contains(s)) {
        return true;
      }
      if (!s.isLive()) {
        return false;
      }
      q.removeIf(x -> !x.isLive());
      while (q.size() >= max) {
        if (policy == ExceedPolicy.DENY_NEW) {
          throw new SessionLimitException("user " + id.key() + " already has " + q.size()
              + " sessions, the most allowed (maxSessionsPerUser " + max + ", DENY_NEW)", max);
        }
        q.pollFirst().end(EndReason.USER_LIMIT);
      }
      q.addLast(s);
      return true;
    }
  }

  /** Stops counting {@code s} for {@code id}. */
  public void remove(Member s, Identity id) {
    if (policy == ExceedPolicy.ALLOW_ALL) {
      return;
    }
    ArrayDeque<Member> q = queues.get(id.key());
    if (q != null) {
      synchronized (q) {
        q.remove(s);
      }
    }
  }
}
