package dev.ephemera.sql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ephemera.Change;
import dev.ephemera.Session;
import dev.ephemera.SessionEngine;
import dev.ephemera.SessionState;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.*;

/** The {@code jdbc:ephemera:} driver through DriverManager and under HikariCP. */
class DriverTest {
  private static final AtomicInteger NAMES = new AtomicInteger();
  final String url = "jdbc:ephemera:mem:drivertest" + NAMES.incrementAndGet();

  @AfterEach
  void closeEngines() throws SQLException {
    EphemeraDriver.closeEngine(url);
  }

  private static List<List<Object>> rows(ResultSet rs) throws SQLException {
    List<List<Object>> out = new ArrayList<>();
    int n = rs.getMetaData().getColumnCount();
    while (rs.next()) {
      List<Object> row = new ArrayList<>();
      for (int i = 1; i <= n; i++) {
        row.add(rs.getObject(i));
      }
      out.add(row);
    }
    rs.close();
    return out;
  }

  @Test
  void driverManagerFindsTheDriverAndEachConnectionIsOneSession() throws SQLException {
    assertTrue(DriverManager.getDriver(url) instanceof EphemeraDriver);
    try (Connection a = DriverManager.getConnection(url); Connection b = DriverManager.getConnection(url)) {
      Session sa = a.unwrap(EphemeraConnection.class).session();
      Session sb = b.unwrap(Session.class);
      assertNotEquals(sa.id(), sb.id());
      try (Statement st = a.createStatement()) {
        st.execute("SET SESSION tenant_id = 'a'");
        assertEquals(0, st.getUpdateCount());
        assertNull(st.getResultSet());
      }
      try (Statement st = b.createStatement()) {
        st.executeUpdate("SET SESSION tenant_id = 'b'");
      }
      try (Statement st = a.createStatement(); ResultSet rs = st.executeQuery("SELECT CURRENT_SESSION_VAR('tenant_id'),"
          + " CURRENT_SESSION_ID()")) {
        assertTrue(rs.next());
        assertEquals("a", rs.getString(1));
        assertEquals(sa.id(), rs.getString(2));
      }
      assertEquals("b", sb.get("tenant_id"));
    }
  }

  @Test
  void closingTheConnectionEndsTheSessionAndDropsItsTempObjects() throws SQLException {
    Connection c = DriverManager.getConnection(url);
    Session s = c.unwrap(EphemeraConnection.class).session();
    try (Statement st = c.createStatement()) {
      st.execute("CREATE TEMPORARY TABLE scratch (id INT)");
      st.execute("CREATE TEMPORARY GRAPH g");
      st.execute("INSERT INTO scratch VALUES (1)");
    }
    assertEquals(List.of("SCRATCH"), s.tempTables());
    c.close();
    c.close(); // once is enough; twice is harmless
    assertTrue(c.isClosed());
    assertEquals(SessionState.CLOSED, s.state());
    SQLException e = assertThrows(SQLException.class, c::createStatement);
    assertEquals("08003", e.getSQLState());
    try (Connection again = DriverManager.getConnection(url); Statement st = again.createStatement()) {
      SessionSqlTest.assertTableNotFound(assertThrows(SQLException.class, () -> st.executeQuery("SELECT * FROM scratch")));
      assertEquals(0, rows(st.executeQuery("SHOW GRAPHS")).size());
    }
  }

  @Test
  void aThousandConnectionsLeaveNoSessionConnectionGraphOrLiveQueryBehind() throws SQLException {
    SessionEngine engine;
    try (Connection first = DriverManager.getConnection(url)) {
      engine = dev.ephemera.internal.spi.SqlBridge.engineOf(first.unwrap(Session.class));
    }
    for (int i = 0; i < 1_000; i++) {
      Connection c = DriverManager.getConnection(url);
      Statement st = c.createStatement();
      st.execute("CREATE TEMPORARY TABLE t (x INT)");
      st.execute("SET SESSION i = " + i);
      if (i % 100 == 0) { // graphs cost a Chronicle map each: every 100th connection makes one
        st.execute("CREATE TEMPORARY GRAPH g");
        c.unwrap(EphemeraConnection.class).addLiveListener((id, change) -> { });
        st.execute("LIVE SELECT * FROM t");
      }
      c.close(); // statements left open on purpose: closing the connection ends them with the session
    }
    var stats = engine.stats();
    assertEquals(0, stats.active());
    assertEquals(0, stats.sqlConnections());
    assertEquals(0, stats.tempGraphs());
    assertEquals(0, stats.graphOffHeapBytes());
  }

  @Test
  void dialectStatementsReturnResultSetsAndUpdateCounts() throws SQLException {
    try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
      assertTrue(st.execute("PING"));
      assertEquals(List.of(List.of("PONG")), rows(st.getResultSet()));
      assertEquals(-1, st.getUpdateCount());
      assertFalse(st.getMoreResults());

      st.execute("SET SESSION { a: 1, b: 'two' }");
      ResultSet vars = st.executeQuery("SHOW SESSION VARIABLES");
      assertEquals("NAME", vars.getMetaData().getColumnLabel(1));
      assertEquals(List.of(List.of("a", "BIGINT", "1", false), List.of("b", "VARCHAR", "two", false)), rows(vars));

      SQLException notRows = assertThrows(SQLException.class, () -> st.executeQuery("SET SESSION c = 3"));
      assertEquals("07000", notRows.getSQLState());
      assertEquals(3L, c.unwrap(Session.class).get("c")); // it ran, then JDBC's contract was reported
      assertThrows(SQLException.class, () -> st.executeUpdate("SHOW SESSION"));

      // H2's statements in the same Statement object
      assertTrue(st.execute("SELECT 7"));
      assertEquals(List.of(List.of(7)), rows(st.getResultSet()));
      assertEquals(1, st.executeUpdate("CREATE TEMPORARY TABLE t (x INT)") + 1);
      assertEquals(2, st.executeUpdate("INSERT INTO t VALUES (1), (2)"));
      assertEquals(List.of(List.of("T")), rows(st.executeQuery("SHOW TEMPORARY TABLES")));

      SQLException bad = assertThrows(SQLException.class, () -> st.execute("SET SESSION x = = 1"));
      assertEquals("42601", bad.getSQLState());
      assertThrows(SQLException.class, () -> st.addBatch("SET SESSION y = 1"));
    }
  }

  @Test
  void preparedStatementsOfTheDialectTakeParameters() throws SQLException {
    try (Connection c = DriverManager.getConnection(url)) {
      try (PreparedStatement set = c.prepareStatement("SET SESSION tenant_id = ?");
          PreparedStatement read = c.prepareStatement("SELECT CURRENT_SESSION_VAR('tenant_id')")) {
        for (String tenant : List.of("t1", "t2", "t3")) {
          set.setString(1, tenant);
          assertEquals(0, set.executeUpdate());
          try (ResultSet rs = read.executeQuery()) {
            assertTrue(rs.next());
            assertEquals(tenant, rs.getString(1));
          }
        }
        assertSame(c, set.getConnection());
        assertSame(c, read.getConnection());
      }
      try (PreparedStatement set = c.prepareStatement("SET SESSION { n: ?, label: UPPER(?) }")) {
        set.setInt(1, 5);
        set.setObject(2, "x");
        set.execute();
        set.clearParameters();
        SQLException missing = assertThrows(SQLException.class, set::execute);
        assertEquals("07001", missing.getSQLState());
        assertThrows(SQLException.class, () -> set.executeQuery("SELECT 1"));
      }
      assertEquals(5L, c.unwrap(Session.class).get("n"));
      assertEquals("X", c.unwrap(Session.class).get("label"));
      // a malformed dialect statement fails at prepare, like a malformed H2 one
      assertEquals("42601", assertThrows(SQLException.class, () -> c.prepareStatement("SAVEPOINT")).getSQLState());
    }
  }

  @Test
  void autoCommitCommitRollbackAndSavepointsFollowJdbcAndRollBackVariables() throws SQLException {
    try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
      Session s = c.unwrap(Session.class);
      st.execute("CREATE TEMPORARY TABLE t (x INT)");
      assertTrue(c.getAutoCommit());
      c.setAutoCommit(false);
      st.execute("INSERT INTO t VALUES (1)");
      st.execute("SET SESSION step = 1");
      Savepoint sp = c.setSavepoint("one");
      st.execute("INSERT INTO t VALUES (2)");
      st.execute("SET SESSION step = 2");
      c.rollback(sp);
      assertEquals(1L, s.get("step"));
      c.commit();
      assertFalse(c.getAutoCommit()); // still manual: the next transaction began
      st.execute("INSERT INTO t VALUES (3)");
      st.execute("SET SESSION step = 3");
      st.execute("ROLLBACK"); // the dialect's ROLLBACK in manual mode keeps manual mode
      assertFalse(c.getAutoCommit());
      assertEquals(1L, s.get("step"));
      st.execute("SAVEPOINT a");
      st.execute("INSERT INTO t VALUES (4)");
      st.execute("ROLLBACK TO SAVEPOINT a");
      st.execute("COMMIT");
      c.setAutoCommit(true);
      assertEquals(List.of(List.of(1)), rows(st.executeQuery("SELECT x FROM t ORDER BY x")));

      // BEGIN … COMMIT from auto-commit mode returns to auto-commit mode
      st.execute("BEGIN");
      assertFalse(c.getAutoCommit());
      st.execute("INSERT INTO t VALUES (5)");
      st.execute("COMMIT");
      assertTrue(c.getAutoCommit());
      assertEquals(2, rows(st.executeQuery("SELECT x FROM t")).size());
    }
  }

  @Test
  void metadataComesFromH2() throws SQLException {
    String asRoot = url + ";rootUser=root;rootPassword=pw;user=root;password=pw";
    try (Connection c = DriverManager.getConnection(asRoot); Statement st = c.createStatement()) {
      st.execute("USE NAMESPACE shop DATABASE main");
      st.execute("CREATE TABLE shared_people (id INT PRIMARY KEY, name VARCHAR)");
      DatabaseMetaData md = c.getMetaData();
      try (ResultSet rs = md.getTables(null, null, "SHARED_PEOPLE", null)) {
        assertTrue(rs.next());
      }
      try (PreparedStatement ps = c.prepareStatement("SELECT id, name FROM shared_people WHERE id = ?")) {
        assertEquals("NAME", ps.getMetaData().getColumnName(2));
        assertEquals(1, ps.getParameterMetaData().getParameterCount());
      }
    }
  }

  @Test
  void liveSelectNotifiesTheConnectionsListeners() throws SQLException {
    try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
      EphemeraConnection ec = c.unwrap(EphemeraConnection.class);
      List<String> seen = new ArrayList<>();
      LiveSqlListener l = (id, change) -> seen.add(id + " " + change.kind() + " " + change.after().get("NAME"));
      ec.addLiveListener(l);
      st.execute("CREATE TEMPORARY TABLE people (name VARCHAR)");
      ResultSet rs = st.executeQuery("LIVE SELECT * FROM people");
      assertTrue(rs.next());
      String id = rs.getString("LIVE_ID");
      st.execute("INSERT INTO people VALUES ('Ann')");
      assertEquals(List.of(id + " " + Change.Kind.INSERT + " Ann"), seen);
      try (PreparedStatement kill = c.prepareStatement("KILL LIVE ?")) {
        kill.setString(1, id);
        assertEquals(1, kill.executeUpdate());
      }
      st.execute("INSERT INTO people VALUES ('Bo')");
      assertEquals(1, seen.size());
      assertTrue(ec.removeLiveListener(l));
    }
  }

  @Test
  void userAndPasswordSignInAndBadCredentialsLeaveNoSession() throws SQLException {
    String rooted = url + ";rootUser=root;rootPassword=secret";
    Properties p = new Properties();
    p.setProperty("user", "root");
    p.setProperty("password", "secret");
    try (Connection root = DriverManager.getConnection(rooted, p); Statement st = root.createStatement()) {
      assertEquals(List.of(List.of("root")), rows(st.executeQuery("SELECT CURRENT_SESSION_USER()")));
      SessionEngine engine = dev.ephemera.internal.spi.SqlBridge.engineOf(root.unwrap(Session.class));
      int before = engine.sessions().size();
      p.setProperty("password", "wrong");
      SQLException denied = assertThrows(SQLException.class, () -> DriverManager.getConnection(url, p));
      assertEquals("28000", denied.getSQLState());
      assertFalse(denied.getMessage().contains("wrong"));
      assertEquals(before, engine.sessions().size());
      assertEquals(1, rows(st.executeQuery("SHOW SESSIONS")).size());
    }
    // a later connection cannot change the engine's settings
    assertEquals("08001", assertThrows(SQLException.class,
        () -> DriverManager.getConnection(url + ";idleTimeout=5m")).getSQLState());
  }

  @Test
  void badUrlsAreRefusedClearly() {
    for (String bad : List.of("jdbc:ephemera:", "jdbc:ephemera:mem:", "jdbc:ephemera:disk:x",
        "jdbc:ephemera:mem:x;nonsense=1", "jdbc:ephemera:mem:x;novalue", "jdbc:ephemera:engine:unknown",
        "jdbc:ephemera:mem:x;idleTimeout=soon")) {
      SQLException e = assertThrows(SQLException.class, () -> DriverManager.getConnection(bad), bad);
      assertEquals("08001", e.getSQLState(), bad + ": " + e.getMessage());
    }
    SQLException secret = assertThrows(SQLException.class,
        () -> DriverManager.getConnection("jdbc:ephemera:disk:x;password=hunter2"));
    assertFalse(secret.getMessage().contains("hunter2"), secret.getMessage());
  }

  @Test
  void aRegisteredEngineIsReachableByName() throws SQLException {
    try (SessionEngine engine = SessionEngine.builder().build()) {
      EphemeraDriver.register("app", engine);
      try (Connection c = DriverManager.getConnection("jdbc:ephemera:engine:app")) {
        Session s = c.unwrap(Session.class);
        assertTrue(engine.session(s.id()).isPresent());
      } finally {
        assertTrue(EphemeraDriver.unregister("app"));
      }
      assertEquals(0, engine.stats().active());
    }
  }

  @Test
  void worksAsADataSourceUnderHikari() throws SQLException {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setMaximumPoolSize(2);
    config.setMinimumIdle(0);
    config.setPoolName("ephemera-test");
    String firstId;
    try (HikariDataSource ds = new HikariDataSource(config)) {
      try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
        firstId = c.unwrap(EphemeraConnection.class).session().id();
        st.execute("SET SESSION tenant_id = 'pooled'");
        c.setAutoCommit(false);
        st.execute("SET SESSION uncommitted = 1"); // the pool rolls back what was not committed
      }
      try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
          "SELECT CURRENT_SESSION_ID(), CURRENT_SESSION_VAR('tenant_id')")) {
        assertTrue(c.getAutoCommit()); // the pool reset it
        List<List<Object>> r = rows(ps.executeQuery());
        // a pooled connection is a long-lived session: the next borrower finds its variables
        assertEquals(List.of(List.of(firstId, "pooled")), r);
        assertFalse(c.unwrap(Session.class).variables().containsKey("uncommitted"));
      }
    }
    SessionEngine engine;
    try (Connection c = DriverManager.getConnection(url)) {
      engine = dev.ephemera.internal.spi.SqlBridge.engineOf(c.unwrap(Session.class));
      assertEquals(1, engine.stats().active()); // the pool closed its session
    }
  }
}
