package dev.ephemera.internal;

import static org.junit.jupiter.api.Assertions.*;

import dev.ephemera.AccessDeniedException;
import dev.ephemera.Credentials;
import dev.ephemera.FakeTicker;
import dev.ephemera.QueryTimeoutException;
import dev.ephemera.Session;
import dev.ephemera.SessionEngine;
import dev.ephemera.Transaction;
import dev.ephemera.graph.TempGraph;
import dev.ephemera.internal.sql.H2Database;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every statement has a time limit, in virtual time: the engine's tick (here
 * {@code runMaintenance()}, the ticker being injected) cancels a statement once the engine's clock
 * has passed its deadline, with a typed error, and the session keeps working. No test sleeps: a
 * statement that would run for minutes is started on another thread, the clock is moved past its
 * limit, and the maintenance call cancels it.
 */
class StatementTimeoutTest {
  /** About a minute of work for H2 on this machine: far longer than any test waits. */
  private static final String SLOW = "SELECT COUNT(*) FROM SYSTEM_RANGE(1, 100000000000) WHERE MOD(X, 7) = 3";

  private final FakeTicker ticker = new FakeTicker();
  private SessionEngine engine;

  @AfterEach
  void close() {
    if (engine != null) {
      engine.close();
    }
  }

  private SessionEngine engine(SessionEngine.Builder b) {
    engine = b.ticker(ticker).rootUser("root", "secret").passwordHashIterations(1000).build();
    return engine;
  }

  private H2Database db() {
    return ((EngineImpl) engine).db;
  }

  /** Runs {@code body} on another thread and waits (spinning, no sleep) until its statement runs with a deadline. */
  private CompletableFuture<Object> started(ThrowingSupplier body) {
    int before = db().runningWithDeadline();
    CompletableFuture<Object> f = CompletableFuture.supplyAsync(() -> {
      try {
        return body.get();
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
    while (db().runningWithDeadline() == before && !f.isDone()) {
      Thread.onSpinWait();
    }
    return f;
  }

  @FunctionalInterface
  private interface ThrowingSupplier {
    Object get() throws Exception;
  }

  private static Throwable failure(CompletableFuture<Object> f) throws InterruptedException, TimeoutException {
    try {
      f.get(120, TimeUnit.SECONDS);
      return null;
    } catch (ExecutionException e) {
      Throwable t = e.getCause();
      return t instanceof RuntimeException && t.getCause() != null && !(t instanceof QueryTimeoutException)
          ? t.getCause() : t;
    }
  }

  @Test
  void theDefaultLimitIsFiveMinutesAndTheBuilderRefusesBadValues() {
    engine(SessionEngine.builder());
    try (Session s = engine.open()) {
      assertEquals(Duration.ofMinutes(5), s.statementTimeout());
    }
    assertThrows(IllegalArgumentException.class, () -> SessionEngine.builder().statementTimeout(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> SessionEngine.builder().statementTimeout(Duration.ofSeconds(-1)));
    assertThrows(NullPointerException.class, () -> SessionEngine.builder().statementTimeout(null));
    assertThrows(IllegalStateException.class,
        () -> SessionEngine.builder().statementTimeout(Duration.ofSeconds(1)).noStatementTimeout());
  }

  @Test
  void aStatementPastTheEnginesLimitIsCancelledAndTheSessionKeepsWorking() throws Exception {
    engine(SessionEngine.builder().statementTimeout(Duration.ofSeconds(10)));
    Session s = engine.open();
    s.createTempTable("t", "x INT");
    try (Transaction tx = s.begin()) {
      s.execute("INSERT INTO t VALUES (1)");
      CompletableFuture<Object> f = started(() -> s.query(SLOW));
      ticker.advance(Duration.ofSeconds(9));
      engine.runMaintenance();
      assertFalse(f.isDone(), "not yet past the limit");
      ticker.advance(Duration.ofSeconds(1));
      engine.runMaintenance();
      Throwable t = failure(f);
      QueryTimeoutException e = assertInstanceOf(QueryTimeoutException.class, t);
      assertEquals(Duration.ofSeconds(10), e.limit());
      assertEquals("57014", e.sqlState());
      assertTrue(e.getMessage().contains(s.id()) && e.getMessage().contains("PT10S"), e.getMessage());
      assertTrue(tx.isActive(), "the transaction stays open");
      assertEquals(1L, s.query("SELECT COUNT(*) FROM t").single(), "and what it did before stays");
      tx.rollback();
    }
    assertEquals(0L, s.query("SELECT COUNT(*) FROM t").single());
    assertEquals(0, db().runningWithDeadline(), "nothing left registered");
  }

  @Test
  void aSessionMayLowerItsLimitButNotRaiseIt() throws Exception {
    engine(SessionEngine.builder().statementTimeout(Duration.ofSeconds(10)));
    Session s = engine.open();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> s.setStatementTimeout(Duration.ofHours(1)));
    assertTrue(e.getMessage().contains("PT10S"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> s.setStatementTimeout(Duration.ZERO));
    assertEquals(Duration.ofSeconds(10), s.statementTimeout(), "a refused value changes nothing");
    s.setStatementTimeout(Duration.ofSeconds(2));
    assertEquals(Duration.ofSeconds(2), s.statementTimeout());
    CompletableFuture<Object> f = started(() -> s.query(SLOW));
    ticker.advance(Duration.ofSeconds(2));
    engine.runMaintenance();
    assertEquals(Duration.ofSeconds(2), assertInstanceOf(QueryTimeoutException.class, failure(f)).limit());
  }

  @Test
  void noSessionRootIncludedMayLiftTheLimitThroughH2() throws Exception {
    engine(SessionEngine.builder().statementTimeout(Duration.ofSeconds(10)));
    Session root = engine.open();
    root.signIn(Credentials.root("root", "secret"));
    for (String lift : new String[] {"SET QUERY_TIMEOUT 0", "SET QUERY_TIMEOUT 999999999"}) {
      assertThrows(AccessDeniedException.class, () -> root.execute(lift), lift);
    }
    try (Connection c = root.jdbc(); Statement st = c.createStatement()) {
      assertThrows(SQLException.class, () -> st.execute("SET QUERY_TIMEOUT 0"));
    }
    CompletableFuture<Object> f = started(() -> root.query(SLOW));
    ticker.advance(Duration.ofSeconds(10));
    engine.runMaintenance();
    assertInstanceOf(QueryTimeoutException.class, failure(f));
  }

  @Test
  void aJdbcQueryTimeoutBoundsItsStatementAndJdbcCallersGetSqlTimeoutException() throws Exception {
    engine(SessionEngine.builder().noStatementTimeout());
    Session s = engine.open();
    assertNull(s.statementTimeout());
    try (Connection c = s.jdbc(); Statement st = c.createStatement()) {
      assertThrows(SQLException.class, () -> st.setQueryTimeout(-1));
      st.setQueryTimeout(3);
      assertEquals(3, st.getQueryTimeout());
      CompletableFuture<Object> f = started(() -> st.executeQuery(SLOW));
      ticker.advance(Duration.ofSeconds(3));
      engine.runMaintenance();
      assertInstanceOf(SQLTimeoutException.class, failure(f));
      try (var rs = st.executeQuery("SELECT 1")) {
        assertTrue(rs.next(), "the statement and the session keep working");
      }
    }
  }

  @Test
  void aGraphsLoadQueryIsBoundedTooAndTheGraphIsUnchanged() throws Exception {
    engine(SessionEngine.builder().statementTimeout(Duration.ofSeconds(10)));
    Session s = engine.open();
    TempGraph g = s.createTempGraph("g");
    g.addEdge("a", "b", "KNOWS");
    CompletableFuture<Object> f = started(() -> g.loadEdges(
        "SELECT 'x', 'y' FROM (SELECT COUNT(*) FROM SYSTEM_RANGE(1, 100000000000) WHERE MOD(X, 7) = 3)"));
    ticker.advance(Duration.ofSeconds(10));
    engine.runMaintenance();
    assertInstanceOf(QueryTimeoutException.class, failure(f));
    assertEquals(1, g.edgeCount());
    assertEquals(2, g.nodeCount());
  }

  @Test
  void aStatementThatEndsInTimeIsNotCancelledLater() throws Exception {
    engine(SessionEngine.builder().statementTimeout(Duration.ofSeconds(1)));
    Session s = engine.open();
    assertEquals(1, s.query("SELECT 1").single());
    ticker.advance(Duration.ofSeconds(30)); // far past its limit, well within the idle timeout
    engine.runMaintenance();
    assertEquals(2, s.query("SELECT 2").single(), "no cancel was left over for the next statement");
    assertEquals(0, db().runningWithDeadline());
  }
}
