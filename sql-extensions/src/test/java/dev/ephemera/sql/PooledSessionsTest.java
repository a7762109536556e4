package dev.ephemera.sql;

import static org.junit.jupiter.api.Assertions.*;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ephemera.Credentials;
import dev.ephemera.Session;
import dev.ephemera.SessionEngine;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.ConnectionEvent;
import javax.sql.ConnectionEventListener;
import javax.sql.DataSource;
import javax.sql.PooledConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Pool-safe sessions: a pooled {@code jdbc:ephemera:} connection is reset between borrowers (its
 * session ends and a clean one with the connection's original sign-in takes its place), through a
 * real HikariCP pool wrapped by {@link EphemeraDataSource#resetting}, the JDBC pool protocol
 * ({@link PooledConnection}), {@code endRequest()} and {@code DISCARD ALL}. No borrower ever sees
 * another's variables, temporary tables, graphs, live queries, transaction, selection or token.
 */
class PooledSessionsTest {
  static final AtomicInteger NAMES = new AtomicInteger();
  final SessionEngine engine = SessionEngine.builder().rootUser("root", "secret").passwordHashIterations(1000).build();
  final String name = "pooled" + NAMES.incrementAndGet();
  final String url = "jdbc:ephemera:engine:" + name + ";user=app;password=pw;level=namespace;namespace=shop;database=data";

  @BeforeEach
  void setUp() {
    engine.users().create(Credentials.namespace("shop", "app", "pw"));
    EphemeraDriver.register(name, engine);
  }

  @AfterEach
  void close() {
    EphemeraDriver.unregister(name);
    engine.close();
  }

  /** Asserts that {@code c} is as a fresh connection of {@link #url}: nothing of an earlier borrower. */
  private static void assertClean(Connection c, Set<String> tokensSeen) throws SQLException {
    Session s = c.unwrap(EphemeraConnection.class).session();
    assertTrue(s.variables().isEmpty(), "variables: " + s.variables());
    assertEquals(List.of(), s.tempTables());
    assertEquals(List.of(), s.tempGraphs());
    assertNull(s.transaction());
    assertTrue(c.getAutoCommit());
    assertEquals("data", s.info().database(), "the selection the connection was opened with");
    assertEquals("app", s.info().user());
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW TEMPORARY TABLES")) {
      assertFalse(rs.next());
    }
    assertTrue(tokensSeen.add(s.token()), "a token no borrower had before");
  }

  /** Leaves every kind of state behind, as a careless borrower would. */
  private static void dirty(Connection c, String me) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("SET SESSION tenant_id = '" + me + "'");
      st.execute("USE NAMESPACE shop DATABASE other");
      st.execute("CREATE TEMPORARY TABLE scratch (v VARCHAR)");
      st.execute("INSERT INTO scratch VALUES ('" + me + "')");
      st.execute("CREATE TEMPORARY GRAPH g");
      c.unwrap(EphemeraConnection.class).addLiveListener((id, change) -> { });
      st.execute("LIVE SELECT * FROM scratch");
      c.setAutoCommit(false);
      st.execute("INSERT INTO scratch VALUES ('uncommitted')");
      st.execute("SAVEPOINT sp");
    }
  }

  @Test
  void underHikariThroughResettingNoBorrowerEverSeesAnothersState() throws Exception {
    HikariConfig config = new HikariConfig();
    config.setDataSource(new EphemeraDataSource(url));
    config.setMaximumPoolSize(4);
    config.setPoolName(name);
    Set<String> tokens = ConcurrentHashMap.newKeySet();
    Set<String> sessions = ConcurrentHashMap.newKeySet();
    try (HikariDataSource hikari = new HikariDataSource(config)) {
      DataSource ds = EphemeraDataSource.resetting(hikari);
      ExecutorService pool = Executors.newFixedThreadPool(8);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> work = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        String me = "thread" + t;
        work.add(pool.submit(() -> {
          go.await();
          for (int i = 0; i < 100; i++) {
            try (Connection c = ds.getConnection()) {
              assertClean(c, tokens);
              sessions.add(c.unwrap(EphemeraConnection.class).session().id());
              dirty(c, me + "-" + i);
            }
          }
          return null;
        }));
      }
      go.countDown();
      for (Future<?> f : work) {
        f.get(2, TimeUnit.MINUTES);
      }
      pool.shutdown();
      assertEquals(800, sessions.size(), "each borrow had a session of its own");
      assertTrue(engine.stats().active() <= 4, "the old sessions ended: " + engine.stats().active());
      assertEquals(0, engine.stats().tempGraphs(), "no graph left behind");
    }
    assertEquals(0, engine.stats().active(), "the pool's close ended the last ones");
    assertEquals(0, engine.stats().sqlConnections());
  }

  @Test
  void hikariAloneReusesTheSessionWhichIsWhyReadmeSaysWrapIt() throws SQLException {
    HikariConfig config = new HikariConfig();
    config.setDataSource(new EphemeraDataSource(url));
    config.setMaximumPoolSize(1);
    try (HikariDataSource hikari = new HikariDataSource(config)) {
      try (Connection c = hikari.getConnection(); Statement st = c.createStatement()) {
        st.execute("SET SESSION tenant_id = 'first'");
      }
      try (Connection c = hikari.getConnection()) {
        assertEquals("first", c.unwrap(EphemeraConnection.class).session().get("tenant_id"));
      }
      // what a connection closed around the wrapper brings back is reset when it is borrowed through it
      try (Connection c = EphemeraDataSource.resetting(hikari).getConnection()) {
        assertTrue(c.unwrap(EphemeraConnection.class).session().variables().isEmpty());
      }
    }
  }

  @Test
  void theJdbcPoolProtocolResetsWhenTheLogicalConnectionIsClosed() throws SQLException {
    EphemeraDataSource source = new EphemeraDataSource(url);
    PooledConnection pooled = source.getPooledConnection();
    List<String> events = new ArrayList<>();
    pooled.addConnectionEventListener(new ConnectionEventListener() {
      @Override
      public void connectionClosed(ConnectionEvent event) {
        events.add("closed");
      }

      @Override
      public void connectionErrorOccurred(ConnectionEvent event) {
        events.add("error " + event.getSQLException());
      }
    });
    Set<String> tokens = ConcurrentHashMap.newKeySet();
    for (int i = 0; i < 3; i++) {
      Connection c = pooled.getConnection();
      assertClean(c, tokens);
      dirty(c, "borrower" + i);
      c.close();
      assertTrue(c.isClosed());
      assertThrows(SQLException.class, c::createStatement);
    }
    assertEquals(List.of("closed", "closed", "closed"), events);
    assertEquals(1, engine.stats().active(), "one session: the physical connection's");
    pooled.close();
    assertEquals(0, engine.stats().active());
  }

  @Test
  void discardAllStartsTheConnectionAgainAndEndsTheOldSession() throws SQLException {
    try (Connection c = DriverManager.getConnection(url)) {
      Session before = c.unwrap(EphemeraConnection.class).session();
      String oldToken = before.token();
      Statement plain = c.createStatement();
      PreparedStatement h2Prepared = c.prepareStatement("SELECT 1");
      PreparedStatement dialectPrepared = c.prepareStatement("SET SESSION x = ?");
      dirty(c, "before");
      plain.execute("DISCARD ALL");
      Session after = c.unwrap(EphemeraConnection.class).session();
      assertNotEquals(before.id(), after.id());
      assertNotEquals(dev.ephemera.SessionState.ACTIVE, before.state(), "the old session ended");
      assertThrows(RuntimeException.class, () -> engine.resume(oldToken), "its token resumes nothing");
      assertClean(c, ConcurrentHashMap.newKeySet());
      try (ResultSet rs = plain.executeQuery("SELECT CURRENT_DATABASE()")) { // a plain statement goes on
        assertTrue(rs.next());
        assertEquals("data", rs.getString(1));
      }
      SQLException e = assertThrows(SQLException.class, h2Prepared::executeQuery);
      assertTrue(e.getMessage().contains("prepare it again"), e.getMessage());
      dialectPrepared.setLong(1, 7);
      dialectPrepared.execute(); // a prepared statement of the dialect holds nothing of the old session
      assertEquals(7L, after.get("x"));
      SQLException bad = assertThrows(SQLException.class, () -> plain.execute("DISCARD EVERYTHING"));
      assertEquals("42601", bad.getSQLState());
    }
  }

  @Test
  void endRequestResetsAndBeginRequestKeepsAConnectionNothingWasDoneWith() throws SQLException {
    try (Connection c = DriverManager.getConnection(url)) {
      String first = c.toString(); // names the session, and leaves the connection clean
      c.beginRequest();
      assertEquals(first, c.toString(), "clean: kept");
      String firstId = c.unwrap(EphemeraConnection.class).session().id(); // a way to the session: no longer clean
      dirty(c, "x");
      c.endRequest();
      Session second = c.unwrap(EphemeraConnection.class).session();
      assertNotEquals(firstId, second.id());
      assertClean(c, ConcurrentHashMap.newKeySet());
      c.unwrap(EphemeraConnection.class).session().set("y", 1);
      c.beginRequest(); // used since the reset: reset again
      assertTrue(c.unwrap(EphemeraConnection.class).session().variables().isEmpty());
    }
  }

  @Test
  void discardAllOutsideADriverConnectionIsRefused() {
    try (Session s = engine.open()) {
      SQLException e = assertThrows(SQLException.class, () -> SessionSql.of(s).execute("DISCARD ALL"));
      assertEquals("0A000", e.getSQLState());
    }
  }

  @Test
  void aDataSourceWithoutAGoodUrlSaysSo() {
    assertThrows(IllegalArgumentException.class, () -> new EphemeraDataSource("jdbc:h2:mem:x"));
    SQLException e = assertThrows(SQLException.class, () -> new EphemeraDataSource().getConnection());
    assertTrue(e.getMessage().contains("setUrl"), e.getMessage());
    EphemeraDataSource d = new EphemeraDataSource("jdbc:ephemera:engine:x;user=u;password=secret");
    assertFalse(d.toString().contains("secret"), d.toString());
    EphemeraDataSource attached = new EphemeraDataSource("jdbc:ephemera:engine:x;session=sess_AAAAAAAAAAAAAAAA.tok");
    assertFalse(attached.toString().contains("tok"), "a session token is a secret too: " + attached);
  }
}
