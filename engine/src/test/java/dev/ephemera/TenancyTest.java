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
 * Tenancy is enforced by H2's own users and grants: a session's connection can reach its
 * database's schema and nothing else, whatever SQL it writes. Each escape a user would try is
 * refused with a typed error and changes nothing.
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
      "DROP SCHEMA \"acme.hr\" CASCADE",
      "CREATE SCHEMA evil",
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
  void aDatabaseUserCannotEscapeItsSchema(String escape) {
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
      assertEquals("42501", e.getSQLState());
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
    assertThrows(AccessDeniedException.class, () -> anon.query("SELECT * FROM \"acme.sales\".orders"));
    assertThrows(AccessDeniedException.class, () -> anon.execute("SET SCHEMA \"acme.sales\""));
  }

  @Test
  void aLiveQueryNeedsReadRightsEvenWhenAnotherSessionWatchesTheTable() {
    Session admin = engine.open();
    admin.signIn(Credentials.root("root", "secret"));
    admin.execute("CREATE TABLE PUBLIC.audit_trail (what VARCHAR)"); // a root table in PUBLIC
    List<Change> rootSees = new java.util.concurrent.CopyOnWriteArrayList<>();
    LiveQuery watched = admin.live("audit_trail", rootSees::add); // the trigger exists now
    Session anon = engine.open(); // works in PUBLIC too, with no rights on it
    List<Change> anonSees = new java.util.concurrent.CopyOnWriteArrayList<>();
    assertThrows(AccessDeniedException.class, () -> anon.live("audit_trail", anonSees::add));
    admin.execute("INSERT INTO audit_trail VALUES ('secret')");
    assertEquals(1, rootSees.size());
    assertEquals(List.of(), anonSees);
    watched.close();
  }

  @Test
  void aNamespaceUserHasTheRightsOfTheDatabaseItUsesOnTheSameConnection() {
    Session carol = engine.open();
    carol.signIn(Credentials.namespace("acme", "carol", "pw"));
    carol.createTempTable("notes", "n INT");
    carol.use("acme", "hr");
    assertEquals(2L, carol.query("SELECT COUNT(*) FROM salaries").single());
    assertThrows(AccessDeniedException.class, () -> carol.query("SELECT * FROM \"acme.sales\".orders"));
    carol.use("acme", "sales");
    assertEquals(1, carol.query("SELECT id FROM orders").single());
    assertThrows(AccessDeniedException.class, () -> carol.query("SELECT COUNT(*) FROM \"acme.hr\".salaries"));
    assertEquals(List.of("NOTES"), carol.tempTables(), "the connection, and its temp tables, survived both switches");
    assertEquals(0L, carol.query("SELECT COUNT(*) FROM notes").single());
  }

  @Test
  void signingOutTakesTheRightsAwayFromTheOpenConnection() {
    alice.createTempTable("mine", "id INT");
    assertEquals(1L, alice.query("SELECT COUNT(*) FROM orders").single());
    alice.signOut();
    assertThrows(AccessDeniedException.class, () -> alice.query("SELECT COUNT(*) FROM \"acme.sales\".orders"));
    assertEquals(0L, alice.query("SELECT COUNT(*) FROM mine").single());
  }

  @Test
  void rootLosesAdminRightsOnSignOutEvenForStatementsPreparedAsRoot() {
    Session r = engine.open();
    r.signIn(Credentials.root("root", "secret"));
    String peek = "SELECT COUNT(*) FROM \"acme.hr\".salaries";
    assertEquals(2L, r.query(peek).single());
    r.signOut();
    assertThrows(AccessDeniedException.class, () -> r.query(peek)); // the same text: cached as root
    r.signIn(Credentials.database("acme", "sales", "alice", "pw"));
    assertThrows(AccessDeniedException.class, () -> r.query(peek));
  }

  @Test
  void rootKeepsFullRights() {
    assertEquals(2L, root.query("SELECT COUNT(*) FROM \"acme.hr\".salaries").single());
    root.execute("SET SCHEMA \"acme.hr\"");
    assertEquals(2L, root.query("SELECT COUNT(*) FROM salaries").single());
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
    assertEquals(2L, r.query("SELECT COUNT(*) FROM \"acme.hr\".salaries").single());
    r.close(); // its H2 user goes back to the pool
    for (int i = 0; i < 3; i++) {
      Session next = engine.open();
      assertThrows(AccessDeniedException.class, () -> next.query("SELECT COUNT(*) FROM \"acme.hr\".salaries"));
      next.close();
    }
  }

  private long engineUsers() {
    return (Long) root.query("SELECT COUNT(*) FROM INFORMATION_SCHEMA.USERS WHERE USER_NAME LIKE 'EPH\\_S%'").single();
  }

  @Test
  void sessionsReuseTheEnginesH2UsersInsteadOfCreatingOnePerSession() {
    long before = engineUsers(); // root's connection (alice has not used SQL yet)
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
    assertEquals(before + 1, engineUsers(), "one more H2 user, reused by all 300 sessions");
    assertEquals(1, engine.stats().sqlConnections(), "root's only: every other connection was closed");
  }

  @Test
  void aFileDatabaseKeepsNoH2UserOfTheEngineAfterItCloses() throws SQLException {
    String location = "file:" + dir.resolve("db").toAbsolutePath();
    try (SessionEngine fileEngine = SessionEngine.builder().ticker(new FakeTicker()).database(location).build()) {
      Session s = fileEngine.open();
      s.createTempTable("t", "id INT");
      fileEngine.open().createTempTable("u", "id INT");
    }
    try (Connection c = java.sql.DriverManager.getConnection("jdbc:h2:" + location, "sa", "");
        Statement st = c.createStatement();
        java.sql.ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.USERS WHERE USER_NAME LIKE 'EPH\\_S%'")) {
      assertTrue(rs.next());
      assertEquals(0, rs.getLong(1));
    }
  }

  @Test
  void aDatabaseUserCannotSelectAnotherDatabase() {
    assertThrows(AccessDeniedException.class, () -> alice.use("acme", "hr"));
    assertThrows(AccessDeniedException.class, () -> alice.query("SELECT * FROM \"acme.hr\".salaries"));
  }
}
