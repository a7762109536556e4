package dev.ephemera;

import static org.junit.jupiter.api.Assertions.*;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Live queries, the jdbc() wrapper, and a kill that cancels a running statement. */
class LiveQueryAndJdbcTest {
  final SessionEngine engine = SessionEngine.builder().ticker(new FakeTicker())
      .rootUser("root", "secret").passwordHashIterations(1000).build();

  /** A session signed in at database level in shop/main: shared tables need a database. */
  private Session inShop() {
    if (!engine.users().exists(new Identity("clerk", AuthLevel.DATABASE, "shop", "main"))) {
      engine.users().create(Credentials.database("shop", "main", "clerk", "pw"));
    }
    Session s = engine.open();
    s.signIn(Credentials.database("shop", "main", "clerk", "pw"));
    return s;
  }

  @AfterEach
  void close() {
    engine.close();
  }

  @Test
  void liveQueryOnATempTableKeysRowsByColumnName() {
    Session s = engine.open();
    s.createTempTable("events", "id INT, what VARCHAR");
    List<Change> seen = new CopyOnWriteArrayList<>();
    s.live("events", seen::add);
    s.execute("INSERT INTO events VALUES (1, 'first')");
    assertEquals(List.of(new Change(Change.Kind.INSERT, "EVENTS", null, Map.of("ID", 1, "WHAT", "first"))), seen);
  }

  @Test
  void liveQueryDeliversCommittedChangesOnly() {
    Session admin = inShop();
    admin.execute("CREATE TABLE orders(id INT PRIMARY KEY, state VARCHAR)");
    Session watcher = inShop();
    List<Change> seen = new CopyOnWriteArrayList<>();
    LiveQuery q = watcher.live("orders", seen::add);
    assertEquals("ORDERS", q.table());
    assertTrue(q.id().startsWith("live_"));

    Session writer = inShop();
    writer.execute("INSERT INTO orders VALUES (1, 'new')"); // auto-commit: delivered at once
    assertEquals(1, seen.size());
    assertEquals(new Change(Change.Kind.INSERT, "ORDERS", null, Map.of("ID", 1, "STATE", "new")), seen.get(0));

    Transaction tx = writer.begin();
    writer.execute("UPDATE orders SET state = 'paid' WHERE id = 1");
    Savepoint sp = tx.savepoint("sp");
    writer.execute("INSERT INTO orders VALUES (2, 'new')");
    assertEquals(1, seen.size()); // nothing before the commit
    tx.rollbackTo(sp); // the insert of 2 is never delivered
    tx.commit();
    assertEquals(2, seen.size());
    assertEquals(Change.Kind.UPDATE, seen.get(1).kind());
    assertEquals("new", seen.get(1).before().get("STATE"));
    assertEquals("paid", seen.get(1).after().get("STATE"));

    Transaction t2 = writer.begin();
    writer.execute("DELETE FROM orders");
    t2.close(); // rolled back: nothing delivered
    assertEquals(2, seen.size());
    assertThrows(SqlException.class, () -> writer.execute("INSERT INTO orders VALUES (3, 'x'), (1, 'dup')"));
    assertEquals(2, seen.size()); // a failed statement delivers nothing

    q.close();
    assertFalse(q.isActive());
    writer.execute("DELETE FROM orders");
    assertEquals(2, seen.size());
  }

  @Test
  void liveQueriesOnTempTablesStopWhenTheSessionEnds() {
    Session s = engine.open();
    s.createTempTable("events", "id INT");
    List<Change> seen = new CopyOnWriteArrayList<>();
    LiveQuery q = s.live("events", seen::add);
    s.execute("INSERT INTO events VALUES (1), (2)");
    assertEquals(2, seen.size());
    assertThrows(SqlException.class, () -> s.live("missing", seen::add));
    assertThrows(InvalidNameException.class, () -> s.live("events; DROP", seen::add));
    s.close();
    assertFalse(q.isActive());
  }

  @Test
  void liveQueryOnSharedTableStopsWithItsSessionAndDropsTheTrigger() throws SQLException {
    Session admin = inShop();
    admin.execute("CREATE TABLE t(a INT)");
    Session watcher = inShop();
    List<Change> seen = new CopyOnWriteArrayList<>();
    LiveQuery q = watcher.live("t", seen::add);
    try (Connection plain = DriverManager.getConnection(engine.databaseUrl("shop", "main"), "sa", "");
        Statement st = plain.createStatement()) {
      assertEquals(1, count(st, "SELECT COUNT(DISTINCT TRIGGER_NAME) FROM INFORMATION_SCHEMA.TRIGGERS"));
      st.execute("INSERT INTO \"shop.main\".t VALUES (7)"); // not an Ephemera session: delivered as it happens
      assertEquals(1, seen.size());
      watcher.close();
      assertFalse(q.isActive());
      assertEquals(0, count(st, "SELECT COUNT(DISTINCT TRIGGER_NAME) FROM INFORMATION_SCHEMA.TRIGGERS"));
    }
  }

  private static long count(Statement st, String sql) throws SQLException {
    try (ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void jdbcWrapperDrivesTheSessionTransactionAndSurvivesCallerClose() throws SQLException {
    Session s = engine.open();
    s.createTempTable("kv", "k VARCHAR PRIMARY KEY, v INT");
    Connection c = s.jdbc();
    c.setAutoCommit(false);
    assertNotNull(s.transaction());
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO kv VALUES (?, ?)")) {
      ps.setString(1, "a");
      ps.setInt(2, 1);
      ps.executeUpdate();
    }
    java.sql.Savepoint sp = c.setSavepoint("sp");
    s.set("var", "changed");
    try (Statement st = c.createStatement()) {
      st.executeUpdate("INSERT INTO kv VALUES ('b', 2)");
      assertThrows(SQLException.class, () -> st.execute("DROP TABLE kv")); // would commit
      assertThrows(SQLException.class, () -> st.execute("COMMIT"));
      assertSame(c, st.getConnection());
    }
    c.rollback(sp);
    assertNull(s.get("var")); // the variable rolled back with the row
    c.commit();
    assertNotNull(s.transaction()); // still in manual mode: the next transaction began
    c.setAutoCommit(true);
    assertNull(s.transaction());
    assertEquals(1L, s.query("SELECT COUNT(*) FROM kv").single());

    c.close(); // closes the wrapper only
    assertTrue(c.isClosed());
    assertEquals(SessionState.ACTIVE, s.state());
    assertThrows(SQLException.class, c::createStatement);
    Connection again = s.jdbc();
    try (Statement st = again.createStatement(); ResultSet rs = st.executeQuery("SELECT v FROM kv")) {
      assertTrue(rs.next());
      assertEquals(1, rs.getInt(1));
    }
    s.close();
    SQLException ended = assertThrows(SQLException.class, again::createStatement);
    assertTrue(ended.getMessage().contains(s.id()), ended.getMessage());
  }

  /** H2 calls only public methods of public classes. */
  public static final class Hooks {
    static final CountDownLatch RUNNING = new CountDownLatch(1);

    private Hooks() {}

    /** Called by H2 for each row of the long query below: tells the test that the statement runs. */
    public static int running(long row) {
      RUNNING.countDown();
      return 1;
    }
  }

  @Test
  void jdbcWrapperReportsSqlErrorsAsSqlExceptions() throws SQLException {
    Session s = engine.open();
    Connection c = s.jdbc();
    SQLException prepare = assertThrows(SQLException.class, () -> c.prepareStatement("SELECT nope FROM dual"));
    assertEquals("42S22", prepare.getSQLState()); // column not found, H2's own error
    try (Statement st = c.createStatement()) {
      assertThrows(SQLException.class, () -> st.executeQuery("SELECT * FROM no_such_table"));
    }
  }

  @Test
  void killCancelsTheRunningStatementAndTheCallerGetsSessionClosed() throws Exception {
    Session s = engine.open();
    s.createTempTable("scratch", "a INT");
    s.execute("INSERT INTO scratch VALUES (1)");
    try (Connection plain = DriverManager.getConnection(engine.databaseUrl(), "sa", "");
        Statement st = plain.createStatement()) {
      st.execute("CREATE ALIAS RUNNING FOR '" + Hooks.class.getName() + ".running'");
    }
    CompletableFuture<Object> call = CompletableFuture.supplyAsync(
        () -> s.query("SELECT COUNT(*) FROM SYSTEM_RANGE(1, 1000000000000) WHERE RUNNING(X) = 1"));
    while (!Hooks.RUNNING.await(10, TimeUnit.MILLISECONDS)) {
      if (call.isDone()) {
        fail("the query ended before it could be killed: " + call.handle((r, t) -> r != null ? r : t).get());
      }
    }
    assertTrue(engine.kill(s.id()));
    ExecutionException e = assertThrows(ExecutionException.class, () -> call.get(30, TimeUnit.SECONDS));
    SessionClosedException closed = assertInstanceOf(SessionClosedException.class, e.getCause());
    assertEquals(EndReason.KILLED, closed.reason());
    assertEquals(SessionState.KILLED, s.state());
    assertEquals(0, engine.stats().sqlConnections()); // released by the call on its way out
  }
}
