package dev.ephemera;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class LimitsTest {
  private static SessionEngine engine(int perUser, ExceedPolicy policy) {
    SessionEngine e = SessionEngine.builder()
        .ticker(new FakeTicker())
        .passwordHashIterations(1000)
        .maxSessionsPerUser(perUser, policy)
        .build();
    e.users().create(Credentials.root("alice", "pw"));
    e.users().create(Credentials.root("bob", "pw"));
    return e;
  }

  private static final Credentials ALICE = Credentials.root("alice", "pw");

  @Test
  void terminateOldestEndsTheEarliestSignInOfThatUserOnly() {
    try (SessionEngine e = engine(2, ExceedPolicy.TERMINATE_OLDEST)) {
      Session a1 = e.open();
      Session a2 = e.open();
      Session b1 = e.open();
      a1.signIn(ALICE);
      a2.signIn(ALICE);
      b1.signIn(Credentials.root("bob", "pw"));
      Session a3 = e.open();
      a3.signIn(ALICE);
      assertEquals(SessionState.KILLED, a1.state());
      assertEquals(EndReason.USER_LIMIT, a1.info().endReason());
      assertEquals(SessionState.ACTIVE, a2.state());
      assertEquals(SessionState.ACTIVE, a3.state());
      assertEquals(SessionState.ACTIVE, b1.state());
      assertEquals(2, e.sessions(SessionFilter.all().user("alice")).size());
    }
  }

  @Test
  void denyNewRefusesTheSignInAndLeavesTheSessionAsItWas() {
    try (SessionEngine e = engine(1, ExceedPolicy.DENY_NEW)) {
      Session a1 = e.open();
      a1.signIn(ALICE);
      Session a2 = e.open();
      String token = a2.token();
      SessionLimitException ex = assertThrows(SessionLimitException.class, () -> a2.signIn(ALICE));
      assertEquals(1, ex.limit());
      assertTrue(ex.getMessage().contains("root:alice"), ex.getMessage());
      assertNull(a2.info().identity());
      assertEquals(token, a2.token());
      a1.close(); // frees the place
      a2.signIn(ALICE);
      assertEquals("alice", a2.info().user());
    }
  }

  @Test
  void signingOutOrSwitchingUserFreesThePlace() {
    try (SessionEngine e = engine(1, ExceedPolicy.DENY_NEW)) {
      Session a1 = e.open();
      a1.signIn(ALICE);
      a1.signOut();
      Session a2 = e.open();
      a2.signIn(ALICE);
      a2.signIn(Credentials.root("bob", "pw"));
      e.open().signIn(ALICE);
      assertEquals(1, e.sessions(SessionFilter.all().user("alice")).size());
    }
  }

  @Test
  void aForkCountsTowardsItsUsersLimit() {
    try (SessionEngine e = engine(1, ExceedPolicy.DENY_NEW)) {
      Session a1 = e.open();
      a1.signIn(ALICE);
      assertThrows(SessionLimitException.class, a1::fork);
      assertEquals(1, e.stats().active(), "the refused fork left nothing behind");
    }
  }

  @Test
  void allowAllHasNoLimit() {
    try (SessionEngine e = engine(1, ExceedPolicy.ALLOW_ALL)) {
      for (int i = 0; i < 5; i++) {
        e.open().signIn(ALICE);
      }
      assertEquals(5, e.sessions(SessionFilter.all().user("alice")).size());
    }
  }

  @RepeatedTest(3)
  void racingSignInsNeverAdmitMoreThanTheLimitUnderDenyNew() throws Exception {
    int limit = 3;
    int threads = 8;
    int perThread = 25;
    try (SessionEngine e = engine(limit, ExceedPolicy.DENY_NEW)) {
      AtomicInteger admitted = new AtomicInteger();
      AtomicInteger refused = new AtomicInteger();
      runConcurrently(threads, () -> {
        for (int i = 0; i < perThread; i++) {
          try {
            e.open().signIn(ALICE);
            admitted.incrementAndGet();
          } catch (SessionLimitException ex) {
            refused.incrementAndGet();
          }
        }
      });
      assertEquals(limit, admitted.get());
      assertEquals(threads * perThread - limit, refused.get());
      assertEquals(limit, e.sessions(SessionFilter.all().user("alice")).size());
    }
  }

  @RepeatedTest(3)
  void racingSignInsUnderTerminateOldestLeaveExactlyTheLimit() throws Exception {
    int limit = 3;
    int threads = 8;
    int perThread = 25;
    try (SessionEngine e = engine(limit, ExceedPolicy.TERMINATE_OLDEST)) {
      ConcurrentLinkedQueue<Session> all = new ConcurrentLinkedQueue<>();
      runConcurrently(threads, () -> {
        for (int i = 0; i < perThread; i++) {
          Session s = e.open();
          all.add(s);
          try {
            s.signIn(ALICE);
          } catch (SessionClosedException ex) {
            // terminated by a racing sign-in before its own returned: allowed
          }
        }
      });
      List<Session> live = new ArrayList<>();
      for (Session s : all) {
        if (s.state() == SessionState.ACTIVE) {
          live.add(s);
        }
      }
      assertEquals(limit, live.size());
      assertEquals(threads * perThread - limit, e.stats().killed());
      for (SessionInfo ended : e.sessions()) {
        assertEquals("alice", ended.user());
      }
    }
  }

  @Test
  void aFullEngineRefusesNewSessionsUnderRefuseNew() {
    try (SessionEngine e = SessionEngine.builder().ticker(new FakeTicker())
        .maxSessions(2, CapacityPolicy.REFUSE_NEW).build()) {
      e.open();
      Session b = e.open();
      SessionLimitException ex = assertThrows(SessionLimitException.class, e::open);
      assertEquals(2, ex.limit());
      assertThrows(SessionLimitException.class, b::fork);
      b.close();
      e.open();
      assertEquals(2, e.stats().active());
    }
  }

  @Test
  void aFullEngineEvictsTheLowestPriorityThenLongestIdle() {
    FakeTicker t = new FakeTicker();
    try (SessionEngine e = SessionEngine.builder().ticker(t)
        .maxSessions(3, CapacityPolicy.EVICT_LOWEST_PRIORITY).build()) {
      Session important = e.open();
      important.setPriority(10);
      Session older = e.open();
      t.advance(java.time.Duration.ofSeconds(5));
      Session newer = e.open();
      t.advance(java.time.Duration.ofSeconds(5));
      important.touch();
      newer.touch(); // older is now the longest idle among priority 0
      Session incoming = e.open();
      assertEquals(EndReason.EVICTED_FOR_PRIORITY, older.info().endReason());
      assertEquals(SessionState.ACTIVE, important.state());
      assertEquals(SessionState.ACTIVE, newer.state());
      assertEquals(SessionState.ACTIVE, incoming.state());
      t.advance(java.time.Duration.ofSeconds(1));
      incoming.touch(); // newer is now the longest idle
      e.open();
      assertEquals(SessionState.KILLED, newer.state());
      assertEquals(SessionState.ACTIVE, important.state());
      assertEquals(3, e.stats().active());
    }
  }

  private static void runConcurrently(int threads, Runnable body) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> fs = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      fs.add(pool.submit(() -> {
        start.await();
        body.run();
        return null;
      }));
    }
    start.countDown();
    for (Future<?> f : fs) {
      f.get(120, TimeUnit.SECONDS);
    }
    pool.shutdown();
    assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
  }
}
