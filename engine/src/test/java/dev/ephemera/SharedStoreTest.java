package dev.ephemera;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two engines on one shared store (the in-memory {@link MapStore}; the Redis module runs the same
 * scenario on a real server): what one does, the other sees at the next resume.
 */
class SharedStoreTest {
  final VirtualTime time = new VirtualTime();
  final Map<String, byte[]> records = new ConcurrentHashMap<>();
  SessionEngine a;
  SessionEngine b;

  SessionEngine engine(ExceedPolicy policy) {
    SessionEngine.Builder builder = time.builder().store(new MapStore(records, true)).rootUser("root", "pw");
    if (policy != null) {
      builder.maxSessionsPerUser(1, policy);
    }
    SessionEngine e = builder.build();
    e.users().create(Credentials.database("acme", "sales", "alice", "pw"));
    return e;
  }

  @AfterEach
  void close() {
    if (a != null) {
      a.close();
    }
    if (b != null) {
      b.close();
    }
  }

  @Test
  void aSessionOpenedOnOneEngineIsResumedOnTheOtherWithItsStateBothWays() {
    a = engine(null);
    b = engine(null);
    Session onA = a.open();
    onA.signIn(Credentials.database("acme", "sales", "alice", "pw"));
    onA.set("cart", 3);
    String token = onA.token();
    Session onB = b.resume(token);
    assertEquals(onA.id(), onB.id());
    assertEquals(3L, onB.get("cart"));
    assertEquals("alice", onB.info().identity().user());
    onB.set("cart", 4);
    onB.use("acme", "sales");
    assertEquals(3L, onA.get("cart"), "A's copy is as it was until A resumes it");
    assertEquals(4L, a.resume(token).get("cart"));
  }

  @Test
  void aKillOrCloseOnOneEngineIsSeenByTheOtherAtTheNextResume() {
    a = engine(null);
    b = engine(null);
    Session s = a.open();
    String token = s.token();
    Session onB = b.resume(token);
    assertTrue(a.kill(s.id()));
    assertThrows(SessionNotFoundException.class, () -> b.resume(token));
    assertEquals(SessionState.KILLED, onB.state(), "B's copy ended when B learned of it");

    Session t = a.open();
    String other = t.token();
    b.resume(other);
    assertTrue(b.kill(t.id()));
    assertThrows(SessionNotFoundException.class, () -> a.resume(other));
  }

  @Test
  void anAdministratorKillsASessionOnlyAnotherEngineHolds() {
    a = engine(null);
    b = engine(null);
    Session s = a.open();
    assertTrue(b.kill(s.id()), "B deletes the record");
    assertThrows(SessionNotFoundException.class, () -> a.resume(s.token()));
  }

  @Test
  void aTokenRotatedOnOneEngineStopsTheOldOneOnBoth() {
    a = engine(null);
    b = engine(null);
    Session s = a.open();
    String old = s.token();
    b.resume(old);
    String now = s.rotateToken();
    assertThrows(SessionNotFoundException.class, () -> b.resume(old));
    assertEquals(s.id(), b.resume(now).id());
    assertThrows(SessionNotFoundException.class, () -> a.resume(old));
  }

  @Test
  void perUserLimitsHoldAcrossEnginesDenyNew() {
    a = engine(ExceedPolicy.DENY_NEW);
    b = engine(ExceedPolicy.DENY_NEW);
    a.open().signIn(Credentials.database("acme", "sales", "alice", "pw"));
    Session second = b.open();
    SessionLimitException x = assertThrows(SessionLimitException.class,
        () -> second.signIn(Credentials.database("acme", "sales", "alice", "pw")));
    assertTrue(x.getMessage().contains("shared store"), x.getMessage());
    assertNull(second.info().identity(), "the refused sign-in changed nothing");
  }

  @Test
  void perUserLimitsHoldAcrossEnginesTerminateOldest() {
    a = engine(ExceedPolicy.TERMINATE_OLDEST);
    b = engine(ExceedPolicy.TERMINATE_OLDEST);
    Session first = a.open();
    first.signIn(Credentials.database("acme", "sales", "alice", "pw"));
    String firstToken = first.token();
    time.advance(java.time.Duration.ofSeconds(1));
    Session second = b.open();
    second.signIn(Credentials.database("acme", "sales", "alice", "pw"));
    assertThrows(SessionNotFoundException.class, () -> a.resume(firstToken));
    assertEquals(SessionState.KILLED, first.state());
    assertNotNull(b.resume(second.token()));
  }

  @Test
  void readsOfAHeldSessionReachTheSharedStoreBeforeItsCopyExpires() {
    a = engine(null); // idle timeout: the default 30 minutes
    b = engine(null);
    Session held = a.open();
    time.advance(java.time.Duration.ofMinutes(10));
    held.get("anything"); // activity the store has not seen: no resume, no change
    time.advance(java.time.Duration.ofMinutes(6)); // 16 min since the stored activity: past the halfway check
    a.runMaintenance();
    assertEquals(held.info().lastActiveAt(), new MapStore(records, true).get(held.id()).lastActiveAt());
    time.advance(java.time.Duration.ofMinutes(16)); // 32 min after opening, 22 after the read
    assertEquals(held.id(), b.resume(held.token()).id(), "the store's copy counts from the read");
  }

  @Test
  void aCorruptSharedRecordIsATypedErrorOnResume() {
    a = engine(null);
    b = engine(null);
    Session s = a.open();
    byte[] bytes = records.get(s.id());
    bytes[bytes.length / 2] ^= 1;
    CorruptRecordException x = assertThrows(CorruptRecordException.class, () -> b.resume(s.token()));
    assertEquals(s.id(), x.sessionId());
    assertEquals(1, b.stats().corruptRecords());
  }

  /**
   * A store's {@code load} that itself resumes another session on the same engine and thread (a
   * nested resume) must not disturb the resume that called it: both find their own session.
   */
  @Test
  void aResumeNestedInTheStoresLoadDoesNotDisturbTheOuterResume() {
    a = engine(null);
    Session outer = a.open();
    Session inner = a.open();
    MapStore map = new MapStore(records, true);
    java.util.concurrent.atomic.AtomicReference<Session> nested = new java.util.concurrent.atomic.AtomicReference<>();
    SessionStore reentrant = new SessionStore() {
      @Override
      public java.util.Optional<SessionRecord> load(String id) {
        if (id.equals(outer.id()) && nested.get() == null) {
          nested.set(b.resume(inner.token()));
        }
        return map.load(id);
      }

      @Override
      public void save(SessionRecord r) {
        map.save(r);
      }

      @Override
      public boolean delete(String id) {
        return map.delete(id);
      }

      @Override
      public void scan(java.util.function.Consumer<SessionRecord> each,
          java.util.function.Consumer<CorruptRecordException> corrupt) {
        map.scan(each, corrupt);
      }

      @Override
      public boolean shared() {
        return true;
      }

      @Override
      public void close() {
      }
    };
    b = time.builder().store(reentrant).rootUser("root", "pw").build();
    assertEquals(outer.id(), b.resume(outer.token()).id());
    assertEquals(inner.id(), nested.get().id());
  }

  /**
   * Calls within one tick skip the sign-in check after the first; a sign-in deadline that arrives
   * already past (here: set by an engine whose clock is ten minutes behind) must still refuse the
   * very next call, without waiting for time to move.
   */
  @Test
  void aSignInDeadlineThatArrivesAlreadyPastRefusesTheNextCallInTheSameTick() {
    a = engine(null);
    b = SessionEngine.builder().ticker(time.ticker())
        .clock(java.time.Clock.offset(time.clock(), java.time.Duration.ofMinutes(-10)))
        .passwordHashIterations(1000).store(new MapStore(records, true)).rootUser("root", "pw")
        .reauthInterval(java.time.Duration.ofMinutes(1)).build();
    b.users().create(Credentials.database("acme", "sales", "alice", "pw"));
    Session onA = a.open();
    onA.set("x", 1);
    assertEquals(1L, onA.get("x")); // checked in this tick
    Session onB = b.resume(onA.token());
    onB.signIn(Credentials.database("acme", "sales", "alice", "pw")); // deadline: B's now + 1 min = 9 min ago on A
    // the sign-in rotated the token; A takes B's record, deadline included; time has not moved
    Session again = a.resume(onB.token());
    assertSame(onA, again);
    assertThrows(ReauthenticationRequiredException.class, () -> again.get("x"));
  }
}
