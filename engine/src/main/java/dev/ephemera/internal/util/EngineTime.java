package dev.ephemera.internal.util;

import dev.ephemera.Ticker;
import java.time.Clock;
import java.time.Instant;

/**
 * The engine's time: a {@link Ticker} for elapsed nanoseconds, a wall clock read once to date
 * them, and a coarse clock for the hot path.
 *
 * <p>Reading {@code System.nanoTime()} costs about 20 ns, as much as a whole variable read, so
 * the hot path ({@code get}, {@code set}, {@code resume}) records activity with {@link #coarse()}:
 * a volatile field the engine's thread refreshes every {@link #TICK_NANOS} and every precise read
 * moves forward. Expiry decisions allow for that lag ({@link #slack()}), so a session never
 * expires early and at most one tick late. With an injected ticker there is no engine thread, and
 * {@code coarse()} reads the ticker itself: virtual time stays exact.
 */
public final class EngineTime {
  public static final long TICK_NANOS = 100_000_000L;

  private final Ticker ticker;
  private final boolean manual;
  private final Instant wallAnchor;
  private final long nanoAnchor;
  private volatile long coarse;

  public EngineTime(Ticker ticker, Clock clock) {
    this.ticker = ticker;
    this.manual = ticker != Ticker.system();
    this.nanoAnchor = ticker.read();
    this.wallAnchor = clock.instant();
    this.coarse = nanoAnchor;
  }

  /** Whether time is driven from outside (an injected ticker): the engine then runs no thread. */
  public boolean manual() {
    return manual;
  }

  /** The precise time. */
  public long now() {
    long t = ticker.read();
    if (!manual && t > coarse) {
      coarse = t;
    }
    return t;
  }

  /** The time to within one tick, cheap enough for every call. */
  public long coarse() {
    return manual ? ticker.read() : coarse;
  }

  /** How far {@link #coarse()} may lag behind {@link #now()}. */
  public long slack() {
    return manual ? 0 : TICK_NANOS;
  }

  /** Called by the engine's thread every tick. */
  public void tick() {
    now();
  }

  /** The ticker reading of a wall-clock instant (for records read back from a store). */
  public long nanos(Instant t) {
    long seconds = t.getEpochSecond() - wallAnchor.getEpochSecond();
    long n = t.getNano() - wallAnchor.getNano();
    if (Math.abs(seconds) > 200L * 365 * 86_400) { // beyond ~292 years the nanoseconds overflow
      return seconds > 0 ? Long.MAX_VALUE / 2 : Long.MIN_VALUE / 2;
    }
    return nanoAnchor + seconds * 1_000_000_000L + n;
  }

  /** The wall-clock instant of a ticker reading. */
  public Instant instant(long nanos) {
    return wallAnchor.plusNanos(nanos - nanoAnchor);
  }
}
