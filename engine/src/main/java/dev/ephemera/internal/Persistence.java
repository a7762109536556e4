package dev.ephemera.internal;

import dev.ephemera.CorruptRecordException;
import dev.ephemera.EndReason;
import dev.ephemera.ExceedPolicy;
import dev.ephemera.Identity;
import dev.ephemera.SessionLimitException;
import dev.ephemera.SessionRecord;
import dev.ephemera.SessionStore;
import dev.ephemera.SessionStoreException;
import dev.ephemera.internal.util.SaturatingMath;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;

/**
 * An engine's link to its {@link SessionStore}: what is written when, and how sessions come back.
 *
 * <ul>
 *   <li>Every change a session's state makes (variables, flash, sign-in, selection, token,
 *   priority) is saved when the call returns (write-through), or queued and saved within the
 *   write-behind delay. A change made inside a transaction is saved when the transaction ends, so
 *   the store only ever holds committed state.
 *   <li>Activity alone (resume, touch) is saved when the stored last-active time is a second old or
 *   more: reads do not cost a write each.
 *   <li>A session that ends is deleted from the store, except at engine shutdown, where its final
 *   state is saved for the next engine.
 *   <li>Saves and deletes of one session are serialized on the session's lock, and nothing is saved
 *   for a session after its record was deleted.
 * </ul>
 */
final class Persistence {
  private static final System.Logger LOG = System.getLogger("dev.ephemera");
  /** Activity younger than this is not written on its own. */
  static final long ACTIVITY_NANOS = 1_000_000_000L;

  final SessionStore store;
  final boolean shared;
  private final EngineImpl engine;
  private final long writeBehindNanos;
  private final ConcurrentLinkedQueue<SessionImpl> queue = new ConcurrentLinkedQueue<>();
  private volatile boolean closed;

  final LongAdder restored = new LongAdder();
  final LongAdder writes = new LongAdder();
  final LongAdder failures = new LongAdder();
  final LongAdder corrupt = new LongAdder();

  Persistence(EngineImpl engine, SessionStore store, long writeBehindNanos) {
    this.engine = engine;
    this.store = store;
    this.shared = store.shared();
    this.writeBehindNanos = writeBehindNanos;
  }

  /** Per-session persistence state, allocated only when the engine has a store. */
  static final class State {
    /** The revision of the record last saved or loaded. */
    long revision;
    /** The last-active time the store holds. */
    volatile long storedActive = Long.MIN_VALUE;
    /** When the timer last checked for activity the store has not seen (shared stores). */
    volatile long checkedAt = Long.MIN_VALUE;
    /** A change waits for its transaction to end, or for the write-behind flush. */
    boolean dirty;
    boolean queued;
    /** The record was deleted: nothing more is saved. */
    boolean deleted;
    /** SHA-256 of the current token, or {@code null} until needed. */
    byte[] tokenHash;
    /**
     * Set while the session was restored from a record and its token has not been presented yet:
     * the engine knows only the token's hash, which a resume compares.
     */
    byte[] dormantHash;
    /** When the current user signed in (engine time), or {@code Long.MIN_VALUE}: kept for the per-user order. */
    long signedInAt = Long.MIN_VALUE;
  }

  static byte[] sha256(byte[] token, int length) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update(token, 0, length);
      return d.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  long writeBehindNanos() {
    return writeBehindNanos;
  }

  // ---- writing -------------------------------------------------------------------------------

  /** The session's state changed: save it now, at the end of its transaction, or in the background. */
  void changed(SessionImpl s) {
    State p = s.persistState();
    if (s.undo != null) {
      synchronized (s) {
        p.dirty = true;
      }
      return;
    }
    write(s, true);
  }

  /** The session was used; save its activity if the store's copy is a second old. */
  void touched(SessionImpl s) {
    State p = s.persistState();
    if (s.lastActive() - p.storedActive >= ACTIVITY_NANOS && s.undo == null) {
      write(s, false);
    }
  }

  /** Saves now (write-through) or queues the session for the write-behind flush. */
  private void write(SessionImpl s, boolean propagate) {
    if (writeBehindNanos > 0) {
      enqueue(s, s.persistState());
    } else {
      save(s, propagate);
    }
  }

  /**
   * With a shared store, when the engine's timer next looks at the session's activity: halfway
   * through the idle timeout that the store's copy counts from. Activity that never reached the
   * store (reads of a held session) is saved then, before the store's copy expires and other
   * engines, or Redis's TTL, end the session while it is in use here.
   */
  long activityCheckAt(SessionImpl s) {
    State p = s.persistState();
    return SaturatingMath.add(Math.max(p.storedActive, p.checkedAt), engine.config.idleTimeoutNanos() / 2);
  }

  /** The timer's activity check: saves activity newer than the store's copy, or notes that there was none. */
  void checkActivity(SessionImpl s, long now) {
    State p = s.persistState();
    if (s.lastActive() != p.storedActive && s.undo == null) {
      save(s, false);
    }
    synchronized (s) {
      p.checkedAt = now;
    }
  }

  /** The session's transaction ended: save what it changed, if anything. */
  void transactionEnded(SessionImpl s) {
    State p = s.persistState();
    boolean dirty;
    synchronized (s) {
      dirty = p.dirty;
    }
    if (dirty) {
      changed(s);
    }
  }

  private void enqueue(SessionImpl s, State p) {
    synchronized (s) {
      p.dirty = true;
      if (p.queued) {
        return;
      }
      p.queued = true;
    }
    queue.add(s);
  }

  /** Saves every queued session (write-behind); runs on the engine's thread or in {@code runMaintenance}. */
  void flush() {
    SessionImpl s;
    while ((s = queue.poll()) != null) {
      State p = s.persistState();
      synchronized (s) {
        p.queued = false;
      }
      try {
        save(s, false);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.ERROR, "write-behind save of session " + s.id() + " failed", e);
      }
    }
  }

  /**
   * Saves the session's record under its lock (so saves of one session are in order), unless it was
   * deleted or the store is closed.
   *
   * @param propagate whether a failure is thrown to the caller (write-through) or only logged
   */
  void save(SessionImpl s, boolean propagate) {
    synchronized (s) {
      State p = s.persistState();
      if (p.deleted || closed) {
        return;
      }
      SessionRecord r = s.record();
      try {
        store.save(r);
      } catch (RuntimeException e) {
        failures.increment();
        if (propagate) {
          throw e instanceof SessionStoreException x ? x : new SessionStoreException("saving session " + s.id()
              + " failed; the change is in memory but not stored: " + e, e);
        }
        LOG.log(System.Logger.Level.WARNING, "saving session " + s.id() + " failed", e);
        return;
      }
      writes.increment();
      p.revision = r.revision();
      p.storedActive = s.lastActive();
      p.dirty = false;
    }
  }

  /** The session ended: delete its record, or at engine shutdown save its final state. */
  void ended(SessionImpl s) {
    if (s.endReason() == EndReason.ENGINE_SHUTDOWN) {
      boolean stale;
      synchronized (s) {
        State p = s.persistState();
        stale = p.dirty || s.lastActive() != p.storedActive;
      }
      if (stale) { // the store has all of it already unless something changed since the last save
        save(s, false);
      }
      return;
    }
    synchronized (s) {
      State p = s.persistState();
      if (p.deleted) {
        return;
      }
      p.deleted = true;
      if (closed) {
        return;
      }
      try {
        store.delete(s.id());
        writes.increment();
      } catch (RuntimeException e) {
        failures.increment();
        LOG.log(System.Logger.Level.WARNING, "deleting the record of ended session " + s.id() + " failed", e);
      }
    }
  }

  /** Writes what is queued and closes the store. Called once, by the engine's close. */
  void close() {
    flush();
    closed = true;
    try {
      store.close();
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "closing session store " + store + " failed", e);
    }
  }

  boolean closed() {
    return closed;
  }

  // ---- reading -------------------------------------------------------------------------------

  /** Deletes expired records, then (for a store only this engine uses) restores every other one. */
  void start() {
    Instant now = engine.time.instant(engine.time.now());
    try {
      int purged = store.purgeExpired(now);
      if (purged > 0) {
        LOG.log(System.Logger.Level.INFO, "purged " + purged + " expired session records from " + store);
      }
    } catch (RuntimeException e) {
      failures.increment();
      LOG.log(System.Logger.Level.WARNING, "purging expired records from " + store + " failed", e);
    }
    if (shared) {
      return; // sessions come back one by one, when they are resumed
    }
    List<SessionRecord> records = new ArrayList<>();
    store.scan(records::add, this::corrupt);
    // per-user queues keep sign-in order (version 1 records did not keep it: their creation stands in)
    records.sort(Comparator.comparing((SessionRecord r) -> r.signedInAt() == null ? r.createdAt() : r.signedInAt())
        .thenComparing(SessionRecord::createdAt));
    for (SessionRecord r : records) {
      if (r.expiredAt(now)) {
        delete(r.id());
        continue;
      }
      try {
        engine.restore(r);
      } catch (RuntimeException e) {
        failures.increment();
        LOG.log(System.Logger.Level.WARNING, "session " + r.id() + " could not be restored from " + store, e);
      }
    }
  }

  void corrupt(CorruptRecordException e) {
    corrupt.increment();
    LOG.log(System.Logger.Level.WARNING, e.getMessage() + " (skipped; it stays in " + store + ")");
  }

  private void delete(String id) {
    try {
      store.delete(id);
      writes.increment();
    } catch (RuntimeException e) {
      failures.increment();
      LOG.log(System.Logger.Level.WARNING, "deleting record " + id + " failed", e);
    }
  }

  /** The store's record of {@code id} for a resume from a shared store; empty if there is none. */
  Optional<SessionRecord> load(String id) {
    try {
      return store.load(id);
    } catch (CorruptRecordException e) {
      corrupt(e);
      throw e;
    } catch (RuntimeException e) {
      failures.increment();
      throw e instanceof SessionStoreException x ? x : new SessionStoreException("loading session " + id
          + " from " + store + " failed: " + e, e);
    }
  }

  /** Deletes a session's record on behalf of an administrator (a kill of a session another engine holds). */
  boolean deleteRecord(String id) {
    boolean had = store.delete(id);
    writes.increment();
    return had;
  }

  // ---- per-user limits across engines --------------------------------------------------------

  /**
   * Applies the per-user limit to the sessions of {@code id}'s user that the shared store holds
   * (other engines' too), before {@code s} signs in. Not atomic across engines: two sign-ins at
   * the same moment on two engines may both pass.
   */
  void admitShared(SessionImpl s, Identity id) {
    ExceedPolicy policy = engine.config.exceedPolicy();
    int max = engine.config.maxSessionsPerUser();
    if (policy == ExceedPolicy.ALLOW_ALL || max == Integer.MAX_VALUE) {
      return;
    }
    List<SessionRecord> others = new ArrayList<>();
    for (String other : store.sessionsOf(id.key())) {
      if (!other.equals(s.id())) {
        try {
          store.load(other).ifPresent(others::add);
        } catch (CorruptRecordException e) {
          corrupt(e);
        }
      }
    }
    if (others.size() < max) {
      return;
    }
    if (policy == ExceedPolicy.DENY_NEW) {
      throw new SessionLimitException("user " + id.key() + " already has " + others.size()
          + " sessions in the shared store, the most allowed (maxSessionsPerUser " + max + ", DENY_NEW)", max);
    }
    others.sort(Comparator.comparing(SessionRecord::createdAt));
    for (int i = 0; i <= others.size() - max; i++) {
      String victim = others.get(i).id();
      if (!engine.endLocal(victim, EndReason.USER_LIMIT)) {
        deleteRecord(victim);
      }
    }
  }
}
