package dev.ephemera;

import dev.ephemera.internal.store.JdbcSessionStore;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import static org.junit.jupiter.api.Assertions.*;

/**
 * What is particular to {@link SessionStores#jdbc}, beyond the {@link dev.ephemera.storetest.SessionStoreContract}
 * every store keeps ({@link JdbcSessionStoreContractBase} runs that on each database): the dialect, table
 * names, indexes and rights, the DataSource's connections (borrowed and closed, auto-commit, failures),
 * SQL errors, the column limits, and expiry times in whole milliseconds against the store's clock. Every
 * case runs on each database, one subclass per database (an H2 file database with H2's SQL,
 * {@link JdbcSessionStoreH2Test}; the same with the portable SQL other databases get,
 * {@link JdbcSessionStoreGenericSqlTest}; a real PostgreSQL 14 server, {@link JdbcSessionStorePostgresTest}).
 * Each test uses a table of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class JdbcSessionStoreDialectTest {
  static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  static final Identity ALICE = new Identity("alice", AuthLevel.ROOT, null, null);
  static final Identity BOB = new Identity("bob", AuthLevel.DATABASE, "shop", "main");
  static final AtomicInteger TABLES = new AtomicInteger();

  /** A record of {@code id}, signed in as {@code who} (or not), expiring at {@code expiresAt}. */
  static SessionRecord record(String id, Identity who, Instant expiresAt, long revision, Map<String, Object> vars) {
    byte[] hash = new byte[SessionRecord.TOKEN_HASH_BYTES];
    Arrays.fill(hash, (byte) id.hashCode());
    return new SessionRecord(id, hash, who, who == null ? null : who.namespace(), who == null ? null : who.database(),
        vars, Map.of(), 0, ClientInfo.none(), NOW.minus(Duration.ofHours(1)), NOW, null, expiresAt, revision);
  }

  static SessionRecord record(String id, Identity who, Instant expiresAt) {
    return record(id, who, expiresAt, 1, Map.of());
  }

  /** Every value type a variable can hold, nested ones too. */
  static Map<String, Object> everyValueType() {
    Map<String, Object> nested = new LinkedHashMap<>();
    nested.put("none", null);
    nested.put("bytes", new byte[] {1, 2, 3});
    nested.put("list", Arrays.asList(1L, null, "x"));
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("nothing", null);
    v.put("yes", true);
    v.put("no", false);
    v.put("count", Long.MIN_VALUE);
    v.put("ratio", -0.5d);
    v.put("nan", Double.NaN);
    v.put("money", new BigDecimal("12345678901234567890.000000001"));
    v.put("text", "héllo ✓ \u0000 end");
    v.put("empty", "");
    v.put("blob", new byte[] {0, -1, 7, -128, 127});
    v.put("when", Instant.parse("2029-12-31T23:59:59.123456789Z"));
    v.put("items", Arrays.asList(1L, 2.5d, "three", null, new byte[] {9}, List.of(List.of())));
    v.put("props", nested);
    return v;
  }

  // ------------------------------------------------------------------ the store, a table per test

  DataSource ds;
  String table;
  final List<SessionStore> stores = new ArrayList<>();

  /** The database; may abort the test (PostgreSQL that could not start). */
  abstract DataSource dataSource();

  /** The dialect forced on the store, or {@code null} to let it choose by the product name. */
  JdbcSessionStore.Dialect forcedDialect() {
    return null;
  }

  abstract JdbcSessionStore.Dialect expectedDialect();

  /**
   * A new database user who may SELECT, INSERT, UPDATE and DELETE rows of {@code tableName} and create
   * no table, and a DataSource that connects as it.
   */
  abstract DataSource rowsOnlyUser(String user, String tableName) throws SQLException;

  @BeforeEach
  void setUp() {
    ds = dataSource();
    table = "sessions_" + TABLES.incrementAndGet();
  }

  @AfterEach
  void closeStores() {
    stores.forEach(SessionStore::close);
  }

  JdbcSessionStore store() {
    return store(ds, table);
  }

  JdbcSessionStore store(DataSource source, String name) {
    JdbcSessionStore s = new JdbcSessionStore(source, name, forcedDialect(), CLOCK);
    stores.add(s);
    return s;
  }

  /** Runs SQL on a connection of the test's own. */
  void sql(String statement, Object... params) throws SQLException {
    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(statement)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      ps.executeUpdate();
    }
  }

  String quoted() {
    return "\"" + table + "\"";
  }

  byte[] storedBytes(String id) throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT record FROM " + quoted() + " WHERE id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        assertTrue(rs.next(), id + " has no row");
        return rs.getBytes(1);
      }
    }
  }

  void overwriteBytes(String id, byte[] bytes) throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("UPDATE " + quoted() + " SET record = ? WHERE id = ?")) {
      ps.setBytes(1, bytes);
      ps.setString(2, id);
      assertEquals(1, ps.executeUpdate());
    }
  }

  List<SessionRecord> scanAll(JdbcSessionStore s, List<CorruptRecordException> corrupt) {
    List<SessionRecord> all = new ArrayList<>();
    s.scan(all::add, corrupt::add);
    return all;
  }

  @Test
  void theDialectIsChosenByTheDatabaseProductName() {
    assertEquals(expectedDialect(), store().dialect());
    assertTrue(store().shared());
  }

  @Test
  void sessionsOfListsTheUnexpiredSessionsOfOneUser() {
    JdbcSessionStore s = store();
    s.save(record("sess_a1", ALICE, NOW.plus(Duration.ofHours(1))));
    s.save(record("sess_a2", ALICE, NOW.plusNanos(1))); // not expired by a nanosecond
    s.save(record("sess_a3", ALICE, NOW)); // expired at NOW
    s.save(record("sess_a4", ALICE, NOW.minus(Duration.ofDays(1))));
    s.save(record("sess_b1", BOB, NOW.plus(Duration.ofHours(1))));
    s.save(record("sess_anon", null, NOW.plus(Duration.ofHours(1))));
    assertEquals(Set.of("sess_a1", "sess_a2"), new HashSet<>(s.sessionsOf(ALICE.key())));
    assertEquals(2, s.sessionsOf(ALICE.key()).size());
    assertEquals(List.of("sess_b1"), s.sessionsOf(BOB.key()));
    assertEquals(List.of(), s.sessionsOf("root:nobody"));
  }

  @Test
  void purgeExpiredDeletesOnlyExpiredRecordsAndCountsThem() {
    JdbcSessionStore s = store();
    s.save(record("sess_old", ALICE, NOW.minus(Duration.ofDays(1))));
    s.save(record("sess_just", ALICE, NOW.minusMillis(1)));
    s.save(record("sess_now", null, NOW));
    s.save(record("sess_ancient", null, Instant.MIN));
    s.save(record("sess_nano", ALICE, NOW.plusNanos(1)));
    s.save(record("sess_later", BOB, NOW.plus(Duration.ofHours(1))));
    s.save(record("sess_never", BOB, Instant.MAX));
    assertEquals(4, s.purgeExpired(NOW));
    Set<String> left = new TreeSet<>();
    s.scan(r -> left.add(r.id()), e -> fail(e));
    assertEquals(Set.of("sess_nano", "sess_later", "sess_never"), left);
    assertEquals(0, s.purgeExpired(NOW));
    assertEquals(2, s.purgeExpired(NOW.plus(Duration.ofHours(1))));
  }

  @Test
  void badTableNamesAreRefusedBeforeAnySqlRuns() {
    CountingDataSource counting = new CountingDataSource(ds);
    List<String> bad = new ArrayList<>(List.of("", "1sessions", "sessions;drop table x", "a.b.c", ".sessions",
        "app.", "ses-sions", "ses sions", "\"sessions\"", "sessions\u0000", "séssions", "app..sessions",
        "a".repeat(129), "s".repeat(60) + "." + "t".repeat(68)));
    for (String name : bad) {
      InvalidNameException e = assertThrows(InvalidNameException.class, () -> SessionStores.jdbc(counting, name),
          name);
      assertTrue(e.getMessage().contains("table"), e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> store(counting, name), name);
    }
    assertThrows(InvalidNameException.class, () -> SessionStores.jdbc(counting, null));
    assertEquals(0, counting.opened.get(), "no connection was borrowed for a bad name");
  }

  @Test
  void aReservedWordAndASchemaPrefixAreQuotedAndWork() throws SQLException {
    sql("CREATE SCHEMA IF NOT EXISTS \"eph_app\"");
    for (String name : List.of("order", "eph_app.sessions", "eph_app.user", "Mixed_Case_" + table,
        "x" + "y".repeat(126))) {
      JdbcSessionStore s = store(ds, name);
      SessionRecord r = record("sess_q", ALICE, NOW.plusSeconds(60));
      s.save(r);
      assertEquals(r, s.load("sess_q").orElseThrow(), name);
      assertEquals(List.of("sess_q"), s.sessionsOf(ALICE.key()), name);
      assertEquals(1, s.purgeExpired(NOW.plusSeconds(60)), name);
      assertEquals(Optional.empty(), store(ds, name).load("sess_q"), "a store opened on an existing table: " + name);
    }
  }

  @Test
  void aUserWhoMayNotCreateTablesUsesATableMadeForIt() throws SQLException {
    store(); // the owner creates the table
    DataSource app = rowsOnlyUser("app_" + TABLES.incrementAndGet(), table);
    try (Connection c = app.getConnection(); Statement st = c.createStatement()) {
      assertThrows(SQLException.class, () -> st.execute("CREATE TABLE \"probe_" + table + "\" (x INT)"),
          "the user may not create tables");
    }
    JdbcSessionStore s = store(app, table);
    SessionRecord r = record("sess_app", ALICE, NOW.plusSeconds(60));
    String longName = "long_" + table + "_" + "x".repeat(100); // longer than PostgreSQL's 63
    store(ds, longName);
    store(rowsOnlyUser("app_" + TABLES.incrementAndGet(), longName), longName).save(r);
    s.save(r);
    s.save(r);
    assertEquals(r, s.load("sess_app").orElseThrow());
    assertEquals(List.of(r), scanAll(s, new ArrayList<>()));
    assertEquals(List.of("sess_app"), s.sessionsOf(ALICE.key()));
    assertEquals(1, s.purgeExpired(NOW.plusSeconds(60)));
    s.save(r);
    assertTrue(s.delete("sess_app"));
  }

  @Test
  void theTableGetsIndexesOnUserKeyAndExpiresAt() throws SQLException {
    store();
    Set<String> indexed = new TreeSet<>();
    try (Connection c = ds.getConnection();
        ResultSet rs = c.getMetaData().getIndexInfo(null, null, table, false, false)) {
      while (rs.next()) {
        String column = rs.getString("COLUMN_NAME");
        if (column != null) {
          indexed.add(column.toLowerCase(java.util.Locale.ROOT));
        }
      }
    }
    assertTrue(indexed.containsAll(Set.of("id", "user_key", "expires_at")), "indexed columns: " + indexed);
  }

  @Test
  void theDefaultTableIsSharedBetweenStores() {
    SessionStore a = SessionStores.jdbc(ds);
    stores.add(a);
    SessionStore b = SessionStores.jdbc(ds);
    stores.add(b);
    assertTrue(a.shared());
    assertTrue(a.toString().contains("ephemera_sessions"), a.toString());
    SessionRecord r = record("sess_shared_" + table, ALICE, NOW.plus(Duration.ofDays(365 * 20)));
    a.save(r);
    assertEquals(r, b.load(r.id()).orElseThrow());
    SessionRecord r2 = record(r.id(), ALICE, r.expiresAt(), 2, Map.of("by", "b"));
    b.save(r2);
    assertEquals(r2, a.load(r.id()).orElseThrow(), "last writer wins");
    assertTrue(a.delete(r.id()));
    assertEquals(Optional.empty(), b.load(r.id()));
  }

  @Test
  void aDataSourceThatCannotConnectGivesAClearSessionStoreException() {
    CountingDataSource failing = new CountingDataSource(ds);
    failing.failure = new SQLException("Connection refused (test)", "08001", 4711);
    SessionStoreException e = assertThrows(SessionStoreException.class, () -> SessionStores.jdbc(failing, table));
    assertTrue(e.getMessage().contains("'" + table + "'"), e.getMessage());
    assertTrue(e.getMessage().contains("could not get a connection"), e.getMessage());
    assertTrue(e.getMessage().contains("Connection refused (test)"), e.getMessage());
    assertTrue(e.getMessage().contains("SQLState 08001"), e.getMessage());
    assertSame(failing.failure, e.getCause());

    failing.failure = null;
    JdbcSessionStore s = store(failing, table);
    failing.failure = new SQLException("Connection refused (test)", "08001");
    SessionStoreException e2 = assertThrows(SessionStoreException.class, () -> s.load("sess_a"));
    assertTrue(e2.getMessage().contains("load could not get a connection"), e2.getMessage());
    assertThrows(SessionStoreException.class, () -> s.save(record("sess_a", null, NOW)));
    assertThrows(SessionStoreException.class, () -> s.scan(r -> { }, r -> { }));
    failing.nullConnection = true;
    failing.failure = null;
    SessionStoreException e3 = assertThrows(SessionStoreException.class, () -> s.delete("sess_a"));
    assertTrue(e3.getMessage().contains("returned no connection"), e3.getMessage());
  }

  @Test
  void anSqlErrorNamesTheTableTheOperationAndTheSqlState() throws SQLException {
    JdbcSessionStore s = store();
    sql("DROP TABLE " + quoted());
    SessionStoreException e = assertThrows(SessionStoreException.class, () -> s.load("sess_x"));
    SQLException cause = assertInstanceOf(SQLException.class, e.getCause());
    assertNotNull(cause.getSQLState());
    assertTrue(e.getMessage().contains("'" + table + "'"), e.getMessage());
    assertTrue(e.getMessage().contains("load of sess_x failed"), e.getMessage());
    assertTrue(e.getMessage().contains("SQLState " + cause.getSQLState()), e.getMessage());
    assertFalse(e instanceof CorruptRecordException);
  }

  @Test
  void withAutoCommitOffTheStoreCommits() {
    CountingDataSource manual = new CountingDataSource(ds);
    manual.autoCommit = false;
    JdbcSessionStore s = store(manual, table);
    JdbcSessionStore other = store(ds, table);
    SessionRecord r = record("sess_tx", ALICE, NOW.plusSeconds(60));
    s.save(r);
    assertEquals(r, other.load("sess_tx").orElseThrow(), "saved and committed");
    assertEquals(r, s.load("sess_tx").orElseThrow());
    assertEquals(List.of(r), scanAll(s, new ArrayList<>()));
    assertTrue(s.delete("sess_tx"));
    assertEquals(Optional.empty(), other.load("sess_tx"), "deleted and committed");
    s.save(record("sess_old", ALICE, NOW.minusSeconds(1)));
    assertEquals(1, s.purgeExpired(NOW));
    assertEquals(List.of(), scanAll(other, new ArrayList<>()), "purged and committed");
    assertEquals(Set.of(false), new HashSet<>(manual.autoCommitAtClose), "handed back as it came");
  }

  @Test
  void scanHandsItsConnectionBackWithAutoCommitAsItCame() {
    CountingDataSource counting = new CountingDataSource(ds);
    JdbcSessionStore s = store(counting, table);
    s.save(record("sess_a", ALICE, NOW.plusSeconds(60)));
    counting.autoCommitAtClose.clear();
    s.scan(r -> { }, e -> { });
    assertThrows(IllegalStateException.class, () -> s.scan(r -> {
      throw new IllegalStateException("callback failed");
    }, e -> { }), "a callback's exception is thrown as it is");
    assertEquals(List.of(true, true), counting.autoCommitAtClose);
    assertEquals(counting.opened.get(), counting.closed.get());
  }

  @Test
  void everyBorrowedConnectionIsClosedAfterTwoHundredOperations() throws SQLException {
    CountingDataSource counting = new CountingDataSource(ds);
    JdbcSessionStore s = store(counting, table);
    s.save(record("sess_bad", ALICE, NOW.plusSeconds(60)));
    byte[] b = storedBytes("sess_bad");
    overwriteBytes("sess_bad", Arrays.copyOf(b, 3));
    int before = counting.opened.get();
    int ops = 0;
    for (int i = 0; ops < 200; i++) {
      String id = "sess_" + (i % 7);
      switch (i % 8) {
        case 0, 1 -> s.save(record(id, i % 3 == 0 ? ALICE : BOB, NOW.plusSeconds(i), i, Map.of("i", (long) i)));
        case 2 -> s.load(id);
        case 3 -> assertThrows(CorruptRecordException.class, () -> s.load("sess_bad"));
        case 4 -> s.scan(r -> { }, e -> { });
        case 5 -> s.sessionsOf(ALICE.key());
        case 6 -> s.delete(id);
        default -> s.purgeExpired(NOW.plusSeconds(i % 50));
      }
      ops++;
    }
    assertThrows(IllegalStateException.class, () -> s.scan(r -> {
      throw new IllegalStateException("stop");
    }, e -> { }));
    assertEquals(before + 201, counting.opened.get(), "one connection per operation");
    assertEquals(counting.opened.get(), counting.closed.get(), "every borrowed connection was closed");
  }

  @Test
  void closeIsIdempotentLaterCallsThrowAndTheDataSourceStaysOpen() throws SQLException {
    CountingDataSource counting = new CountingDataSource(ds);
    JdbcSessionStore s = store(counting, table);
    s.save(record("sess_a", ALICE, NOW.plusSeconds(60)));
    s.close();
    s.close();
    int opened = counting.opened.get();
    List<Runnable> calls = List.of(() -> s.load("sess_a"), () -> s.save(record("sess_b", null, NOW)),
        () -> s.delete("sess_a"), () -> s.scan(r -> { }, e -> { }), () -> s.sessionsOf(ALICE.key()),
        () -> s.purgeExpired(NOW));
    for (Runnable call : calls) {
      SessionStoreException e = assertThrows(SessionStoreException.class, call::run);
      assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }
    assertEquals(opened, counting.opened.get(), "a closed store borrows no connection");
    assertEquals(0, counting.closeCalls.get(), "the store does not close the DataSource");
    try (Connection c = counting.getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + quoted())) {
      assertTrue(rs.next());
      assertEquals(1, rs.getInt(1));
    }
  }

  @Test
  void anIdTooLongForTheColumnIsRefusedClearly() {
    JdbcSessionStore s = store();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> s.save(record("s".repeat(65), ALICE, NOW)));
    assertTrue(e.getMessage().contains("at most 64"), e.getMessage());
    s.save(record("s".repeat(64), ALICE, NOW));
    assertTrue(s.load("s".repeat(64)).isPresent());
  }

  // ------------------------------------------------------------------ a DataSource that counts

  /**
   * Wraps a DataSource: counts the connections it hands out and how many of them were closed; can
   * fail or return null instead, switch auto-commit off, and watch the SQL prepared.
   */
  static final class CountingDataSource implements DataSource, AutoCloseable {
    final DataSource real;
    final AtomicInteger opened = new AtomicInteger();
    final AtomicInteger closed = new AtomicInteger();
    final AtomicInteger closeCalls = new AtomicInteger();
    final List<Boolean> autoCommitAtClose = new CopyOnWriteArrayList<>();
    volatile SQLException failure;
    volatile boolean nullConnection;
    volatile Boolean autoCommit;
    volatile Consumer<String> beforePrepare;

    CountingDataSource(DataSource real) {
      this.real = real;
    }

    @Override
    public Connection getConnection() throws SQLException {
      if (failure != null) {
        throw failure;
      }
      if (nullConnection) {
        return null;
      }
      Connection c = real.getConnection();
      if (autoCommit != null) {
        c.setAutoCommit(autoCommit);
      }
      opened.incrementAndGet();
      AtomicBoolean once = new AtomicBoolean();
      return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
          (proxy, method, args) -> {
            if (method.getName().equals("close") && !once.getAndSet(true)) {
              autoCommitAtClose.add(c.getAutoCommit());
              closed.incrementAndGet();
            }
            Consumer<String> hook = beforePrepare;
            if (method.getName().equals("prepareStatement") && hook != null) {
              hook.accept((String) args[0]);
            }
            try {
              return method.invoke(c, args);
            } catch (InvocationTargetException e) {
              throw e.getCause();
            }
          });
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
      throw new SQLFeatureNotSupportedException("the store uses getConnection()");
    }

    @Override
    public void close() {
      closeCalls.incrementAndGet();
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
      return real.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
      real.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
      real.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
      return real.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
      return real.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
      return real.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
      return real.isWrapperFor(iface);
    }

    @Override
    public String toString() {
      return "CountingDataSource(" + real + ")";
    }
  }

}
