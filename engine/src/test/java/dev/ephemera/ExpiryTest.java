package dev.ephemera;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Expiry in virtual time: the test moves a {@link FakeTicker} and runs the engine's maintenance.
 * Caffeine's timer wheel fires at most about 1.07 s after a deadline (its finest bucket), so
 * "not before" is checked to the nanosecond and "at" within two seconds.
 */
class ExpiryTest {
  final FakeTicker ticker = new FakeTicker();
  final RecordingListener events = new RecordingListener();
  SessionEngine engine = SessionEngine.builder()
      .ticker(ticker)
      .idleTimeout(Duration.ofMinutes(15))
      .maxLifetime(Duration.ofHours(2))
      .idleWarning(Duration.ofMinutes(1))
      .listener(events)
      .build();

  @AfterEach
  void close() {
    engine.close();
  }

  private void advance(Duration d) {
    ticker.advance(d);
    engine.runMaintenance();
  }

  @Test
  void fiveThousandSessionsDueAtOnceAllEndInOneMaintenanceRun() {
    // Caffeine expires 1,000 entries per maintenance run; the engine runs it again until none are left
    FakeTicker t = new FakeTicker();
    try (SessionEngine e = SessionEngine.builder().ticker(t).idleTimeout(Duration.ofMinutes(1)).build()) {
      for (int i = 0; i < 5_000; i++) {
        e.open();
      }
      t.advance(Duration.ofMinutes(2));
      e.runMaintenance();
      assertEquals(0, e.stats().active());
      assertEquals(5_000, e.stats().expired());
    }
  }

  @Test
  void anUnusedSessionExpiresAtItsIdleTimeoutAndNotBefore() {
    Session s = engine.open();
    advance(Duration.ofMinutes(15).minusNanos(1));
    assertEquals(SessionState.ACTIVE, s.state());
    advance(Duration.ofSeconds(2));
    assertEquals(SessionState.EXPIRED, s.state());
    assertEquals(EndReason.IDLE_TIMEOUT, s.info().endReason());
    assertThrows(SessionClosedException.class, () -> s.get("x"));
    assertEquals(List.of(), engine.sessions());
  }

  @Test
  void useOfAHeldSessionPostponesExpiryWithoutTouchingTheRegistry() {
    Session s = engine.open();
    for (int i = 0; i < 10; i++) {
      advance(Duration.ofMinutes(10));
      s.set("i", i); // a plain variable write on the held session
    }
    assertEquals(SessionState.ACTIVE, s.state(), "100 minutes old but never idle for 15");
    advance(Duration.ofMinutes(15));
    assertEquals(SessionState.EXPIRED, s.state());
  }

  @Test
  void theLifetimeEndsASessionHoweverBusyItIs() {
    Session s = engine.open();
    for (int i = 0; i < 11; i++) {
      advance(Duration.ofMinutes(10));
      s.touch();
    }
    assertEquals(SessionState.ACTIVE, s.state());
    advance(Duration.ofMinutes(10)); // 120 minutes
    assertEquals(SessionState.EXPIRED, s.state());
    assertEquals(EndReason.LIFETIME, s.info().endReason());
  }

  @Test
  void anIdleWarningGoesOutOnceBeforeTheIdleTimeout() {
    Session s = engine.open();
    advance(Duration.ofMinutes(13));
    assertEquals(0, events.count("idleWarning"));
    advance(Duration.ofSeconds(62)); // 14:02, just past one minute before the timeout
    assertEquals(List.of("idleWarning " + s.id() + " PT58S"),
        events.events.stream().filter(e -> e.startsWith("idleWarning")).toList());
    advance(Duration.ofSeconds(30));
    assertEquals(1, events.count("idleWarning"), "one warning per idle period");
    s.touch(); // the warning is heeded: a new idle period starts
    advance(Duration.ofSeconds(14 * 60 + 2));
    assertEquals(2, events.count("idleWarning"));
    assertEquals(SessionState.ACTIVE, s.state());
    advance(Duration.ofSeconds(60));
    assertEquals(SessionState.EXPIRED, s.state());
    assertEquals(1, events.count("ended"));
  }

  @Test
  void killWithGraceWarnsThenKillsWhateverTheSessionDoes() {
    Session s = engine.open();
    assertTrue(engine.kill(s.id(), Duration.ofSeconds(30)));
    assertEquals(List.of("killWarning " + s.id() + " PT30S"),
        events.events.stream().filter(e -> e.startsWith("killWarning")).toList());
    advance(Duration.ofSeconds(30).minusNanos(1));
    s.touch();
    assertEquals(SessionState.ACTIVE, s.state());
    advance(Duration.ofSeconds(2));
    assertEquals(SessionState.KILLED, s.state());
    assertEquals(EndReason.KILLED, s.info().endReason());
  }

  @Test
  void aSessionInTheMiddleOfACallIsNotTornDownUnderIt() throws Exception {
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch proceed = new CountDownLatch(1);
    engine.close();
    engine = SessionEngine.builder()
        .ticker(ticker)
        .idleTimeout(Duration.ofMinutes(15))
        .maxLifetime(Duration.ofHours(1))
        .listener(events)
        .authenticator(c -> {
          inside.countDown();
          try {
            proceed.await(30, TimeUnit.SECONDS); // a slow sign-in: the call is in flight
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return Optional.of(new Identity("slow", AuthLevel.ROOT, null, null));
        })
        .build();
    Session s = engine.open();
    CompletableFuture<Identity> call = CompletableFuture.supplyAsync(() -> s.signIn(Credentials.root("slow", "pw")));
    assertTrue(inside.await(30, TimeUnit.SECONDS));

    advance(Duration.ofMinutes(30)); // idle timeout passes during the call: a busy session is not idle
    assertEquals(SessionState.ACTIVE, s.state());
    advance(Duration.ofMinutes(40)); // the lifetime passes: it ends, but its release waits for the call
    assertEquals(SessionState.EXPIRED, s.state());
    assertEquals(0, events.count("ended"), "not released while the call runs");
    assertEquals(1, engine.stats().active());

    proceed.countDown();
    call.handle((v, e) -> null).get(30, TimeUnit.SECONDS);
    assertEquals(1, events.count("ended"), "released once, when the call returned");
    assertEquals(EndReason.LIFETIME, events.ended.get(0).endReason());
    assertEquals(0, engine.stats().active());
  }

  @Test
  void everyWayOfEndingReportsTheEndExactlyOnceWithItsCause() {
    Session closed = engine.open();
    Session idle = engine.open();
    Session killed = engine.open();
    Session shutdown = engine.open();
    closed.close();
    engine.kill(killed.id());
    engine.kill(killed.id());
    killed.close();
    advance(Duration.ofMinutes(14));
    shutdown.touch();
    advance(Duration.ofMinutes(2));
    idle.close();
    engine.close();
    engine.close();
    shutdown.close();
    assertEquals(4, events.count("ended"));
    assertEquals(EndReason.CLOSED, closed.info().endReason());
    assertEquals(EndReason.KILLED, killed.info().endReason());
    assertEquals(EndReason.IDLE_TIMEOUT, idle.info().endReason());
    assertEquals(EndReason.ENGINE_SHUTDOWN, shutdown.info().endReason());
    assertEquals(SessionState.CLOSED, shutdown.state());
  }

  @Test
  void sessionsThatEndedBeforeTheirTimerFiredLeaveNothingBehind() {
    for (int i = 0; i < 1000; i++) {
      engine.open().close();
    }
    advance(Duration.ofHours(3));
    assertEquals(1000, engine.stats().closed());
    assertEquals(0, engine.stats().expired());
    assertEquals(0, engine.stats().active());
  }
}
