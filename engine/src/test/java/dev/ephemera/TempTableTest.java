package dev.ephemera;

import static org.junit.jupiter.api.Assertions.*;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Temporary tables: private to their session, dropped however the session ends, names validated. */
class TempTableTest {
  final FakeTicker ticker = new FakeTicker();
  SessionEngine engine = SessionEngine.builder().ticker(ticker).idleTimeout(Duration.ofMinutes(5)).build();

  @AfterEach
  void close() {
    engine.close();
  }

  private long h2Sessions(Connection plain) throws SQLException {
    // INFORMATION_SCHEMA.TABLES lists a connection's own local temporary tables only; count every session's
    try (Statement st = plain.createStatement();
        ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void sessionThatNeverUsesSqlOpensNoConnection() {
    Session s = engine.open();
    s.set("x", 1);
    assertEquals(List.of(), s.tempTables());
    assertNull(s.transaction());
    try (Transaction tx = s.begin()) {
      s.set("y", 2);
      tx.savepoint("a");
      tx.rollbackTo("a");
      tx.commit();
    }
    assertEquals(0, engine.stats().sqlConnections());
    s.execute("CREATE LOCAL TEMPORARY TABLE t(a INT)");
    assertEquals(1, engine.stats().sqlConnections());
    s.close();
    assertEquals(0, engine.stats().sqlConnections());
  }

  @Test
  void tempTableIsInvisibleToOtherSessionsAndToPlainConnections() throws SQLException {
    Session a = engine.open();
    Session b = engine.open();
    a.createTempTable("scratch", "k VARCHAR PRIMARY KEY, v INT");
    a.execute("INSERT INTO scratch VALUES (?, ?)", "one", 1);
    assertEquals(List.of("SCRATCH"), a.tempTables());
    assertEquals(1L, a.query("SELECT COUNT(*) FROM scratch").single());

    assertEquals(List.of(), b.tempTables());
    SqlException e = assertThrows(SqlException.class, () -> b.query("SELECT * FROM scratch"));
    assertTrue(e.sqlState().startsWith("42S0"), e.sqlState()); // table not found
    assertTrue(e.getMessage().contains(b.id()), e.getMessage());
    b.createTempTable("scratch", "k VARCHAR"); // same name, its own table
    assertEquals(0L, b.query("SELECT COUNT(*) FROM scratch").single());

    try (Connection plain = DriverManager.getConnection(engine.databaseUrl(), "sa", "");
        Statement st = plain.createStatement()) {
      assertThrows(SQLException.class, () -> st.executeQuery("SELECT * FROM scratch"));
      try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME = 'SCRATCH'")) {
        rs.next();
        assertEquals(0, rs.getInt(1));
      }
    }
  }

  @Test
  void tempTablesAreDroppedOnEveryWayASessionEnds() throws Exception {
    engine.close();
    engine = SessionEngine.builder().ticker(ticker).idleTimeout(Duration.ofMinutes(5)).build();
    List<Session> sessions = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Session s = engine.open();
      s.createTempTable("t" + i, "a INT");
      s.execute("INSERT INTO t" + i + " VALUES (1)");
      sessions.add(s);
    }
    Transaction open = sessions.get(0).begin(); // ends with an uncommitted transaction
    sessions.get(0).execute("INSERT INTO t0 VALUES (2)");
    try (Connection plain = DriverManager.getConnection(engine.databaseUrl(), "sa", "")) {
      assertEquals(6, h2Sessions(plain)); // four sessions, this connection, the engine's own
      sessions.get(0).close();
      assertFalse(open.isActive());
      engine.kill(sessions.get(1).id());
      sessions.get(2).touch();
      ticker.advance(Duration.ofMinutes(3));
      sessions.get(2).touch();
      ticker.advance(Duration.ofMinutes(3)); // session 3 idle 6 min: expires; 2 idle 3 min
      engine.runMaintenance();
      assertEquals(SessionState.EXPIRED, sessions.get(3).state());
      assertEquals(SessionState.ACTIVE, sessions.get(2).state());
      assertEquals(3, h2Sessions(plain)); // session 2, this connection, the engine's own
      assertEquals(1, engine.stats().sqlConnections());
    }
    Session last = sessions.get(2);
    engine.close();
    assertEquals(SessionState.CLOSED, last.state());
    assertEquals(0, engine.stats().sqlConnections());
    assertThrows(SessionClosedException.class, () -> last.tempTables());
  }

  @Test
  void namesAreValidatedAndColumnsCannotEscapeTheirParentheses() {
    Session s = engine.open();
    assertThrows(InvalidNameException.class, () -> s.createTempTable("x; DROP TABLE y", "a INT"));
    assertThrows(InvalidNameException.class, () -> s.createTempTable("\"x\"", "a INT"));
    assertThrows(InvalidNameException.class, () -> s.createTempTable("", "a INT"));
    assertThrows(IllegalArgumentException.class, () -> s.createTempTable("t", "a INT) AS SELECT (1"));
    assertThrows(IllegalArgumentException.class, () -> s.createTempTable("t", "a INT); DROP TABLE x; --"));
    assertThrows(IllegalArgumentException.class, () -> s.createTempTable("t", "a INT -- comment"));
    assertThrows(IllegalArgumentException.class, () -> s.createTempTable("t", "a VARCHAR DEFAULT 'x"));
    assertThrows(IllegalArgumentException.class, () -> s.createTempTable("t", " "));
    assertEquals(List.of(), s.tempTables()); // nothing was created
    s.createTempTable("t", "a VARCHAR DEFAULT 'it''s; (fine)', b DECIMAL(10, 2)");
    assertEquals(List.of("T"), s.tempTables());
    assertThrows(SqlException.class, () -> s.createTempTable("t", "a INT")); // exists
    assertThrows(InvalidNameException.class, () -> s.dropTempTable("t;"));
    assertTrue(s.dropTempTable("T"));
    assertFalse(s.dropTempTable("t"));
  }

  @Test
  void onCommitBehavioursFollowPostgres() {
    Session s = engine.open();
    s.createTempTable("keep", "a INT", OnCommit.PRESERVE_ROWS);
    s.createTempTable("wipe", "a INT", OnCommit.DELETE_ROWS);
    try (Transaction tx = s.begin()) {
      s.createTempTable("gone", "a INT", OnCommit.DROP);
      s.execute("INSERT INTO keep VALUES (1)");
      s.execute("INSERT INTO wipe VALUES (1)");
      assertEquals(1L, s.query("SELECT COUNT(*) FROM wipe").single());
      assertEquals(List.of("GONE", "KEEP", "WIPE"), s.tempTables());
      tx.commit();
    }
    assertEquals(1L, s.query("SELECT COUNT(*) FROM keep").single());
    assertEquals(0L, s.query("SELECT COUNT(*) FROM wipe").single());
    assertEquals(List.of("KEEP", "WIPE"), s.tempTables());
  }

  @Test
  void aBatchOutsideATransactionIsAllOrNothing() {
    Session s = engine.open();
    s.createTempTable("t", "k INT PRIMARY KEY");
    assertArrayEquals(new int[] {1, 1}, s.executeBatch("INSERT INTO t VALUES (?)", List.of(new Object[] {1},
        new Object[] {2})));
    // the third row collides with the first: none of the rows stays
    assertThrows(SqlException.class, () -> s.executeBatch("INSERT INTO t VALUES (?)",
        List.of(new Object[] {3}, new Object[] {4}, new Object[] {1}, new Object[] {5})));
    assertEquals(2L, s.query("SELECT COUNT(*) FROM t").single());
    assertNull(s.transaction(), "no transaction is left open");
    s.execute("INSERT INTO t VALUES (3)"); // and the table is not locked by a leftover one
    try (Session other = engine.open()) {
      other.createTempTable("t", "k INT");
      assertEquals(0L, other.query("SELECT COUNT(*) FROM t").single());
    }
    assertEquals(3L, s.query("SELECT COUNT(*) FROM t").single());
  }

  @Test
  void tempTableLimitIsEnforced() {
    engine.close();
    engine = SessionEngine.builder().ticker(ticker).maxTempTables(2).maxTempRows(5).build();
    Session s = engine.open();
    s.createTempTable("a", "x INT");
    s.createTempTable("b", "x INT");
    ResourceLimitException e = assertThrows(ResourceLimitException.class, () -> s.createTempTable("c", "x INT"));
    assertEquals(2, e.limit());
    assertEquals(List.of("A", "B"), s.tempTables());

    s.execute("INSERT INTO a VALUES (1), (2), (3)");
    ResourceLimitException rows = assertThrows(ResourceLimitException.class,
        () -> s.execute("INSERT INTO b VALUES (1), (2), (3)"));
    assertEquals("temp rows", rows.resource());
    assertEquals(0L, s.query("SELECT COUNT(*) FROM b").single()); // undone
    try (Transaction tx = s.begin()) {
      s.execute("INSERT INTO b VALUES (1)");
      assertThrows(ResourceLimitException.class, () -> s.execute("INSERT INTO b VALUES (2), (3)"));
      assertEquals(1L, s.query("SELECT COUNT(*) FROM b").single()); // only the bad statement undone
      tx.commit();
    }
    assertEquals(1L, s.query("SELECT COUNT(*) FROM b").single());
  }

  @Test
  void manyCyclesLeaveNothingBehind() throws SQLException {
    for (int i = 0; i < 10_000; i++) {
      Session s = engine.open();
      s.createTempTable("scratch", "k INT PRIMARY KEY, v VARCHAR");
      s.execute("INSERT INTO scratch VALUES (?, ?)", i, "v");
      if (i % 2 == 0) {
        s.begin();
        s.execute("INSERT INTO scratch VALUES (?, ?)", -1, "uncommitted");
      }
      s.close();
    }
    EngineStats stats = engine.stats();
    assertEquals(0, stats.active());
    assertEquals(0, stats.sqlConnections());
    assertEquals(10_000, stats.closed());
    try (Connection plain = DriverManager.getConnection(engine.databaseUrl(), "sa", "")) {
      assertEquals(2, h2Sessions(plain)); // only this connection and the engine's own
      try (Statement st = plain.createStatement();
          ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'PUBLIC'")) {
        rs.next();
        assertEquals(0, rs.getInt(1));
      }
    }
  }
}
