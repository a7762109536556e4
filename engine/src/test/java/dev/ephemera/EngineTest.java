package dev.ephemera;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EngineTest {
  @Test
  void closingTheEngineEndsEverySessionAndStopsItsThread() {
    RecordingListener events = new RecordingListener();
    SessionEngine engine = SessionEngine.builder().listener(events).build(); // system ticker: has a thread
    List<Session> sessions = List.of(engine.open(), engine.open(), engine.open());
    assertTrue(engineThreads() > 0);
    engine.close();
    for (Session s : sessions) {
      assertEquals(SessionState.CLOSED, s.state());
      assertEquals(EndReason.ENGINE_SHUTDOWN, s.info().endReason());
    }
    assertEquals(3, events.count("ended"));
    assertThrows(EngineClosedException.class, engine::open);
    assertThrows(EngineClosedException.class, () -> engine.resume("x"));
    engine.close();
    assertEquals(3, events.count("ended"));
  }

  @Test
  void engineThreadsDoNotOutliveTheirEngines() throws InterruptedException {
    int before = engineThreads();
    Set<Thread> existing = Thread.getAllStackTraces().keySet();
    for (int i = 0; i < 20; i++) {
      try (SessionEngine e = SessionEngine.builder().build()) {
        e.open().set("a", 1);
      }
    }
    // close() waits for its executor to terminate, which it does a moment before its thread has
    // returned from run(): wait for those deaths (join, bounded), then none may be left
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("ephemera-engine-") && !existing.contains(t)) {
        t.join(5_000);
      }
    }
    assertEquals(before, engineThreads());
  }

  @Test
  void anEngineWithAnInjectedTickerRunsNoThread() {
    int before = engineThreads();
    try (SessionEngine e = SessionEngine.builder().ticker(new FakeTicker()).build()) {
      e.open();
      assertEquals(before, engineThreads());
    }
  }

  @Test
  void withTheSystemTickerSessionsExpireWithNobodyCallingTheEngine() throws Exception {
    // the one test on real time: it proves the engine's own thread drives expiry. It waits for the
    // ended event (a 50 ms idle timeout fires within about 1.2 s), not for a fixed sleep.
    CountDownLatch ended = new CountDownLatch(1);
    try (SessionEngine e = SessionEngine.builder().idleTimeout(Duration.ofMillis(50)).listener(new SessionListener() {
      @Override
      public void ended(SessionInfo s) {
        ended.countDown();
      }
    }).build()) {
      Session s = e.open();
      assertTrue(ended.await(20, TimeUnit.SECONDS), "the session did not expire");
      assertEquals(SessionState.EXPIRED, s.state());
      assertEquals(EndReason.IDLE_TIMEOUT, s.info().endReason());
    }
  }

  @Test
  void builderRefusesBadAndRepeatedSettings() {
    SessionEngine.Builder b = SessionEngine.builder();
    assertThrows(IllegalArgumentException.class, () -> b.idleTimeout(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> b.idleTimeout(Duration.ofSeconds(-1)));
    assertThrows(IllegalArgumentException.class, () -> b.maxSessions(0, CapacityPolicy.REFUSE_NEW));
    assertThrows(IllegalArgumentException.class, () -> b.maxSessionsPerUser(-1, ExceedPolicy.DENY_NEW));
    assertThrows(IllegalArgumentException.class, () -> b.passwordHashIterations(10));
    assertThrows(IllegalArgumentException.class, () -> b.maxValueBytes(0));
    assertThrows(NullPointerException.class, () -> b.ticker(null));
    b.idleTimeout(Duration.ofMinutes(5));
    IllegalStateException again = assertThrows(IllegalStateException.class, () -> b.idleTimeout(Duration.ofMinutes(6)));
    assertTrue(again.getMessage().contains("idleTimeout was already set to PT5M"), again.getMessage());
    b.idleWarning(Duration.ofMinutes(5));
    IllegalStateException conflict = assertThrows(IllegalStateException.class, b::build);
    assertTrue(conflict.getMessage().contains("must be shorter than idleTimeout"), conflict.getMessage());
    assertThrows(IllegalStateException.class, () -> SessionEngine.builder().maxValueBytes(100).maxSessionBytes(50).build());
    assertThrows(InvalidNameException.class, () -> SessionEngine.builder().rootUser("ro ot", "x"));
  }

  @Test
  void aFailingListenerDoesNotBreakTheEngine() {
    try (SessionEngine e = SessionEngine.builder().ticker(new FakeTicker())
        .listener(new SessionListener() {
          @Override
          public void opened(SessionInfo s) {
            throw new IllegalStateException("listener bug");
          }
        }).build()) {
      Session s = e.open();
      s.set("a", 1);
      s.close();
      assertEquals(1, e.stats().closed());
    }
  }

  private static int engineThreads() {
    return (int) Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("ephemera-engine-")).count();
  }
}
