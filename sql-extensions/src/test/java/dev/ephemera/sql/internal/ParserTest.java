package dev.ephemera.sql.internal;

import static org.junit.jupiter.api.Assertions.*;

import dev.ephemera.OnCommit;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.sql.SQLSyntaxErrorException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** What the parser routes where: never a statement of H2's to the dialect, never one of ours to H2. */
class ParserTest {
  @ParameterizedTest
  @ValueSource(strings = {
      "SELECT 1", "select * from t where x = 'SET SESSION a = 1'", "  -- PING\n SELECT 2", "/* BEGIN */ SELECT 3",
      "INSERT INTO t VALUES (1)", "INSERT INTO graph VALUES (1)", "INSERT INTO GRAPH (a) VALUES (1)",
      "INSERT INTO GRAPH g VALUES (1)", "UPDATE t SET x = 1", "SET SCHEMA PUBLIC", "SET @x = 1",
      "SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL SERIALIZABLE", "SHOW TABLES", "SHOW SCHEMAS",
      "SHOW COLUMNS FROM t", "CREATE TABLE t (a INT)", "CREATE LOCAL TEMPORARY TABLE t (a INT)",
      "CREATE GLOBAL TEMPORARY TABLE t (a INT)", "CREATE VIEW v AS SELECT 1", "DROP TABLE a, b",
      "DROP TABLE t CASCADE", "DROP VIEW v", "DROP TABLE IF EXISTS", "USE PUBLIC", "COMMIT TRANSACTION tx1",
      "ROLLBACK TRANSACTION tx1", "START SOMETHING", "CALL 1", "WITH x AS (SELECT 1) SELECT * FROM x", "",
      "   ", ";", "(SELECT 1)", "'just a string'", "\"quoted\"", "EXPLAIN SELECT 1", "MERGE INTO t KEY (a) VALUES (1)",
      // look-alikes of graph statements that are SQL
      "CREATE TABLE match (a INT)", "CREATE VIEW v AS SELECT 1", "CREATE INDEX i ON t (a)", "create table t(a int)",
      "WITH x(a) AS (SELECT 1) SELECT a FROM x", "with x as (select 1) select * from x",
      "WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n < 3) SELECT * FROM t",
      "WITH \"q\" AS (SELECT 1) SELECT * FROM \"q\"", "WITH a AS (SELECT 1), b AS (SELECT 2) SELECT * FROM a, b",
      "WITH x AS MATERIALIZED (SELECT 1) SELECT * FROM x", "EXPLAIN ANALYZE SELECT 1", "EXPLAIN PLAN FOR SELECT 1",
      "explain select * from t", "EXPLAIN EXPLAIN MATCH (n) RETURN n", "MERGE INTO t USING s ON (t.a = s.a) WHEN MATCHED THEN DELETE",
      "INSERT INTO t SELECT * FROM s", "INSERT INTO t (a) VALUES (1)", "INSERT INTO s.t VALUES (1)",
      "INSERT INTO t DEFAULT VALUES", "USE GRAPH", "USE GRAPH;", "OPTIONAL SELECT", "PROFILE SELECT 1"
  })
  void statementsOfH2PassThrough(String sql) throws SQLException {
    assertSame(Stmt.PassThrough.INSTANCE, Parser.parse(sql), sql);
  }

  @Test
  void statementsOfTheDialectParseIntoTheirParts() throws SQLException {
    assertEquals(new Stmt.SetVars(List.of(new Stmt.Assign("x", new Stmt.Literal(1L)))),
        Parser.parse("set session x = 1"));
    assertEquals(new Stmt.SetVars(List.of(new Stmt.Assign("MixedCase", new Stmt.Literal("it's")))),
        Parser.parse("SET SESSION MixedCase TO 'it''s';"));
    assertEquals(new Stmt.SetVars(List.of(
            new Stmt.Assign("a", new Stmt.Param(0)),
            new Stmt.Assign("b", new Stmt.SqlExpr("? + LENGTH('x, }')", 1, 1)),
            new Stmt.Assign("c", new Stmt.Literal(new BigDecimal("-2.5"))),
            new Stmt.Assign("d", new Stmt.SqlExpr("(SELECT MAX(v) FROM t WHERE k IN (1, ?))", 2, 1)))),
        Parser.parse("SET SESSION { a: ?, b: ? + LENGTH('x, }'), c: -2.5, d: (SELECT MAX(v) FROM t WHERE k IN (1, ?)) }"));
    assertEquals(new Stmt.SetVars(List.of(new Stmt.Assign("v", new Stmt.Literal(null)))), Parser.parse("LET $v = NULL"));
    assertEquals(new Stmt.ResetVar("a"), Parser.parse("RESET SESSION a"));
    assertEquals(new Stmt.ResetAll(), Parser.parse("reset session all"));
    assertEquals(new Stmt.ShowVars(), Parser.parse("SHOW SESSION VARIABLES"));
    assertEquals(new Stmt.ShowSession(), Parser.parse("SHOW SESSION"));
    assertEquals(new Stmt.Begin(), Parser.parse("BEGIN TRANSACTION"));
    assertEquals(new Stmt.Begin(), Parser.parse("START TRANSACTION"));
    assertEquals(new Stmt.Commit(), Parser.parse("COMMIT"));
    assertEquals(new Stmt.Rollback(), Parser.parse("ROLLBACK WORK"));
    assertEquals(new Stmt.RollbackTo("sp"), Parser.parse("ROLLBACK WORK TO SAVEPOINT sp"));
    assertEquals(new Stmt.SavepointStmt("sp"), Parser.parse("SAVEPOINT sp"));
    assertEquals(new Stmt.Release("sp"), Parser.parse("RELEASE sp"));
    assertEquals(new Stmt.CreateTempTable("t", "a INT, b VARCHAR(10) DEFAULT ')'", OnCommit.DROP, false),
        Parser.parse("CREATE TEMPORARY TABLE t (a INT, b VARCHAR(10) DEFAULT ')') ON COMMIT DROP"));
    assertEquals(new Stmt.CreateTempTable("t", "a INT", OnCommit.PRESERVE_ROWS, true),
        Parser.parse("CREATE TEMP TABLE IF NOT EXISTS t (a INT)"));
    assertEquals(new Stmt.DropTable("t", true), Parser.parse("DROP TABLE IF EXISTS t"));
    assertEquals(new Stmt.ShowTempTables(), Parser.parse("SHOW TEMP TABLES"));
    assertEquals(new Stmt.CreateGraph("g", false), Parser.parse("CREATE TEMPORARY GRAPH g"));
    assertEquals(new Stmt.DropGraph("g", true), Parser.parse("DROP GRAPH IF EXISTS g"));
    assertEquals(new Stmt.ShowGraphs(), Parser.parse("SHOW GRAPHS"));
    assertEquals(new Stmt.InsertGraph("g", true, "SELECT a, b FROM t WHERE c = ?", 0, 1),
        Parser.parse("INSERT INTO GRAPH g EDGES SELECT a, b FROM t WHERE c = ?;"));
    assertEquals(new Stmt.InsertGraph("g", false, "SELECT k, '?' FROM t", 0, 0),
        Parser.parse("INSERT INTO GRAPH g NODES SELECT k, '?' FROM t"));
    assertEquals(new Stmt.Ping(), Parser.parse("PING"));
    assertEquals(new Stmt.Use("ns", "db"), Parser.parse("USE NAMESPACE ns DATABASE db"));
    assertEquals(new Stmt.ShowSessions(null, null), Parser.parse("SHOW SESSIONS"));
    assertEquals(new Stmt.ShowSessions(new Stmt.Literal("bob"), new Stmt.Literal(Duration.ofMinutes(30))),
        Parser.parse("SHOW SESSIONS WHERE USER = 'bob' AND IDLE > 30 MINUTES"));
    assertEquals(new Stmt.ShowSessions(null, new Stmt.Param(0)), Parser.parse("SHOW SESSIONS WHERE IDLE > ?"));
    assertEquals(new Stmt.KillSession(new Stmt.Literal("sess_x")), Parser.parse("KILL SESSION 'sess_x'"));
    assertEquals(new Stmt.LiveSelect("events"), Parser.parse("LIVE SELECT * FROM events"));
    assertEquals(new Stmt.KillLive(new Stmt.Param(0)), Parser.parse("KILL LIVE ?"));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "SET SESSION", "SET SESSION x", "SET SESSION x =", "SET SESSION { x: 1",
      "SET SESSION x = (1", "SET SESSION x = 1)", "SET SESSION x = 'unclosed", "SET SESSION x = 1; DROP TABLE t",
      "SET SESSION \"unclosed = 1", "LET", "LET $x", "RESET SESSION", "SHOW SESSION nonsense", "SHOW TEMPORARY",
      "BEGIN nonsense", "COMMIT 1", "ROLLBACK TO", "SAVEPOINT", "RELEASE SAVEPOINT", "CREATE TEMPORARY",
      "CREATE TEMPORARY TABLE", "CREATE TEMPORARY TABLE t (", "CREATE TEMPORARY TABLE t (a INT) ON COMMIT NOTHING",
      "CREATE TEMPORARY TABLE t (a ?)", "CREATE TEMPORARY GRAPH", "DROP GRAPH", "DROP GRAPH IF g",
      "INSERT INTO GRAPH g EDGES", "INSERT INTO GRAPH g EDGES SELECT 1; SELECT 2", "PING PONG", "USE NAMESPACE",
      "USE NAMESPACE a", "USE NAMESPACE a DATABASE", "KILL", "KILL SESSION", "KILL SESSION x", "KILL LIVE 1",
      "LIVE", "LIVE SELECT a FROM t", "LIVE SELECT * t", "SHOW SESSIONS WHERE", "SHOW SESSIONS WHERE USER 'x'",
      "SHOW SESSIONS WHERE IDLE > 'soon'", "SHOW SESSIONS WHERE IDLE > 5", "SET SESSION x = /* open",
      "SET SESSION x = $$ open", "USE GRAPH 1", "USE GRAPH g h"
  })
  void malformedStatementsOfTheDialectFailWithAPosition(String sql) {
    SQLSyntaxErrorException e = assertThrows(SQLSyntaxErrorException.class, () -> Parser.parse(sql), sql);
    assertEquals("42601", e.getSQLState());
    assertTrue(e.getMessage().startsWith("syntax error at "), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "MATCH (p:Person) RETURN p", "match (n) return n", "OPTIONAL MATCH (n) RETURN n", "CREATE (:Person {name: 'Bob'})",
      "create (a)-[:KNOWS]->(b)", "CREATE p = (a)-[:R]->(b) RETURN p", "MERGE (p:Person {name: 'Bob'})",
      "MERGE p = (a)-[:R]->(b)", "EXPLAIN MATCH (n) RETURN n", "PROFILE MATCH (n) RETURN n", "EXPLAIN CREATE (n)",
      "profile optional match (n) return n",
      "MATCH (p:Person)\nWHERE p.tenant_id = current_session_var('tenant_id')\nRETURN p"
  })
  void graphStatementsThatNeedAGraph(String sql) throws SQLException {
    assertEquals(new Stmt.GraphQuery(sql, true), Parser.parse(sql), sql);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "RETURN 1 AS ok", "return current_tenant_id() AS tenant_id", "UNWIND [1, 2] AS x RETURN x",
      "WITH 1 AS x RETURN x", "WITH x AS y RETURN y", "WITH toUpper('a') AS u RETURN u", "WITH $1 AS p RETURN p",
      "WITH [1, 2] AS l UNWIND l AS x RETURN x", "WITH {a: 1} AS m RETURN m.a", "WITH 'it\\'s' AS s RETURN s",
      "WITH f('a\\'b') AS s RETURN s", "WITH \"x\" AS s RETURN s", "WITH recursive AS r RETURN r",
      "WITH a, b MATCH (a)-->(b) RETURN a", "EXPLAIN RETURN 1", "PROFILE UNWIND [1] AS x RETURN x",
      "RETURN 'a\\'b' AS s", "RETURN 1 // a comment"
  })
  void graphStatementsThatMayRunWithoutAGraph(String sql) throws SQLException {
    assertEquals(new Stmt.GraphQuery(sql, false), Parser.parse(sql), sql);
  }

  @Test
  void aGraphStatementKeepsItsTextAsWrittenFromItsFirstKeyword() throws SQLException {
    assertEquals(new Stmt.GraphQuery("MATCH (p:Person {name: 'O\\'Brien'}) RETURN p.Name", true),
        Parser.parse("  -- find him\n /* and */ MATCH (p:Person {name: 'O\\'Brien'}) RETURN p.Name ;  "));
    assertEquals(new Stmt.GraphQuery("RETURN $1 AS x", false), Parser.parse("RETURN $1 AS x;"));
  }

  @Test
  void useGraphAndInsertIntoAGraphFromAGraphQuery() throws SQLException {
    assertEquals(new Stmt.UseGraph("analysis_graph"), Parser.parse("USE GRAPH analysis_graph;"));
    assertEquals(new Stmt.UseGraph("g"), Parser.parse("use graph \"g\""));
    assertEquals(new Stmt.InsertFromGraph("analysis_graph", "MATCH (p:Person)-[:KNOWS]->(f:Person)\nRETURN p, f"),
        Parser.parse("INSERT INTO analysis_graph\nMATCH (p:Person)-[:KNOWS]->(f:Person)\nRETURN p, f;"));
    assertEquals(new Stmt.InsertFromGraph("g", "optional match (p) return p"),
        Parser.parse("insert into g optional match (p) return p"));
    assertEquals(new Stmt.InsertFromGraph("graph", "MATCH (p) RETURN p"), Parser.parse("INSERT INTO graph MATCH (p) RETURN p"));
    assertEquals(new Stmt.InsertGraph("match", true, "SELECT 1, 2", 0, 0),
        Parser.parse("INSERT INTO GRAPH match EDGES SELECT 1, 2"));
  }

  @Test
  void aQuotedKeywordIsANameNotAKeyword() throws SQLException {
    assertSame(Stmt.PassThrough.INSTANCE, Parser.parse("\"SET\" SESSION x = 1"));
    assertEquals(new Stmt.SetVars(List.of(new Stmt.Assign("ALL", new Stmt.Literal(1L)))),
        Parser.parse("SET SESSION \"ALL\" = 1"));
    assertEquals(new Stmt.ResetVar("ALL"), Parser.parse("RESET SESSION \"ALL\""));
  }
}
