package dev.ephemera.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Scheduler;
import dev.ephemera.internal.util.EngineTime;
import dev.ephemera.internal.util.SaturatingMath;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The expiry timer: a Caffeine cache of live sessions with a per-entry {@link Expiry} (its timer
 * wheel, not a scan) whose deadline for each session is the earliest of its idle deadline, its
 * lifetime, a pending delayed kill and an idle warning still to send.
 *
 * <p>The hot path never touches this cache: sessions record their activity themselves, and when
 * an entry fires, {@link EngineImpl#timerFired} re-checks the session and either ends it, warns,
 * or arms it again for its real deadline. The eviction listener runs inside Caffeine's removal,
 * so it only queues the session; the queue is drained outside Caffeine, by the engine's thread or
 * by {@link #runMaintenance()}.
 *
 * <p>With the system ticker, a new session is put in the cache by the engine's next tick (every
 * 100 ms) rather than by {@code open}: a session closed before that costs the cache nothing. With
 * an injected ticker there is no thread; sessions are armed at once and everything due happens in
 * {@link #runMaintenance()}.
 */
final class ExpiryTimer {
  private final EngineImpl engine;
  private final EngineTime time;
  private final ScheduledExecutorService thread;
  private final Cache<IdKey, SessionImpl> cache;
  private final PendingArms toArm = new PendingArms();
  private final ConcurrentLinkedQueue<SessionImpl> fired = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean drainQueued = new AtomicBoolean();

  ExpiryTimer(EngineImpl engine, EngineTime time, ScheduledExecutorService thread) {
    this.engine = engine;
    this.time = time;
    this.thread = thread;
    Caffeine<IdKey, SessionImpl> b = Caffeine.newBuilder()
        .ticker(engine.config.ticker()::read)
        .expireAfter(new SessionExpiry())
        .evictionListener((IdKey k, SessionImpl s, RemovalCause cause) -> {
          if (cause == RemovalCause.EXPIRED && s != null) {
            fired.add(s);
            requestDrain();
          }
        });
    if (thread != null) {
      b.scheduler(Scheduler.forScheduledExecutorService(thread)).executor(thread);
    } else {
      b.executor(Runnable::run);
    }
    this.cache = b.build();
  }

  /** Starts timing a new session. */
  void schedule(SessionImpl s) {
    if (thread != null) {
      toArm.add(s);
    } else {
      arm(s);
    }
  }

  /** Puts the session in the cache for its current next deadline (again, if it is there). */
  void arm(SessionImpl s) {
    s.armed = true;
    cache.put(s, s);
    if (!s.isLive()) { // ended while being armed: the release may have missed the entry
      cache.invalidate(s);
    }
  }

  /** Stops timing an ended session. */
  void cancel(SessionImpl s) {
    toArm.remove(s);
    if (s.armed) {
      cache.invalidate(s);
    }
  }

  /** The engine thread's periodic work: refresh the coarse clock, arm new sessions. */
  void tick() {
    time.tick();
    drainArms();
    drainFired();
  }

  /** Does everything that is due now, on the calling thread. */
  void runMaintenance() {
    time.tick();
    drainArms();
    cache.cleanUp();
    drainFiredCatchingUp();
  }

  void close() {
    toArm.clear();
    cache.invalidateAll();
    cache.cleanUp();
    fired.clear();
  }

  private void drainArms() {
    toArm.drain(s -> {
      if (s.isLive()) {
        arm(s);
      }
    });
  }

  /** Handles the sessions whose timers fired; returns how many. */
  private int drainFired() {
    int n = 0;
    SessionImpl s;
    while ((s = fired.poll()) != null) {
      engine.timerFired(s);
      n++;
    }
    return n;
  }

  /**
   * Caffeine expires at most {@value #CAFFEINE_EXPIRE_BATCH} entries per maintenance run and, with a
   * scheduler, runs the next one about a second later: 100,000 sessions due at once took 100 s to
   * end. After a full batch, run maintenance again at once until the backlog is gone.
   */
  private void drainFiredCatchingUp() {
    while (drainFired() >= CAFFEINE_EXPIRE_BATCH) {
      cache.cleanUp();
    }
  }

  /** {@code BoundedLocalCache.EXPIRATION_THRESHOLD} in Caffeine 3.3.1. */
  static final int CAFFEINE_EXPIRE_BATCH = 1000;

  private void requestDrain() {
    if (thread != null && drainQueued.compareAndSet(false, true)) {
      thread.execute(() -> {
        drainQueued.set(false);
        drainFiredCatchingUp();
      });
    }
  }

  /** Each entry lives until its session's next deadline; reads do not extend it. */
  private static final class SessionExpiry implements Expiry<IdKey, SessionImpl> {
    @Override
    public long expireAfterCreate(IdKey key, SessionImpl s, long now) {
      return Math.max(0, SaturatingMath.sub(s.engine.nextEventAt(s), now));
    }

    @Override
    public long expireAfterUpdate(IdKey key, SessionImpl s, long now, long currentDuration) {
      return expireAfterCreate(key, s, now);
    }

    @Override
    public long expireAfterRead(IdKey key, SessionImpl s, long now, long currentDuration) {
      return currentDuration;
    }
  }
}
