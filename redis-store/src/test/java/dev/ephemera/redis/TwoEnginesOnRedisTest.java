package dev.ephemera.redis;

import static org.junit.jupiter.api.Assertions.*;

import dev.ephemera.Credentials;
import dev.ephemera.ExceedPolicy;
import dev.ephemera.Session;
import dev.ephemera.SessionEngine;
import dev.ephemera.SessionLimitException;
import dev.ephemera.SessionNotFoundException;
import dev.ephemera.SessionState;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two engines in one JVM, each with a {@link RedisSessionStore} of its own on one Redis server:
 * what one does, the other sees at the next resume (the engine module's {@code SharedStoreTest}
 * runs the same scenarios on an in-memory shared store).
 */
class TwoEnginesOnRedisTest {
  static final Credentials ALICE = Credentials.database("acme", "sales", "alice", "pw");
  static TestRedis server;
  final List<SessionEngine> engines = new ArrayList<>();

  @BeforeAll
  static void startServer() {
    server = TestRedis.startOrNull();
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @BeforeEach
  void emptyServer() {
    TestRedis.assumeStarted(server);
    server.raw().flushall();
  }

  @AfterEach
  void closeEngines() {
    for (SessionEngine e : engines) {
      e.close(); // closes its store too
    }
  }

  /** An engine on the test server (real time: Redis expires keys by its own clock). */
  SessionEngine engine(ExceedPolicy policy, Duration writeBehind) {
    RedisSessionStore store = RedisSessionStore.open(server.uri());
    SessionEngine e;
    try {
      SessionEngine.Builder b = SessionEngine.builder()
          .store(store)
          .rootUser("root", "pw")
          .passwordHashIterations(1000)
          .warmUpGraphs(false);
      if (policy != null) {
        b.maxSessionsPerUser(1, policy);
      }
      if (writeBehind != null) {
        b.writeBehind(writeBehind);
      }
      e = b.build();
    } catch (RuntimeException x) {
      store.close();
      throw x;
    }
    engines.add(e);
    e.users().create(ALICE);
    return e;
  }

  SessionEngine engine() {
    return engine(null, null);
  }

  @Test
  void anEngineStartedAfterTheFirstClosedResumesTheSessionWithItsSignInAndVariables() {
    SessionEngine first = engine();
    Session s = first.open();
    s.signIn(ALICE);
    s.set("cart", 3);
    s.flash("notice", "saved");
    String token = s.token();
    first.close(); // a restart: the records stay in Redis
    SessionEngine next = engine();
    Session again = next.resume(token);
    assertEquals(s.id(), again.id());
    assertEquals(3L, again.get("cart"));
    assertEquals("saved", again.takeFlash("notice"));
    assertEquals(ALICE.identity(), again.info().identity());
    again.close();
    assertThrows(SessionNotFoundException.class, () -> engine().resume(token), "closed: its record is gone");
  }

  @Test
  void aSessionOpenedOnOneEngineIsResumedOnTheOtherWithItsVariablesBothWays() {
    SessionEngine a = engine();
    SessionEngine b = engine();
    Session onA = a.open();
    onA.signIn(ALICE);
    onA.set("cart", 3);
    onA.set("price", new BigDecimal("19.99"));
    onA.set("tags", List.of("x", "y"));
    String token = onA.token();

    Session onB = b.resume(token);
    assertEquals(onA.id(), onB.id());
    assertEquals(3L, onB.get("cart"));
    assertEquals(new BigDecimal("19.99"), onB.get("price"));
    assertEquals(List.of("x", "y"), onB.get("tags"));
    assertEquals("alice", onB.info().identity().user());

    onB.set("seenByB", true);
    onB.set("cart", 4);
    assertEquals(3L, onA.get("cart"), "A's copy is as it was until A resumes it");
    Session again = a.resume(token);
    assertEquals(true, again.get("seenByB"));
    assertEquals(4L, again.get("cart"));

    // what the engines wrote, where the README says
    Map<String, byte[]> hash = server.raw().hgetall("ephemera:s:" + onA.id());
    assertEquals("db:acme:sales:alice", new String(hash.get("user"), StandardCharsets.UTF_8));
    assertTrue(server.raw().sismember("ephemera:u:db:acme:sales:alice", onA.id().getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void theRecordsTimeToLiveFollowsTheSessionsExpiry() {
    SessionEngine a = engine();
    Session s = a.open();
    s.set("x", 1);
    long pttl = server.raw().pttl("ephemera:s:" + s.id());
    long idle = Duration.ofMinutes(30).toMillis(); // the engine's default idle timeout
    assertTrue(pttl > idle - 60_000 && pttl <= idle, "PTTL " + pttl);
    long exp = Long.parseLong(new String(server.raw().hget("ephemera:s:" + s.id(), "exp"), StandardCharsets.UTF_8));
    assertTrue(Math.abs(exp - Instant.now().plusMillis(idle).toEpochMilli()) < 60_000, "exp " + exp);
  }

  @Test
  void aKillOnOneEngineIsSeenByTheOtherAtTheNextResume() {
    SessionEngine a = engine();
    SessionEngine b = engine();
    Session s = a.open();
    s.set("x", 1);
    String token = s.token();
    Session onB = b.resume(token);
    assertTrue(a.kill(s.id()));
    assertEquals(0, server.raw().exists("ephemera:s:" + s.id()));
    assertThrows(SessionNotFoundException.class, () -> b.resume(token));
    assertEquals(SessionState.KILLED, onB.state());

    Session t = a.open();
    assertTrue(b.kill(t.id()), "B deletes the record of a session only A holds");
    assertThrows(SessionNotFoundException.class, () -> a.resume(t.token()));
  }

  @Test
  void perUserLimitsHoldAcrossEnginesDenyNew() {
    SessionEngine a = engine(ExceedPolicy.DENY_NEW, null);
    SessionEngine b = engine(ExceedPolicy.DENY_NEW, null);
    Session first = a.open();
    first.signIn(ALICE);
    Session second = b.open();
    SessionLimitException x = assertThrows(SessionLimitException.class, () -> second.signIn(ALICE));
    assertTrue(x.getMessage().contains("shared store"), x.getMessage());
    assertNull(second.info().identity(), "the refused sign-in changed nothing");

    first.close();
    second.signIn(ALICE); // A's session left the user's index when it ended
    assertEquals("alice", second.info().identity().user());
  }

  @Test
  void perUserLimitsHoldAcrossEnginesTerminateOldest() {
    SessionEngine a = engine(ExceedPolicy.TERMINATE_OLDEST, null);
    SessionEngine b = engine(ExceedPolicy.TERMINATE_OLDEST, null);
    Session first = a.open();
    first.signIn(ALICE);
    String firstToken = first.token();
    Session second = b.open();
    second.signIn(ALICE);
    assertThrows(SessionNotFoundException.class, () -> a.resume(firstToken));
    assertEquals(second.id(), b.resume(second.token()).id());
  }

  @Test
  void writeBehindChangesReachTheOtherEngineOnceFlushedAtClose() {
    SessionEngine a = engine(null, Duration.ofMinutes(1));
    SessionEngine b = engine();
    Session s = a.open();
    s.set("late", "value");
    String token = s.token();
    a.close(); // flushes the write-behind queue and keeps the record
    engines.remove(a);
    assertEquals("value", b.resume(token).get("late"));
  }
}
