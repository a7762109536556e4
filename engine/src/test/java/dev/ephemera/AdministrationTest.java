package dev.ephemera;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AdministrationTest {
  final FakeTicker ticker = new FakeTicker();
  final SessionEngine engine = SessionEngine.builder()
      .ticker(ticker)
      .idleTimeout(Duration.ofHours(1))
      .passwordHashIterations(1000)
      .build();

  AdministrationTest() {
    engine.users().create(Credentials.root("alice", "pw"));
    engine.users().create(Credentials.database("acme", "sales", "bob", "pw"));
  }

  @AfterEach
  void close() {
    engine.close();
  }

  @Test
  void listingsFilterByUserIdleAndAgeAndSortAndLimit() {
    Session old = engine.open();
    old.signIn(Credentials.root("alice", "pw"));
    ticker.advance(Duration.ofMinutes(40));
    Session mid = engine.open();
    mid.signIn(Credentials.database("acme", "sales", "bob", "pw"));
    ticker.advance(Duration.ofMinutes(10));
    Session fresh = engine.open();
    fresh.signIn(Credentials.root("alice", "pw"));

    assertEquals(3, engine.sessions().size());
    assertEquals(List.of(old.id(), fresh.id()), engine.sessions(SessionFilter.all().user("alice")
        .sortedBy(SessionFilter.Order.AGE)).stream().map(SessionInfo::id).toList());
    assertEquals(List.of(old.id()), engine.sessions(SessionFilter.all().idleLongerThan(Duration.ofMinutes(30)))
        .stream().map(SessionInfo::id).toList());
    assertEquals(List.of(old.id(), mid.id()), engine.sessions(SessionFilter.all().openLongerThan(Duration.ofMinutes(5))
        .sortedBy(SessionFilter.Order.IDLE)).stream().map(SessionInfo::id).toList());
    assertEquals(List.of(old.id()), engine.sessions(SessionFilter.all().sortedBy(SessionFilter.Order.AGE).limit(1))
        .stream().map(SessionInfo::id).toList());
    assertEquals("bob", engine.session(mid.id()).orElseThrow().user());
  }

  @Test
  void listingsNeverIncludeEndedSessions() {
    Session a = engine.open();
    engine.open();
    a.close();
    assertEquals(1, engine.sessions().size());
    assertTrue(engine.session(a.id()).isEmpty());
  }

  @Test
  void killEndsOneSessionByIdAndSaysWhetherItDid() {
    Session a = engine.open();
    Session b = engine.open();
    assertTrue(engine.kill(a.id()));
    assertFalse(engine.kill(a.id()));
    assertEquals(SessionState.KILLED, a.state());
    assertEquals(SessionState.ACTIVE, b.state());
    assertFalse(engine.kill("sess_AAAAAAAAAAAAAAAA"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> engine.kill("' OR 1=1 --"));
    assertTrue(e.getMessage().contains("not a session id"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> engine.kill(null));
    assertThrows(IllegalArgumentException.class, () -> engine.kill(a.id(), Duration.ofSeconds(-1)));
  }

  @Test
  void killUserEndsEverySessionOfThatUser() {
    Session a1 = engine.open();
    Session a2 = engine.open();
    Session b = engine.open();
    a1.signIn(Credentials.root("alice", "pw"));
    a2.signIn(Credentials.root("alice", "pw"));
    b.signIn(Credentials.database("acme", "sales", "bob", "pw"));
    assertEquals(2, engine.killUser("alice"));
    assertEquals(0, engine.killUser("alice"));
    assertEquals(SessionState.ACTIVE, b.state());
    assertThrows(InvalidNameException.class, () -> engine.killUser("a b"));
  }

  @Test
  void cleanupEndsSessionsIdleLongerThanTheGivenTime() {
    Session idle = engine.open();
    ticker.advance(Duration.ofMinutes(31));
    Session busy = engine.open();
    assertEquals(1, engine.cleanup(Duration.ofMinutes(30)));
    assertEquals(EndReason.IDLE_TIMEOUT, idle.info().endReason());
    assertEquals(SessionState.ACTIVE, busy.state());
    assertEquals(0, engine.cleanup(Duration.ofMinutes(30)));
  }

  @Test
  void statsCountOpenedEndedPeakDurationAndOperations() {
    Session a = engine.open();
    Session b = engine.open();
    Session c = engine.open();
    a.set("x", 1);
    a.get("x");
    ticker.advance(Duration.ofSeconds(10));
    a.close();
    engine.kill(b.id());
    ticker.advance(Duration.ofHours(2));
    engine.runMaintenance();
    EngineStats s = engine.stats();
    assertEquals(0, s.active());
    assertEquals(3, s.peak());
    assertEquals(3, s.opened());
    assertEquals(1, s.closed());
    assertEquals(1, s.killed());
    assertEquals(1, s.expired());
    assertEquals(1L, s.endedBy().get(EndReason.IDLE_TIMEOUT));
    // a lived 10 s, b 10 s, c until the maintenance that found it past its idle timeout
    assertEquals(Duration.ofSeconds(10 + 10 + 7210).dividedBy(3), s.averageDuration());
    assertEquals(2.0 / 3, s.averageOperations(), 1e-9);
    assertEquals(SessionState.EXPIRED, c.state());
  }
}
