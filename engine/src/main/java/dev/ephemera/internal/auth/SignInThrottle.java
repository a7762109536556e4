package dev.ephemera.internal.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.ephemera.SignInLockedException;
import dev.ephemera.internal.util.EngineTime;
import dev.ephemera.internal.util.SaturatingMath;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Failed sign-ins by user and client address. After {@code maxFailures} failures in a row (each
 * within {@code lockout} of the last) the pair is locked for {@code lockout}: sign-ins are refused
 * before the password is hashed. Keyed by address too, so an attacker locks a user out only from
 * where the attacker is; entries expire {@code lockout} after their last failure, so a lockout
 * always ends. At most {@link #MAX_ENTRIES} pairs are remembered (the least recently failed are
 * forgotten first), so guessing random user names cannot exhaust memory.
 */
public final class SignInThrottle {
  static final int MAX_ENTRIES = 100_000;

  private static final class Failures {
    int count;
    long lockedUntil = Long.MIN_VALUE;
  }

  private final int maxFailures;
  private final long lockoutNanos;
  private final EngineTime time;
  private final Cache<String, Failures> failures;
  private final LongAdder refused = new LongAdder();

  public SignInThrottle(int maxFailures, long lockoutNanos, EngineTime time) {
    this.maxFailures = maxFailures;
    this.lockoutNanos = lockoutNanos;
    this.time = time;
    this.failures = Caffeine.newBuilder()
        .ticker(time::now)
        .executor(Runnable::run) // no background maintenance thread
        .expireAfterWrite(lockoutNanos, TimeUnit.NANOSECONDS)
        .maximumSize(MAX_ENTRIES)
        .build();
  }

  private static String key(String userKey, String address) {
    return userKey + '\u0000' + (address == null ? "" : address);
  }

  /** Refuses a sign-in of a locked pair. */
  public void check(String user, String userKey, String address) {
    Failures f = failures.getIfPresent(key(userKey, address));
    if (f == null) {
      return;
    }
    long now = time.now();
    long until;
    synchronized (f) {
      until = f.lockedUntil;
    }
    if (until != Long.MIN_VALUE && now - until < 0) {
      refused.increment();
      throw new SignInLockedException(user, Duration.ofNanos(until - now));
    }
  }

  /** Counts a failure; returns whether it locked the pair. */
  public boolean failed(String userKey, String address) {
    boolean[] locked = new boolean[1];
    failures.asMap().compute(key(userKey, address), (k, f) -> {
      Failures g = f == null ? new Failures() : f;
      synchronized (g) {
        if (++g.count >= maxFailures) {
          g.count = 0;
          g.lockedUntil = SaturatingMath.add(time.now(), lockoutNanos);
          locked[0] = true;
        }
      }
      return g; // a write: the entry lives lockout past this failure
    });
    return locked[0];
  }

  public void succeeded(String userKey, String address) {
    failures.invalidate(key(userKey, address));
  }

  public long refused() {
    return refused.sum();
  }
}
