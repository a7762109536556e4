package dev.ephemera.sql;

import static org.junit.jupiter.api.Assertions.*;

import dev.ephemera.Change;
import dev.ephemera.Credentials;
import dev.ephemera.QueryResult;
import dev.ephemera.Session;
import dev.ephemera.SessionEngine;
import dev.ephemera.SessionState;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.sql.SQLSyntaxErrorException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every statement of the dialect through {@link SessionSql}, and what bad input gets. */
class SessionSqlTest {
  final SessionEngine engine = SessionEngine.builder().rootUser("root", "secret").passwordHashIterations(1000).build();
  Session s;
  SessionSql sql;

  @BeforeEach
  void open() {
    s = engine.open();
    sql = SessionSql.of(s);
  }

  @AfterEach
  void close() {
    engine.close();
  }

  /** Signs {@code s} in as root in database shop/main: shared tables need rights on a database's schema. */
  private void asRoot() {
    s.signIn(dev.ephemera.Credentials.root("root", "secret"));
    s.use("shop", "main");
  }

  private SqlResult run(String text, Object... params) throws SQLException {
    return sql.execute(text, params);
  }

  private static SQLException fails(String state, Executable e) {
    SQLException x = assertThrows(SQLException.class, e::run);
    assertEquals(state, x.getSQLState(), () -> "SQLState of: " + x.getMessage());
    return x;
  }

  @FunctionalInterface
  interface Executable {
    void run() throws Exception;
  }

  // ---- variables ------------------------------------------------------------------------------

  @Test
  void setSessionStoresTypedValuesFromLiteralsParametersAndExpressions() throws SQLException {
    run("SET SESSION tenant_id = 'tenant_123'");
    run("set session n = 42");
    run("SET SESSION neg = -7");
    run("SET SESSION price = 12.50");
    run("SET SESSION ratio = 1.5e0");
    run("SET SESSION flag = TRUE");
    run("SET SESSION p = ?", 7);
    run("SET SESSION sum = 1 + ? * 2", 20);
    run("SET SESSION up = UPPER('abc' || ?)", "d");
    run("SET SESSION at = TIMESTAMP WITH TIME ZONE '2026-11-24 10:00:00Z'");
    run("SET SESSION nothing = NULL");
    assertEquals("tenant_123", s.get("tenant_id"));
    assertEquals(42L, s.get("n"));
    assertEquals(-7L, s.get("neg"));
    assertEquals(new BigDecimal("12.50"), s.get("price"));
    assertEquals(1.5, s.get("ratio"));
    assertEquals(true, s.get("flag"));
    assertEquals(7L, s.get("p"));
    assertEquals(41L, s.get("sum"));
    assertEquals("ABCD", s.get("up"));
    assertEquals(Instant.parse("2026-11-24T10:00:00Z"), s.get("at"));
    assertTrue(s.variables().containsKey("nothing"));
    assertNull(s.get("nothing"));
  }

  @Test
  void setSessionWithBracesSetsSeveralAtomically() throws SQLException {
    run("SET SESSION { a: 1, b: 'two', c: ? }", List.of(1, 2));
    assertEquals(Map.of("a", 1L, "b", "two", "c", List.of(1L, 2L)), s.variables());
    // the third value is refused by the engine: none of them changes
    SQLException e = fails("22023", () -> run("SET SESSION { a: 10, d: 'new', e: ? }", new Object()));
    assertTrue(e.getMessage().contains("e"), e.getMessage());
    assertEquals(Map.of("a", 1L, "b", "two", "c", List.of(1L, 2L)), s.variables());
    fails("42701", () -> run("SET SESSION { a: 1, a: 2 }"));
    fails("42601", () -> run("SET SESSION { }"));
    fails("42601", () -> run("SET SESSION { a: 1, }"));
    fails("42601", () -> run("SET SESSION { a 1 }"));
  }

  @Test
  void letIsAnAliasOfSetSession() throws SQLException {
    run("LET $greeting = 'hello'");
    run("LET $count = ?", 3);
    assertEquals("hello", s.get("greeting"));
    assertEquals(3L, s.get("count"));
  }

  @Test
  void resetAndShowSessionVariables() throws SQLException {
    run("SET SESSION { b: 'x', a: 2, t: TIMESTAMP WITH TIME ZONE '2026-01-02 03:04:05Z', l: ? }", List.of("q", 1));
    QueryResult r = run("SHOW SESSION VARIABLES").rows();
    assertEquals(List.of("NAME", "TYPE", "VALUE", "SETTING"), r.columns());
    assertEquals(List.of(
        List.of("a", "BIGINT", "2", false),
        List.of("b", "VARCHAR", "x", false),
        List.of("l", "ARRAY", "[\"q\", 1]", false),
        List.of("t", "TIMESTAMP WITH TIME ZONE", "2026-01-02T03:04:05Z", false)), r.rows());
    assertEquals(1, run("RESET SESSION a").updateCount());
    assertEquals(0, run("RESET SESSION a").updateCount());
    assertFalse(s.variables().containsKey("a"));
    run("RESET SESSION ALL");
    assertTrue(s.variables().isEmpty());
    assertEquals(0, run("SHOW SESSION VARIABLES").rows().size());
  }

  @Test
  void badVariableNamesAndValuesAreRefusedWithoutChange() throws SQLException {
    run("SET SESSION keep = 1");
    fails("42602", () -> run("SET SESSION \"bad name\" = 1"));
    fails("42602", () -> run("SET SESSION \"x'; DROP TABLE t; --\" = 1"));
    fails("42601", () -> run("SET SESSION = 1"));
    fails("42601", () -> run("SET SESSION x 1"));
    fails("42601", () -> run("SET SESSION x = "));
    fails("42601", () -> run("SET SESSION x = 1) FROM DUAL WHERE (1"));
    fails("42601", () -> run("SET SESSION x = (1"));
    fails("42601", () -> run("SET SESSION x = 'open"));
    fails("07001", () -> run("SET SESSION x = ?"));
    fails("22023", () -> run("SET SESSION x = CURRENT_DATE"));
    // an expression H2 refuses: H2's own error
    SQLException h2 = assertThrows(SQLException.class, () -> run("SET SESSION x = no_such_column"));
    assertEquals("42S22", h2.getSQLState(), h2.getMessage());
    assertEquals(Map.of("keep", 1L), s.variables());
  }

  @Test
  void malformedStatementsNameThePosition() {
    SQLSyntaxErrorException e = assertThrows(SQLSyntaxErrorException.class,
        () -> run("SET SESSION x = 1 2; PING"));
    assertEquals("42601", e.getSQLState());
    assertTrue(e.getMessage().contains("position"), e.getMessage());
    SQLSyntaxErrorException multi = assertThrows(SQLSyntaxErrorException.class, () -> run("PING extra"));
    assertTrue(multi.getMessage().contains("position 6"), multi.getMessage());
    SQLSyntaxErrorException lines = assertThrows(SQLSyntaxErrorException.class,
        () -> run("SAVEPOINT\n  123"));
    assertTrue(lines.getMessage().contains("line 2, column 3"), lines.getMessage());
  }

  // ---- transactions ---------------------------------------------------------------------------

  @Test
  void transactionStatementsRollBackRowsVariablesAndGraphsTogether() throws SQLException {
    run("CREATE TEMPORARY TABLE people (name VARCHAR PRIMARY KEY)");
    run("CREATE TEMPORARY GRAPH g");
    run("SET SESSION step = 1");
    run("BEGIN");
    run("INSERT INTO people VALUES ('Bob')");
    run("INSERT INTO GRAPH g EDGES SELECT 'a', 'b'");
    run("SAVEPOINT after_bob");
    run("INSERT INTO people VALUES ('Eve')");
    run("INSERT INTO GRAPH g EDGES SELECT 'b', 'c'");
    run("SET SESSION step = 2");
    run("ROLLBACK TO SAVEPOINT after_bob");
    assertEquals(1L, run("SELECT COUNT(*) FROM people").rows().single());
    assertEquals(1L, s.get("step"));
    assertEquals(1, s.tempGraph("g").edgeCount());
    run("SAVEPOINT sp");
    run("SET SESSION step = 3");
    run("RELEASE SAVEPOINT sp");
    run("COMMIT");
    assertNull(s.transaction());
    assertEquals(3L, s.get("step"));

    run("START TRANSACTION");
    run("DELETE FROM people");
    run("SET SESSION step = 4");
    run("ROLLBACK");
    assertEquals(1L, run("SELECT COUNT(*) FROM people").rows().single());
    assertEquals(3L, s.get("step"));

    run("BEGIN WORK");
    run("SAVEPOINT x");
    run("ROLLBACK TO x");
    run("RELEASE x");
    run("COMMIT WORK");
  }

  @Test
  void transactionMisuseGetsTransactionStates() throws SQLException {
    fails("25P01", () -> run("COMMIT"));
    fails("25P01", () -> run("ROLLBACK"));
    fails("25P01", () -> run("SAVEPOINT a"));
    fails("25P01", () -> run("ROLLBACK TO SAVEPOINT a"));
    run("BEGIN");
    fails("25000", () -> run("BEGIN"));
    fails("3B001", () -> run("ROLLBACK TO SAVEPOINT nope"));
    fails("3B001", () -> run("RELEASE SAVEPOINT nope"));
    assertNotNull(s.transaction());
    run("ROLLBACK");
    // H2's own transaction control stays refused: the session's transaction is the only one
    fails("25000", () -> run("SET AUTOCOMMIT FALSE"));
  }

  // ---- temporary tables -----------------------------------------------------------------------

  @Test
  void temporaryTablesAreTheSessionsOwn() throws SQLException {
    run("CREATE TEMPORARY TABLE scratch (k VARCHAR PRIMARY KEY, v INT)");
    run("CREATE TEMP TABLE per_tx (k INT) ON COMMIT DELETE ROWS");
    run("CREATE TEMPORARY TABLE IF NOT EXISTS scratch (other INT)");
    assertEquals(List.of("PER_TX", "SCRATCH"), s.tempTables());
    assertEquals(List.of(List.of("PER_TX"), List.of("SCRATCH")), run("SHOW TEMPORARY TABLES").rows().rows());
    assertEquals(1, run("INSERT INTO scratch VALUES (?, ?)", "a", 1).updateCount());

    Session other = engine.open();
    SQLException invisible = assertThrows(SQLException.class,
        () -> SessionSql.execute(other, "SELECT * FROM scratch"));
    assertTableNotFound(invisible);

    run("BEGIN");
    run("INSERT INTO per_tx VALUES (1)");
    run("COMMIT");
    assertEquals(0L, run("SELECT COUNT(*) FROM per_tx").rows().single());

    run("DROP TABLE scratch");
    run("DROP TABLE IF EXISTS per_tx;");
    assertEquals(List.of(), s.tempTables());
    // not a temp table of the session: H2's DROP TABLE, with H2's error
    assertTableNotFound(assertThrows(SQLException.class, () -> run("DROP TABLE scratch")));
  }

  @Test
  void dropTableOfASharedTableGoesToH2() throws SQLException {
    asRoot();
    run("CREATE TABLE shared_t (id INT)");
    run("DROP TABLE shared_t");
    assertTableNotFound(assertThrows(SQLException.class, () -> run("SELECT * FROM shared_t")));
  }

  /** H2's "table not found" (42S02, or 42S04 when the schema has no tables at all). */
  static void assertTableNotFound(SQLException e) {
    assertTrue(e.getSQLState().equals("42S02") || e.getSQLState().equals("42S04"), e.getSQLState() + ": " + e);
  }

  @Test
  void badTemporaryTablesAreRefused() throws SQLException {
    fails("42602", () -> run("CREATE TEMPORARY TABLE \"x; DROP\" (a INT)"));
    fails("42601", () -> run("CREATE TEMPORARY TABLE t"));
    fails("42601", () -> run("CREATE TEMPORARY TABLE t ()"));
    fails("42601", () -> run("CREATE TEMPORARY TABLE t (a INT"));
    fails("42601", () -> run("CREATE TEMPORARY TABLE t (a INT); DROP TABLE x"));
    fails("42601", () -> run("CREATE TEMPORARY TABLE t (a INT) ON COMMIT"));
    fails("42601", () -> run("CREATE TEMPORARY TABLE t AS SELECT 1"));
    fails("42601", () -> run("CREATE TEMPORARY VIEW v AS SELECT 1"));
    assertEquals(List.of(), s.tempTables());
  }

  // ---- graphs ---------------------------------------------------------------------------------

  @Test
  void graphStatements() throws SQLException {
    run("CREATE TEMPORARY TABLE follows (a VARCHAR, b VARCHAR, kind VARCHAR)");
    run("INSERT INTO follows VALUES ('alice', 'bob', 'KNOWS'), ('bob', 'carol', 'KNOWS'), ('alice', 'dave', 'LIKES')");
    run("CREATE TEMPORARY GRAPH social");
    run("CREATE TEMPORARY GRAPH IF NOT EXISTS social");
    assertEquals(3, run("INSERT INTO GRAPH social EDGES SELECT a, b, kind FROM follows").updateCount());
    assertEquals(1, run("INSERT INTO GRAPH social EDGES SELECT a, b FROM follows WHERE kind = ?", "LIKES")
        .updateCount());
    assertEquals(2, run("INSERT INTO GRAPH social NODES SELECT a, 'PERSON' FROM follows WHERE kind = 'KNOWS'")
        .updateCount());
    assertEquals(1, run("INSERT INTO GRAPH social NODES SELECT 'erin';").updateCount());
    assertEquals(4, s.tempGraph("social").edgeCount());
    assertEquals(5, s.tempGraph("social").nodeCount());
    assertEquals(List.of("alice", "bob"), s.tempGraph("social").nodesWithLabel("PERSON").stream().sorted().toList());
    assertEquals(List.of(List.of("SOCIAL", 5L, 4L)), run("SHOW GRAPHS").rows().rows());
    run("DROP GRAPH social");
    run("DROP GRAPH IF EXISTS social");
    assertEquals(List.of(), s.tempGraphs());
    fails("42704", () -> run("DROP GRAPH social"));
    fails("42704", () -> run("INSERT INTO GRAPH social EDGES SELECT 'a', 'b'"));
  }

  @Test
  void badGraphLoadsChangeNothing() throws SQLException {
    run("CREATE TEMPORARY GRAPH g");
    run("INSERT INTO GRAPH g EDGES SELECT 'a', 'b'");
    fails("22023", () -> run("INSERT INTO GRAPH g EDGES SELECT 'x', NULL"));
    fails("22023", () -> run("INSERT INTO GRAPH g NODES SELECT X FROM (VALUES ('ok'), (NULL)) T(X)"));
    fails("22023", () -> run("INSERT INTO GRAPH g NODES SELECT 'n', ''"));
    fails("22023", () -> run("INSERT INTO GRAPH g NODES SELECT 1, 2, 3"));
    fails("42601", () -> run("INSERT INTO GRAPH g EDGES"));
    fails("42601", () -> run("INSERT INTO GRAPH g EDGES SELECT 1; DROP TABLE x"));
    fails("42602", () -> run("CREATE TEMPORARY GRAPH \"no good\""));
    assertEquals(2, s.tempGraph("g").nodeCount());
    assertEquals(1, s.tempGraph("g").edgeCount());
  }

  @Test
  void insertIntoATableNamedGraphStaysH2s() throws SQLException {
    run("CREATE TEMPORARY TABLE graph (a INT)");
    assertEquals(1, run("INSERT INTO graph VALUES (1)").updateCount());
    assertEquals(1, run("INSERT INTO GRAPH (a) VALUES (2)").updateCount());
    assertEquals(2L, run("SELECT COUNT(*) FROM graph").rows().single());
  }

  // ---- session --------------------------------------------------------------------------------

  @Test
  void pingShowSessionAndUse() throws SQLException {
    assertEquals("PONG", run("PING").rows().single());
    assertEquals("PONG", run("ping;").rows().single());
    s.signIn(Credentials.root("root", "secret"));
    run("USE NAMESPACE acme DATABASE sales");
    QueryResult r = run("SHOW SESSION").rows();
    assertEquals(List.of("ID", "USER", "AUTH_LEVEL", "NAMESPACE", "DATABASE", "CREATED", "LAST_ACTIVE", "PRIORITY",
        "GRAPH"), r.columns());
    assertNull(r.value(0, "GRAPH"), "no graph selected");
    assertEquals(s.id(), r.value(0, "ID"));
    assertEquals("root", r.value(0, "USER"));
    assertEquals("acme", r.value(0, "NAMESPACE"));
    assertEquals("sales", r.value(0, "DATABASE"));
    for (Object v : r.rows().get(0)) {
      assertNotEquals(s.token(), String.valueOf(v));
      assertFalse(String.valueOf(v).contains(s.token()));
    }
    fails("42601", () -> run("USE NAMESPACE acme"));
    fails("42602", () -> run("USE NAMESPACE \"a b\" DATABASE c"));
  }

  @Test
  void administrationIsForRootOnly() throws SQLException {
    Session victim = engine.open();
    fails("42501", () -> run("SHOW SESSIONS"));
    fails("42501", () -> run("KILL SESSION ?", victim.id()));
    assertEquals(SessionState.ACTIVE, victim.state());

    engine.users().create(Credentials.database("acme", "sales", "bob", "pw"));
    victim.signIn(Credentials.database("acme", "sales", "bob", "pw"));
    s.signIn(Credentials.root("root", "secret"));
    QueryResult all = run("SHOW SESSIONS").rows();
    assertEquals(2, all.size());
    QueryResult bobs = run("SHOW SESSIONS WHERE user = 'bob'").rows();
    assertEquals(List.of(victim.id()), bobs.rows().stream().map(row -> row.get(0)).toList());
    assertEquals(0, run("SHOW SESSIONS WHERE USER = ? AND IDLE > 30 MINUTES", "bob").rows().size());
    assertEquals(0, run("SHOW SESSIONS WHERE IDLE > '2h'").rows().size());
    assertEquals(2, run("SHOW SESSIONS WHERE IDLE > ?", "0s").rows().size());
    fails("42601", () -> run("SHOW SESSIONS WHERE IDLE > 30 parsecs"));
    fails("42601", () -> run("SHOW SESSIONS WHERE token = 'x'"));

    assertEquals(1, run("KILL SESSION ?", victim.id()).updateCount());
    assertEquals(SessionState.KILLED, victim.state());
    fails("42704", () -> run("KILL SESSION 'sess_AAAAAAAAAAAAAAAA'"));
    fails("42602", () -> run("KILL SESSION 'not an id'")); // an invalid identifier, like a bad name
    fails("42601", () -> run("KILL SESSION sess_unquoted"));
    fails("22023", () -> run("KILL SESSION ?", 42));
  }

  // ---- live queries ---------------------------------------------------------------------------

  @Test
  void liveSelectDeliversToListenersUntilKilled() throws SQLException {
    run("CREATE TEMPORARY TABLE events (id INT, what VARCHAR)");
    fails("55000", () -> run("LIVE SELECT * FROM events"));
    List<String> seen = new ArrayList<>();
    sql.addLiveListener((id, change) -> seen.add(id + ":" + change.kind() + ":" + change.after().get("WHAT")));
    String id = (String) run("LIVE SELECT * FROM events").rows().single();
    run("INSERT INTO events VALUES (1, 'first')");
    assertEquals(List.of(id + ":" + Change.Kind.INSERT + ":first"), seen);
    assertEquals(1, run("KILL LIVE ?", id).updateCount());
    run("INSERT INTO events VALUES (2, 'second')");
    assertEquals(1, seen.size());
    fails("42704", () -> run("KILL LIVE ?", id));
    fails("42601", () -> run("LIVE SELECT id FROM events"));
  }

  // ---- pass-through ---------------------------------------------------------------------------

  @Test
  void otherStatementsGoToH2Untouched() throws SQLException {
    assertEquals(List.of(List.of(3)), run("SELECT 1 + 2").rows().rows());
    assertEquals("SET SESSION x = 1", run("SELECT 'SET SESSION x = 1'").rows().single());
    assertEquals(2, run("SELECT /* PING */ 2 -- SHOW SESSION").rows().single());
    run("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL READ COMMITTED");
    assertFalse(s.variables().containsKey("CHARACTERISTICS"));
    assertTrue(run("SHOW TABLES").isQuery());
    fails("42601", () -> run(null));
  }
}
