package dev.ephemera;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A database user of {@code alpha/a} (mallory) attacks {@code bravo/b} (the victim's) with the SQL
 * a hostile tenant would write, through {@code Session.query/execute} and {@code jdbc()}; and
 * leaves stored code for root to run. Each test asserts the refusal and that the victim's rows,
 * sequence, constant and view are exactly as before ({@link #assertVictimUnchanged}).
 */
class HostileTenantTest {
  final SessionEngine engine = SessionEngine.builder().ticker(new FakeTicker())
      .rootUser("root", "secret").passwordHashIterations(1000).build();
  Session root;
  Session mallory; // alpha/a
  Session victim; // bravo/b
  List<Object> victimBefore;

  @TempDir
  Path dir;

  @BeforeEach
  void setUp() {
    engine.users().create(Credentials.database("alpha", "a", "mallory", "pw"));
    engine.users().create(Credentials.database("bravo", "b", "victim", "pw"));
    victim = engine.open();
    victim.signIn(Credentials.database("bravo", "b", "victim", "pw"));
    victim.execute("CREATE TABLE payroll_secret (employee_secret VARCHAR PRIMARY KEY, salary INT)");
    victim.execute("INSERT INTO payroll_secret VALUES ('carol', 9100), ('dave', 8700)");
    victim.execute("CREATE SEQUENCE invoice_seq START WITH 500");
    victim.execute("CREATE CONSTANT launch_code VALUE 4242");
    victim.execute("CREATE VIEW rich_secret AS SELECT * FROM payroll_secret WHERE salary > 9000"
        + " AND employee_secret <> 'literal_secret'");
    victim.execute("CREATE DOMAIN money_secret AS INT CHECK (VALUE >= 0)");
    mallory = engine.open();
    mallory.signIn(Credentials.database("alpha", "a", "mallory", "pw"));
    root = engine.open();
    root.signIn(Credentials.root("root", "secret"));
    victimBefore = victimState();
  }

  @AfterEach
  void close() {
    assertVictimUnchanged();
    engine.close();
  }

  /** The victim's rows, the sequence's next value (read without taking it), the constant and the view's text. */
  private List<Object> victimState() {
    return List.of(
        victim.query("SELECT * FROM payroll_secret ORDER BY 1").rows(),
        victim.query("SELECT BASE_VALUE FROM INFORMATION_SCHEMA.SEQUENCES WHERE SEQUENCE_NAME = 'INVOICE_SEQ'").single(),
        victim.query("SELECT launch_code").single(),
        victim.query("SELECT VIEW_DEFINITION FROM INFORMATION_SCHEMA.VIEWS WHERE TABLE_NAME = 'RICH_SECRET'").single());
  }

  private void assertVictimUnchanged() {
    assertEquals(victimBefore, victimState(), "the victim's data and objects are unchanged");
  }

  /** The same error as for a database nobody created, word for word (no oracle of what exists). */
  private static void assertLikeNothingThere(Session attacker, String sql) {
    SqlException there = assertThrows(SqlException.class, () -> run(attacker, sql), sql);
    SqlException nowhere = assertThrows(SqlException.class, () -> run(attacker, sql.replace("bravo.b", "bravo.zz")));
    assertEquals(nowhere.errorCode(), there.errorCode(), there.getMessage());
    assertEquals(nowhere.getMessage().replace("bravo.zz", "bravo.b"), there.getMessage());
  }

  private static Object run(Session s, String sql) {
    return sql.startsWith("SELECT") || sql.startsWith("CALL") || sql.startsWith("SCRIPT") ? s.query(sql) : s.execute(sql);
  }

  // ---- 1. stored code never runs with more rights than its creator had ----------------------

  @Test
  void aViewCallingFileWriteDoesNotWriteWhenRootReadsIt() {
    Path out = dir.resolve("by-root.txt");
    mallory.execute("CREATE FORCE VIEW trap AS SELECT FILE_WRITE('owned', '" + out + "') AS w");
    root.use("alpha", "a");
    assertThrows(AccessDeniedException.class, () -> root.query("SELECT * FROM trap"));
    assertFalse(Files.exists(out), "nothing was written as the engine's process");
  }

  @Test
  void aColumnDefaultCallingFileWriteOrFileReadDoesNotRunWhenRootInserts() {
    Path out = dir.resolve("default.txt");
    mallory.execute("CREATE TABLE inbox (id INT, w BLOB DEFAULT FILE_WRITE('owned', '" + out + "'))");
    mallory.execute("CREATE TABLE inbox2 (id INT, r BLOB DEFAULT FILE_READ('/etc/hostname'))");
    root.use("alpha", "a");
    assertThrows(AccessDeniedException.class, () -> root.execute("INSERT INTO inbox (id) VALUES (1)"));
    assertThrows(AccessDeniedException.class, () -> root.execute("INSERT INTO inbox2 (id) VALUES (1)"));
    assertFalse(Files.exists(out));
    assertEquals(0L, mallory.query("SELECT COUNT(*) FROM inbox").single());
    assertEquals(0L, mallory.query("SELECT COUNT(*) FROM inbox2").single());
  }

  @Test
  void aCsvWriteViewChainedToAFileReadDefaultCarriesNoOtherTenantsRowsEvenWithRootFileAccess() throws Exception {
    Path csv = dir.resolve("leak.csv");
    String chain = "CREATE FORCE VIEW leak AS SELECT CSVWRITE('" + csv + "', 'SELECT * FROM \"bravo.b\".payroll_secret') AS n";
    String loot = "CREATE TABLE loot (id INT, data VARCHAR DEFAULT FILE_READ('" + csv + "', NULL))";
    mallory.execute(chain);
    mallory.execute(loot);
    root.use("alpha", "a");
    assertThrows(AccessDeniedException.class, () -> root.query("SELECT * FROM leak"));
    assertThrows(AccessDeniedException.class, () -> root.execute("INSERT INTO loot (id) VALUES (1)"));
    assertFalse(Files.exists(csv));
    try (SessionEngine files = SessionEngine.builder().ticker(new FakeTicker()).rootUser("root", "secret")
        .passwordHashIterations(1000).rootFileAccess(true).build()) {
      files.users().create(Credentials.database("alpha", "a", "mallory", "pw"));
      files.users().create(Credentials.database("bravo", "b", "victim", "pw"));
      Session v = files.open();
      v.signIn(Credentials.database("bravo", "b", "victim", "pw"));
      v.execute("CREATE TABLE payroll_secret (employee_secret VARCHAR, salary INT)");
      v.execute("INSERT INTO payroll_secret VALUES ('carol', 9100)");
      Session m = files.open();
      m.signIn(Credentials.database("alpha", "a", "mallory", "pw"));
      m.execute(chain);
      m.execute(loot);
      Session r = files.open();
      r.signIn(Credentials.root("root", "secret"));
      r.use("alpha", "a"); // root with file access runs the stored code as H2 ADMIN here, as documented...
      SqlException e = assertThrows(SqlException.class, () -> r.query("SELECT * FROM leak"));
      assertTrue(e.getMessage().contains("bravo.b"), e.getMessage()); // ...but bravo/b is not in this database
      assertFalse(Files.exists(csv) && Files.readString(csv).contains("carol"));
      assertEquals(List.of(List.of("carol", 9100)), v.query("SELECT * FROM payroll_secret").rows());
    }
  }

  // ---- 2./4. sequences, constants, domains, synonyms of another tenant -----------------------

  @ParameterizedTest
  @ValueSource(strings = {
      "SELECT NEXT VALUE FOR \"bravo.b\".invoice_seq",
      "SELECT CURRENT VALUE FOR \"bravo.b\".invoice_seq",
      "ALTER SEQUENCE \"bravo.b\".invoice_seq RESTART WITH 1",
      "DROP SEQUENCE \"bravo.b\".invoice_seq",
      "SELECT \"bravo.b\".launch_code",
      "DROP CONSTANT \"bravo.b\".launch_code",
      "CREATE TABLE uses_domain (m \"bravo.b\".money_secret)",
      "DROP DOMAIN \"bravo.b\".money_secret",
      "CREATE SYNONYM pay FOR \"bravo.b\".payroll_secret",
      "SELECT * FROM \"bravo.b\".rich_secret",
      "SELECT DISK_SPACE_USED('\"bravo.b\".PAYROLL_SECRET')",
      "COMMENT ON TABLE \"bravo.b\".payroll_secret IS 'x'",
      "CREATE INDEX i ON \"bravo.b\".payroll_secret(salary)",
      "ANALYZE TABLE \"bravo.b\".payroll_secret",
      "SELECT * FROM TABLE(x INT = (SELECT salary FROM \"bravo.b\".payroll_secret))"})
  void anotherTenantsObjectsAreAsAbsentAsObjectsNobodyCreated(String attack) {
    assertLikeNothingThere(mallory, attack);
  }

  // ---- 6. the catalog ---------------------------------------------------------------------

  @Test
  void theCatalogShowsNothingOfAnotherTenant() throws SQLException {
    StringBuilder seen = new StringBuilder();
    for (String view : List.of("TABLES", "COLUMNS", "VIEWS", "CONSTANTS", "SEQUENCES", "SCHEMATA", "ROLES", "USERS",
        "DOMAINS", "TRIGGERS", "RIGHTS", "SESSIONS", "SYNONYMS", "INDEXES", "CHECK_CONSTRAINTS", "ENUM_VALUES",
        "ROUTINES", "SETTINGS", "LOCKS", "QUERY_STATISTICS")) {
      seen.append(mallory.query("SELECT * FROM INFORMATION_SCHEMA." + view).rows());
    }
    try (Connection c = mallory.jdbc()) {
      DatabaseMetaData md = c.getMetaData();
      for (ResultSet rs : List.of(md.getTables(null, null, "%", null), md.getSchemas(), md.getCatalogs(),
          md.getColumns(null, null, "%", "%"), md.getProcedures(null, null, "%"))) {
        try (rs) {
          while (rs.next()) {
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
              seen.append(rs.getString(i)).append(' ');
            }
          }
        }
      }
      seen.append(md.getURL()).append(md.getUserName());
    }
    String text = seen.toString().toLowerCase(java.util.Locale.ROOT);
    for (String secret : List.of("bravo", "payroll", "employee_secret", "rich_secret", "literal_secret", "invoice",
        "launch_code", "4242", "money_secret", "victim")) {
      assertFalse(text.contains(secret), "the catalog shows '" + secret + "'");
    }
    assertTrue(text.contains("alpha.a"), "mallory's own schema is there: the queries did run");
  }

  // ---- H2's own functions and statements that need admin rights --------------------------------

  @ParameterizedTest
  @ValueSource(strings = {
      "SELECT FILE_READ('/etc/hostname')",
      "SELECT FILE_WRITE('x', '/tmp/ephemera-hostile-x')",
      "SELECT * FROM CSVREAD('/etc/hostname')",
      "CALL CSVWRITE('/tmp/ephemera-hostile.csv', 'SELECT 1')",
      "CREATE ALIAS run_it FOR 'java.lang.Runtime.getRuntime'",
      "CREATE ALIAS src AS 'String f() { return \"x\"; }'",
      "RUNSCRIPT FROM '/etc/hostname'",
      "SCRIPT TO '/tmp/ephemera-hostile.sql'",
      "BACKUP TO '/tmp/ephemera-hostile.zip'",
      "CREATE LINKED TABLE linked('org.h2.Driver', 'jdbc:h2:mem:x', 'sa', '', 'T')",
      "CREATE TRIGGER trg BEFORE INSERT ON own AS 'org.h2.api.Trigger create() { return null; }'",
      "CREATE TRIGGER trg2 AFTER INSERT ON own CALL 'java.lang.Object'",
      "CALL ABORT_SESSION(1)",
      "CALL CANCEL_SESSION(1)",
      "SET EXCLUSIVE 1",
      "SET CACHE_SIZE 1",
      "SET WRITE_DELAY 0",
      "SET MAX_MEMORY_ROWS 1",
      "SET DEFAULT_LOCK_TIMEOUT 1",
      "SET TRACE_LEVEL_FILE 3",
      "SET MODE MySQL",
      "SET ALLOW_LITERALS NONE",
      "SET DATABASE_EVENT_LISTENER 'java.lang.Object'",
      "SET PASSWORD 'mine'",
      "CREATE USER evil PASSWORD 'x' ADMIN",
      "GRANT ALTER ANY SCHEMA TO PUBLIC",
      "GRANT SELECT ON own TO PUBLIC",
      "REVOKE \"EPH_DB:alpha.a\" FROM PUBLIC",
      "CREATE ROLE r2",
      "DROP ROLE \"EPH_DB:alpha.a\"",
      "CREATE SCHEMA evil",
      "DROP ALIAS CURRENT_SESSION_VAR",
      "SET SCHEMA PUBLIC",
      "SET SCHEMA_SEARCH_PATH PUBLIC",
      "SET QUERY_TIMEOUT 0",
      "SHUTDOWN"})
  void whatNeedsAdminRightsOrBelongsToTheEngineIsRefusedForTenantAndRootAlike(String attack) {
    mallory.execute("CREATE TABLE own (id INT)");
    root.use("alpha", "a");
    for (Session s : List.of(mallory, root)) {
      RuntimeException e = assertThrows(RuntimeException.class, () -> run(s, attack), attack);
      assertTrue(e instanceof AccessDeniedException || e instanceof TransactionException, e.toString());
      assertEquals(1L, s.query("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME = 'OWN'").single());
    }
    assertFalse(Files.exists(Path.of("/tmp/ephemera-hostile-x")));
    assertFalse(Files.exists(Path.of("/tmp/ephemera-hostile.csv")));
    assertFalse(Files.exists(Path.of("/tmp/ephemera-hostile.sql")));
    assertFalse(Files.exists(Path.of("/tmp/ephemera-hostile.zip")));
  }

  @Test
  void noSessionCanChangeTheH2UserItRunsAs() {
    for (Session s : List.of(mallory, root)) {
      s.query("SELECT 1");
      String me = (String) s.query("SELECT CURRENT_USER").single();
      for (String attack : List.of("ALTER USER \"" + me + "\" ADMIN TRUE", "ALTER USER \"" + me + "\" SET PASSWORD 'x'",
          "ALTER USER \"" + me + "\" RENAME TO evil", "DROP USER \"" + me + "\"")) {
        assertThrows(AccessDeniedException.class, () -> s.execute(attack), attack);
      }
      assertThrows(AccessDeniedException.class, () -> s.query("SELECT FILE_READ('/etc/hostname')"), "still no admin");
    }
  }

  @Test
  void evenRootWithFileAccessCannotChangeWhatThePooledUsersMayDo() {
    try (SessionEngine files = SessionEngine.builder().ticker(new FakeTicker()).rootUser("root", "secret")
        .passwordHashIterations(1000).rootFileAccess(true).build()) {
      files.users().create(Credentials.database("alpha", "a", "mallory", "pw"));
      Session m = files.open();
      m.signIn(Credentials.database("alpha", "a", "mallory", "pw"));
      m.execute("CREATE TABLE mine (id INT)");
      String pooled = (String) m.query("SELECT CURRENT_USER").single();
      m.close(); // its H2 user goes back to the pool
      Session r = files.open();
      r.signIn(Credentials.root("root", "secret"));
      r.use("alpha", "a");
      for (String attack : List.of("REVOKE \"EPH_DB:alpha.a\" FROM \"" + pooled + "\"",
          "GRANT ALTER ANY SCHEMA TO PUBLIC", "DROP ROLE \"EPH_DB:alpha.a\"", "ALTER USER \"" + pooled + "\" ADMIN TRUE",
          "ALTER USER \"" + pooled + "\" SET PASSWORD 'x'", "DROP SCHEMA \"alpha.a\" CASCADE")) {
        assertThrows(AccessDeniedException.class, () -> r.execute(attack), attack);
      }
      Session next = files.open(); // leases the pooled user
      next.signIn(Credentials.database("alpha", "a", "mallory", "pw"));
      assertEquals(0L, next.query("SELECT COUNT(*) FROM mine").single(), "the next lessee works as before");
      assertThrows(AccessDeniedException.class, () -> next.query("SELECT FILE_READ('/etc/hostname')"));
    }
  }

  @Test
  void linkSchemaAndJavaMethodsByNameDoNotExist() {
    for (String attack : List.of("SELECT LINK_SCHEMA('x', '', 'jdbc:h2:mem:x', 'sa', '', 'PUBLIC')",
        "CALL \"java.lang.System.getProperty\"('user.home')")) {
      SqlException e = assertThrows(SqlException.class, () -> mallory.query(attack), attack);
      assertEquals(90022, e.errorCode(), e.getMessage()); // function not found
    }
  }

  @Test
  void noSessionOfAnotherDatabaseIsVisibleOrCancellable() {
    List<Object> ids = new ArrayList<>();
    for (List<Object> row : mallory.query("SELECT SESSION_ID FROM INFORMATION_SCHEMA.SESSIONS").rows()) {
      ids.add(row.get(0));
    }
    assertEquals(1, ids.size(), "only its own H2 session: " + ids);
    for (int id = 0; id < 8; id++) {
      int target = id;
      assertThrows(AccessDeniedException.class, () -> mallory.query("CALL CANCEL_SESSION(" + target + ")"));
    }
  }
}
