package dev.ephemera;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tenancy is physical: each namespace/database is its own H2 database, and a session's connection
 * reaches the one it has selected and nothing else, whatever SQL it writes; no session holds H2's
 * admin right. Each escape a user would try is refused with a typed error and changes nothing;
 * another database's objects answer exactly as objects nobody created. ({@code HostileTenantTest}
 * has the attacks on stored code, sequences, constants and the catalog.)
 */
class TenancyTest {
  final SessionEngine engine = SessionEngine.builder().ticker(new FakeTicker())
      .rootUser("root", "secret").passwordHashIterations(1000).build();
  Session root;
  Session alice; // database user of acme/sales

  @TempDir
  Path dir;

  @BeforeEach
  void setUp() {
    engine.users().create(Credentials.database("acme", "sales", "alice", "pw"));
    engine.users().create(Credentials.database("acme", "hr", "bob", "pw"));
    engine.users().create(Credentials.namespace("acme", "carol", "pw"));
    root = engine.open();
    root.signIn(Credentials.root("root", "secret"));
    root.use("acme", "hr");
    root.execute("CREATE TABLE salaries (name VARCHAR PRIMARY KEY, amount INT)");
    root.execute("INSERT INTO salaries VALUES ('alice', 100), ('bob', 200)");
    root.use("acme", "sales");
    root.execute("CREATE TABLE orders (id INT PRIMARY KEY)");
    root.execute("INSERT INTO orders VALUES (1)");
    alice = engine.open();
    alice.signIn(Credentials.database("acme", "sales", "alice", "pw"));
  }

  @AfterEach
  void close() {
    engine.close();
  }

  private long salaries() {
    root.use("acme", "hr");
    return ((Number) root.query("SELECT COUNT(*) + SUM(amount) FROM salaries").single()).longValue();
  }

  @Test
  void aDatabaseUserWorksInItsOwnSchemaAndItsTablesLiveThere() {
    assertEquals(1, alice.query("SELECT id FROM orders").single());
    alice.execute("CREATE TABLE leads (id INT)");
    alice.execute("INSERT INTO leads VALUES (7)");
    assertEquals("acme.sales", root.query(
        "SELECT TABLE_SCHEMA FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME = 'LEADS'").single());
    assertEquals("acme.sales", Names.h2Schema("acme", "sales"));
    assertEquals("EPH_DB:acme.sales", Names.h2Role("acme", "sales"));
  }

  /**
   * What {@code sql} gets when it names another tenant's database, and what it gets when it names
   * one that does not exist, with that name written back as the first: the same error, word for
   * word, so nothing tells a tenant which databases (or objects in them) exist.
   */
  static void assertLikeNothingThere(Session attacker, String sql) {
    SqlException there = assertThrows(SqlException.class, () -> run(attacker, sql));
    SqlException nowhere = assertThrows(SqlException.class, () -> run(attacker, sql.replace("acme.hr", "acme.nosuch")));
    assertEquals(nowhere.errorCode(), there.errorCode(), there.getMessage());
    assertEquals(nowhere.getMessage().replace("acme.nosuch", "acme.hr"), there.getMessage());
  }

  static Object run(Session s, String sql) {
    return sql.startsWith("SELECT") || sql.startsWith("CALL") ? s.query(sql) : s.execute(sql);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "SELECT * FROM \"acme.hr\".salaries",
      "SELECT * FROM \"acme.hr\".SALARIES s JOIN orders o ON TRUE",
      "INSERT INTO \"acme.hr\".salaries VALUES ('eve', 1)",
      "UPDATE \"acme.hr\".salaries SET amount = 0",
      "DELETE FROM \"acme.hr\".salaries",
      "DROP TABLE \"acme.hr\".salaries",
      "TRUNCATE TABLE \"acme.hr\".salaries",
      "ALTER TABLE \"acme.hr\".salaries ADD COLUMN x INT",
      "CREATE VIEW peek AS SELECT * FROM \"acme.hr\".salaries",
      "CREATE TABLE copy AS SELECT * FROM \"acme.hr\".salaries",
      "CREATE TABLE child (name VARCHAR REFERENCES \"acme.hr\".salaries(name))",
      "CREATE SYNONYM syn FOR \"acme.hr\".salaries",
      "SELECT DISK_SPACE_USED('\"acme.hr\".SALARIES')"})
  void anotherDatabaseIsNotThereForADatabaseUser(String escape) {
    long before = salaries();
    assertLikeNothingThere(alice, escape);
    assertEquals(before, salaries());
    assertEquals(1L, alice.query("SELECT COUNT(*) FROM orders").single(), "alice still works in her own schema");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "CREATE SCHEMA evil",
      "DROP SCHEMA \"acme.sales\" CASCADE",
      "ALTER SCHEMA \"acme.sales\" RENAME TO gone",
      "DROP ALIAS CURRENT_SESSION_VAR",
      "SET SCHEMA \"acme.hr\"",
      "SET SCHEMA_SEARCH_PATH \"acme.hr\"",
      "USE \"acme.hr\"",
      "CREATE ALIAS run_it FOR 'java.lang.Runtime.getRuntime'",
      "RUNSCRIPT FROM '/etc/hostname'",
      "CREATE LINKED TABLE linked('org.h2.Driver', 'jdbc:h2:mem:x', 'sa', '', 'T')",
      "SELECT FILE_READ('/etc/hostname')",
      "SELECT * FROM CSVREAD('/etc/hostname')",
      "CREATE USER evil PASSWORD 'x' ADMIN",
      "GRANT \"EPH_DB:acme.hr\" TO PUBLIC",
      "SET PASSWORD 'mine'",
      "SET EXCLUSIVE 1",
      "CREATE TRIGGER t AFTER INSERT ON orders CALL 'java.lang.Object'",
      "BACKUP TO 'backup.zip'"})
  void aDatabaseUserCannotEscapeItsDatabase(String escape) {
    long before = salaries();
    AccessDeniedException e = assertThrows(AccessDeniedException.class, () -> {
      if (escape.startsWith("SELECT")) {
        alice.query(escape);
      } else {
        alice.execute(escape);
      }
    });
    assertTrue(e.getMessage().contains(alice.id()), e.getMessage());
    assertEquals(before, salaries());
    assertEquals(1L, alice.query("SELECT COUNT(*) FROM orders").single(), "alice still works in her own schema");
  }

  @Test
  void filesAreNeitherWrittenNorRead() {
    Path script = dir.resolve("dump.sql");
    Path csv = dir.resolve("out.csv");
    assertThrows(AccessDeniedException.class, () -> alice.query("SCRIPT TO '" + script + "'"));
    assertThrows(AccessDeniedException.class, () -> alice.query("CALL CSVWRITE('" + csv + "', 'SELECT 1')"));
    assertThrows(AccessDeniedException.class, () -> alice.query("SELECT FILE_WRITE('x', '" + csv + "')"));
    assertFalse(Files.exists(script));
    assertFalse(Files.exists(csv));
  }

  @Test
  void javaMethodsCannotBeCalledByName() {
    SqlException e = assertThrows(SqlException.class,
        () -> alice.query("CALL \"java.lang.System.getProperty\"('user.home')"));
    assertEquals(90022, e.errorCode(), e.getMessage()); // function not found: only aliases an admin created exist
  }

  @Test
  void theJdbcWrapperIsHeldToTheSameRights() throws SQLException {
    try (Connection c = alice.jdbc(); Statement st = c.createStatement()) {
      SQLException e = assertThrows(SQLException.class, () -> st.executeQuery("SELECT * FROM \"acme.hr\".salaries"));
      SQLException none = assertThrows(SQLException.class, () -> st.executeQuery("SELECT * FROM \"acme.nosuch\".salaries"));
      assertEquals(none.getSQLState(), e.getSQLState(), "another database is as absent as one that does not exist");
      assertEquals("42501", assertThrows(SQLException.class, () -> st.executeQuery("SELECT FILE_READ('/etc/hostname')"))
          .getSQLState());
      assertThrows(SQLException.class, () -> st.execute("SET SCHEMA \"acme.hr\""));
      assertThrows(SQLException.class, () -> c.setSchema("acme.hr"));
      assertThrows(SQLException.class, () -> c.prepareStatement("SELECT * FROM \"acme.hr\".salaries"));
    }
  }

  @Test
  void aSessionThatIsNotSignedInTouchesOnlyItsOwnTempTables() {
    Session anon = engine.open();
    anon.createTempTable("scratch", "id INT");
    anon.execute("INSERT INTO scratch VALUES (1)");
    assertEquals(1, anon.query("SELECT id FROM scratch").single());
    assertThrows(AccessDeniedException.class, () -> anon.execute("CREATE TABLE t (id INT)"));
    assertLikeNothingThere(anon, "SELECT * FROM \"acme.hr\".salaries");
    assertThrows(AccessDeniedException.class, () -> anon.execute("SET SCHEMA \"acme.sales\""));
  }

  @Test
  void aLiveQueryReachesOnlyTheTablesOfTheSessionsDatabase() {
    Session admin = engine.open();
    admin.signIn(Credentials.root("root", "secret"));
    admin.use("acme", "hr");
    admin.execute("CREATE TABLE audit_trail (what VARCHAR)");
    List<Change> rootSees = new java.util.concurrent.CopyOnWriteArrayList<>();
    LiveQuery watched = admin.live("audit_trail", rootSees::add); // the trigger exists now
    List<Change> aliceSees = new java.util.concurrent.CopyOnWriteArrayList<>();
    SqlException e = assertThrows(SqlException.class, () -> alice.live("audit_trail", aliceSees::add));
    SqlException none = assertThrows(SqlException.class, () -> alice.live("no_trail", aliceSees::add));
    assertEquals(none.getMessage().replace("no_trail", "audit_trail").replace("NO_TRAIL", "AUDIT_TRAIL"), e.getMessage());
    admin.execute("INSERT INTO audit_trail VALUES ('secret')");
    assertEquals(1, rootSees.size());
    assertEquals(List.of(), aliceSees);
    watched.close();
  }

  @Test
  void aNamespaceUserHasTheRightsOfTheDatabaseItUsesOnTheSameConnection() {
    Session carol = engine.open();
    carol.signIn(Credentials.namespace("acme", "carol", "pw"));
    carol.createTempTable("notes", "n INT");
    carol.execute("INSERT INTO notes VALUES (5)");
    carol.use("acme", "hr");
    assertEquals(2L, carol.query("SELECT COUNT(*) FROM salaries").single());
    assertThrows(SqlException.class, () -> carol.query("SELECT * FROM \"acme.sales\".orders"));
    assertEquals(List.of(), carol.tempTables(), "a temporary table belongs to the database it was created in");
    carol.use("acme", "sales");
    assertEquals(1, carol.query("SELECT id FROM orders").single());
    assertLikeNothingThere(carol, "SELECT COUNT(*) FROM \"acme.hr\".salaries");
    carol.use("acme", null); // no database again: the connection kept for its temporary table comes back
    assertEquals(List.of("NOTES"), carol.tempTables());
    assertEquals(5, carol.query("SELECT n FROM notes").single());
  }

  @Test
  void signingOutTakesTheRightsAwayFromTheOpenConnection() {
    alice.createTempTable("mine", "id INT");
    assertEquals(1L, alice.query("SELECT COUNT(*) FROM orders").single());
    alice.signOut();
    assertThrows(SqlException.class, () -> alice.query("SELECT COUNT(*) FROM \"acme.sales\".orders"));
    assertThrows(SqlException.class, () -> alice.query("SELECT COUNT(*) FROM mine"), "it stays with acme/sales");
    assertThrows(AccessDeniedException.class, () -> alice.execute("CREATE TABLE t (id INT)"));
    alice.signIn(Credentials.database("acme", "sales", "alice", "pw"));
    assertEquals(0L, alice.query("SELECT COUNT(*) FROM mine").single());
  }

  @Test
  void rootHasEveryRightInTheDatabaseItSelectsAndNoAdminRight() {
    root.use("acme", "hr");
    assertEquals(2L, root.query("SELECT COUNT(*) FROM salaries").single());
    assertEquals(2L, root.query("SELECT COUNT(*) FROM \"acme.hr\".salaries").single());
    assertThrows(AccessDeniedException.class, () -> root.query("SELECT FILE_READ('/etc/hostname')"));
    assertThrows(AccessDeniedException.class, () -> root.execute("CREATE ALIAS run_it FOR 'java.lang.Runtime.getRuntime'"));
    assertThrows(AccessDeniedException.class, () -> root.execute("SET SCHEMA PUBLIC"));
    assertThrows(AccessDeniedException.class, () -> root.execute("CREATE USER evil PASSWORD 'x' ADMIN"));
    assertThrows(AccessDeniedException.class, () -> root.execute("SET EXCLUSIVE 1"));
  }

  @Test
  void rootSeesOnlyTheDatabaseItSelected() {
    root.use("acme", "sales");
    assertLikeNothingThere(root, "SELECT * FROM \"acme.hr\".salaries");
  }

  @Test
  void rootWithFileAccessLosesItWhenTheSameConnectionSignsInAsAnotherUser() throws Exception {
    Path file = Files.writeString(dir.resolve("note.txt"), "hello");
    String read = "SELECT FILE_READ('" + file + "')";
    try (SessionEngine withFiles = SessionEngine.builder().ticker(new FakeTicker()).rootUser("root", "secret")
        .passwordHashIterations(1000).rootFileAccess(true).build()) {
      withFiles.users().create(Credentials.database("acme", "hr", "bob", "pw"));
      Session r = withFiles.open();
      r.signIn(Credentials.root("root", "secret"));
      r.use("acme", "hr");
      assertNotNull(r.query(read).single(), "root has file access in the database it selected");
      r.signIn(Credentials.database("acme", "hr", "bob", "pw")); // the same database: the same connection
      assertThrows(AccessDeniedException.class, () -> r.query(read)); // the same text: prepared as admin
      r.close(); // its H2 user goes back to the pool
      for (int i = 0; i < 3; i++) {
        Session next = withFiles.open();
        next.signIn(Credentials.database("acme", "hr", "bob", "pw"));
        assertThrows(AccessDeniedException.class, () -> next.query(read), "the next lessee has no admin right");
        next.close();
      }
    }
  }

  @Test
  void switchingDatabasesSwitchesWhatTheSameTextReads() {
    root.use("acme", "hr");
    root.execute("CREATE TABLE t (x INT)");
    root.execute("INSERT INTO t VALUES (1)");
    root.use("acme", "sales");
    root.execute("CREATE TABLE t (x INT)");
    String q = "SELECT COUNT(*) FROM t";
    assertEquals(0L, root.query(q).single());
    root.use("acme", "hr");
    assertEquals(1L, root.query(q).single());
  }

  @Test
  void theNextSessionOnAReusedH2UserInheritsNoRights() {
    Session r = engine.open();
    r.signIn(Credentials.root("root", "secret"));
    r.use("acme", "hr");
    assertEquals(2L, r.query("SELECT COUNT(*) FROM salaries").single());
    r.signOut(); // its connection goes back, the H2 user too
    for (int i = 0; i < 3; i++) {
      Session next = engine.open();
      assertThrows(SqlException.class, () -> next.query("SELECT COUNT(*) FROM \"acme.hr\".salaries"));
      next.close();
    }
  }

  private static long engineUsers(String url) throws SQLException {
    try (Connection c = java.sql.DriverManager.getConnection(url, "sa", "");
        Statement st = c.createStatement();
        java.sql.ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.USERS WHERE USER_NAME LIKE 'EPH\\_S%'")) {
      assertTrue(rs.next());
      return rs.getLong(1);
    }
  }

  @Test
  void sessionsReuseTheEnginesH2UsersInsteadOfCreatingOnePerSession() throws SQLException {
    assertEquals(1, engineUsers(engine.databaseUrl("acme", "sales")), "root's connection (alice has not used SQL yet)");
    for (int i = 0; i < 300; i++) {
      Session s = engine.open();
      if (i % 3 == 0) {
        s.signIn(Credentials.database("acme", "sales", "alice", "pw"));
        assertEquals(1L, s.query("SELECT COUNT(*) FROM orders").single());
      } else {
        s.createTempTable("t", "id INT");
      }
      s.close();
    }
    assertEquals(2, engineUsers(engine.databaseUrl("acme", "sales")), "one more H2 user, reused by 100 sessions");
    assertEquals(1, engineUsers(engine.databaseUrl()), "one H2 user in the lobby, reused by 200 sessions");
    assertEquals(1, engine.stats().sqlConnections(), "root's only: every other connection was closed");
  }

  @Test
  void aFileDatabaseKeepsNoH2UserOfTheEngineAfterItCloses() throws Exception {
    String location = "file:" + dir.resolve("db").toAbsolutePath();
    try (SessionEngine fileEngine = SessionEngine.builder().ticker(new FakeTicker()).database(location).build()) {
      fileEngine.users().create(Credentials.database("acme", "Sales", "alice", "pw"));
      Session s = fileEngine.open();
      s.createTempTable("t", "id INT");
      fileEngine.open().createTempTable("u", "id INT");
      Session a = fileEngine.open();
      a.signIn(Credentials.database("acme", "Sales", "alice", "pw"));
      a.execute("CREATE TABLE kept (id INT)");
      a.execute("INSERT INTO kept VALUES (3)");
    }
    assertEquals(0, engineUsers("jdbc:h2:" + location));
    String tenant = "jdbc:h2:" + location + "--acme.-sales"; // the capital letter marked, for file systems that ignore case
    assertTrue(Files.exists(dir.resolve("db--acme.-sales.mv.db")));
    assertEquals(0, engineUsers(tenant));
    try (SessionEngine again = SessionEngine.builder().ticker(new FakeTicker()).database(location).build()) {
      again.users().create(Credentials.database("acme", "Sales", "alice", "pw"));
      Session a = again.open();
      a.signIn(Credentials.database("acme", "Sales", "alice", "pw"));
      assertEquals(3, a.query("SELECT id FROM kept").single(), "the tenant's tables are back after a restart");
    }
  }

  @Test
  void aDatabaseUserCannotSelectAnotherDatabase() {
    assertThrows(AccessDeniedException.class, () -> alice.use("acme", "hr"));
    assertLikeNothingThere(alice, "SELECT * FROM \"acme.hr\".salaries");
  }

  @Test
  void leavingTheDatabaseOfAnOpenTransactionsWorkIsRefusedAndChangesNothing() {
    Session carol = engine.open();
    carol.signIn(Credentials.namespace("acme", "carol", "pw"));
    carol.use("acme", "hr");
    try (Transaction tx = carol.begin()) {
      carol.execute("INSERT INTO salaries VALUES ('carol', 300)");
      assertThrows(TransactionException.class, () -> carol.use("acme", "sales"));
      assertThrows(TransactionException.class, () -> carol.use("acme", null));
      assertThrows(TransactionException.class, carol::signOut);
      assertThrows(TransactionException.class, () -> carol.signIn(Credentials.database("acme", "sales", "alice", "pw")));
      assertEquals("acme", carol.info().namespace());
      assertEquals("hr", carol.info().database(), "nothing changed");
      assertEquals("carol", carol.info().user());
      carol.use("acme", "hr"); // the same database: allowed
      assertEquals(3L, carol.query("SELECT COUNT(*) FROM salaries").single(), "the transaction goes on");
      tx.rollback();
    }
    carol.use("acme", "sales"); // after it: allowed
    try (Transaction tx = carol.begin()) { // no SQL in the transaction yet: nothing to leave
      carol.use("acme", "hr");
      assertEquals(2L, carol.query("SELECT COUNT(*) FROM salaries").single());
      tx.commit();
    }
  }

  @Test
  void jdbcStatementsFollowTheSessionToTheDatabaseItSelects() throws SQLException {
    Session carol = engine.open();
    carol.signIn(Credentials.namespace("acme", "carol", "pw"));
    carol.use("acme", "hr");
    Connection c = carol.jdbc();
    Statement plain = c.createStatement();
    plain.setMaxRows(1);
    java.sql.PreparedStatement prepared = c.prepareStatement("SELECT COUNT(*) FROM salaries");
    try (java.sql.ResultSet rs = plain.executeQuery("SELECT name FROM salaries ORDER BY name")) {
      assertTrue(rs.next());
      assertFalse(rs.next(), "maxRows 1");
    }
    carol.use("acme", "sales");
    try (java.sql.ResultSet rs = plain.executeQuery("SELECT id FROM orders")) {
      assertTrue(rs.next(), "the plain statement runs in acme/sales now");
      assertEquals(1, rs.getInt(1));
    }
    assertEquals(1, plain.getMaxRows(), "with the settings its caller gave it");
    SQLException e = assertThrows(SQLException.class, prepared::executeQuery);
    assertTrue(e.getMessage().contains("prepare it again"), e.getMessage());
    carol.signOut();
    assertThrows(SQLException.class, () -> plain.executeQuery("SELECT id FROM \"acme.sales\".orders"),
        "never on the connection of a database the session left");
  }
}
