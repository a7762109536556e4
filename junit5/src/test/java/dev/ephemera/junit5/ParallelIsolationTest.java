package dev.ephemera.junit5;

import static org.junit.jupiter.api.Assertions.*;

import dev.ephemera.Session;
import dev.ephemera.SessionEngine;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * 200 tests at once (JUnit's parallel execution) on one engine: each sees only its own variables,
 * temporary table and graph, and every session has ended when the class is done.
 */
@EphemeraTest
@Execution(ExecutionMode.CONCURRENT)
class ParallelIsolationTest {
  static final Set<String> sessions = ConcurrentHashMap.newKeySet();
  static final Set<String> threads = ConcurrentHashMap.newKeySet();
  static final AtomicInteger running = new AtomicInteger();
  static final AtomicInteger mostAtOnce = new AtomicInteger();
  static volatile SessionEngine engine;

  @RepeatedTest(200)
  void eachTestSeesOnlyItsOwnState(Session s, SessionEngine e, RepetitionInfo r) {
    engine = e;
    int now = running.incrementAndGet();
    mostAtOnce.accumulateAndGet(now, Math::max);
    try {
      int n = r.getCurrentRepetition();
      sessions.add(s.id());
      threads.add(Thread.currentThread().getName());
      s.set("n", n);
      s.createTempTable("mine", "n INT");
      s.execute("INSERT INTO mine VALUES (?)", n);
      s.createTempGraph("g").addEdge("me-" + n, "also-me-" + n, "T");
      for (int i = 0; i < 20; i++) { // some work, so that the tests overlap
        assertEquals(Map.of("n", (long) n), s.variables());
        assertEquals(n, ((Number) s.query("SELECT n FROM mine").single()).intValue());
        assertEquals(1L, s.query("SELECT COUNT(*) FROM mine").single());
        assertEquals(Set.of("me-" + n, "also-me-" + n), Set.copyOf(s.tempGraph("g").nodes()));
      }
    } finally {
      running.decrementAndGet();
    }
  }

  @AfterAll
  static void allSessionsWereDistinctAndHaveEnded() {
    assertEquals(200, sessions.size());
    assertTrue(engine.sessions().isEmpty(), "sessions left: " + engine.sessions().size());
    assertEquals(200, engine.stats().closed());
    assertEquals(0, engine.stats().tempGraphs());
    assertTrue(mostAtOnce.get() >= 2, "the tests ran in parallel (at most " + mostAtOnce.get() + " at once, threads "
        + threads + ")");
  }
}
