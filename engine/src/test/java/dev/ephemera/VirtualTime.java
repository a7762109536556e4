package dev.ephemera;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A ticker and a wall clock that move together, only when a test advances them: engines built one
 * after the other on it see time go on across a "restart".
 */
public final class VirtualTime {
  private final FakeTicker ticker = new FakeTicker();
  private final long origin = ticker.read();
  private final Instant start = Instant.parse("2026-01-01T00:00:00Z");

  public FakeTicker ticker() {
    return ticker;
  }

  public Clock clock() {
    return new Clock() {
      @Override
      public ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return start.plusNanos(ticker.read() - origin);
      }
    };
  }

  public VirtualTime advance(Duration d) {
    ticker.advance(d);
    return this;
  }

  /** A builder with this time and fast password hashing. */
  public SessionEngine.Builder builder() {
    return SessionEngine.builder().ticker(ticker).clock(clock()).passwordHashIterations(1000);
  }
}
