package dev.ephemera.sql;

import static org.junit.jupiter.api.Assertions.*;

import dev.ephemera.Session;
import dev.ephemera.SessionEngine;
import dev.ephemera.SessionState;
import dev.ephemera.Ticker;
import dev.ephemera.graph.TempGraph;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A graph statement through the driver has the session's statement time limit, in virtual time
 * (it runs no H2 statement for the engine's tick to cancel: the query checks its deadline every
 * few thousand rows), stops with SQLState 57014 and leaves nothing of what it changed; a query
 * through the Java API stops when its session is killed under it.
 */
class GraphQueryStatementLimitTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final Ticker ticker = now::get; // moves only when the test moves it
  private final SessionEngine engine = SessionEngine.builder().ticker(ticker)
      .statementTimeout(Duration.ofSeconds(30)).idleTimeout(Duration.ofDays(36_500)).build();
  private final String name = "graphlimit" + System.nanoTime();

  @AfterEach
  void close() {
    EphemeraDriver.unregister(name);
    engine.close();
  }

  /** Runs {@code body} on another thread while moving the virtual clock past any deadline. */
  private <T> ExecutionException failsWhileTimeMoves(java.util.function.Supplier<T> body) {
    CompletableFuture<T> f = CompletableFuture.supplyAsync(body);
    long guard = System.nanoTime() + TimeUnit.MINUTES.toNanos(2); // a safety net for a broken build, not a measure
    while (!f.isDone() && System.nanoTime() < guard) {
      now.addAndGet(Duration.ofSeconds(31).toNanos());
      Thread.onSpinWait();
    }
    return assertThrows(ExecutionException.class, () -> f.get(1, TimeUnit.SECONDS));
  }

  @Test
  void aGraphStatementPastItsLimitStopsAndChangesNothing() throws Exception {
    EphemeraDriver.register(name, engine);
    try (Connection c = DriverManager.getConnection("jdbc:ephemera:engine:" + name); Statement st = c.createStatement()) {
      st.execute("CREATE TEMPORARY GRAPH g");
      st.execute("USE GRAPH g");
      st.execute("CREATE (:Person {name: 'Bob'})");
      ExecutionException e = failsWhileTimeMoves(() -> {
        try {
          // creates nodes, then runs for ever: 10^7 x 10^7 rows
          return st.execute("UNWIND range(1, 1000) AS i CREATE (:Tmp {i: i}) WITH count(*) AS made "
              + "UNWIND range(1, 10000000) AS a UNWIND range(1, 10000000) AS b RETURN count(*)");
        } catch (SQLException x) {
          throw new java.util.concurrent.CompletionException(x);
        }
      });
      SQLTimeoutException timeout = assertInstanceOf(SQLTimeoutException.class, e.getCause(), () -> e.getCause() + " " + ((SQLException) e.getCause()).getSQLState());
      assertEquals("57014", timeout.getSQLState());
      assertTrue(timeout.getMessage().contains("time limit of PT30S"), timeout.getMessage());
      try (ResultSet rs = st.executeQuery("MATCH (n) RETURN count(n) AS n")) {
        assertTrue(rs.next());
        assertEquals(1L, rs.getLong(1), "the 1,000 nodes it created are gone; Bob is there");
      }
    }
  }

  @Test
  void aJavaQueryStopsWhenItsSessionIsKilled() {
    Session s = engine.open();
    TempGraph g = s.createTempGraph("g");
    CompletableFuture<Object> f = CompletableFuture.supplyAsync(
        () -> g.query("UNWIND range(1, 10000000) AS a UNWIND range(1, 10000000) AS b RETURN count(*)", Map.of()).single());
    while (!f.isDone() && s.state() == SessionState.ACTIVE) {
      engine.kill(s.id());
    }
    ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(1, TimeUnit.MINUTES));
    assertInstanceOf(dev.ephemera.SessionClosedException.class, e.getCause());
    assertNotEquals(SessionState.ACTIVE, s.state());
  }
}
