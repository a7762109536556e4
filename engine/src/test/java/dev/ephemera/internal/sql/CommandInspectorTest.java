package dev.ephemera.internal.sql;

import dev.ephemera.internal.sql.CommandInspector.Inspection;
import dev.ephemera.internal.sql.CommandInspector.Shape;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.h2.command.CommandInterface;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.*;

/**
 * H2 command inspection on its own, against a plain H2 connection: what the engine's SQL side
 * decides its policy on (one statement, transaction control, DDL that commits, SET SCHEMA, the
 * table of a one-row INSERT), read from H2's parser before anything runs.
 */
class CommandInspectorTest {
  private Connection c;
  private SessionLocal h2;

  @BeforeEach
  void open() throws SQLException {
    c = DriverManager.getConnection("jdbc:h2:mem:inspector-" + System.nanoTime());
    h2 = (SessionLocal) c.unwrap(JdbcConnection.class).getSession();
    try (Statement st = c.createStatement()) {
      st.execute("CREATE TABLE t (a INT, b VARCHAR)");
      st.execute("CREATE SCHEMA other");
    }
  }

  @AfterEach
  void close() throws SQLException {
    c.close();
  }

  @Test
  void aTextH2CannotParseIsUnparsedAndChangesNothing() {
    Inspection i = CommandInspector.inspect(h2, "SELEC nonsense FROM");
    assertEquals(Shape.UNPARSED, i.shape());
    assertEquals(-1, i.type());
    assertFalse(i.transactional());
  }

  @Test
  void twoStatementsInOneTextAreSeveral() {
    assertEquals(Shape.SEVERAL, CommandInspector.inspect(h2, "SELECT 1; SELECT 2").shape());
    assertEquals(Shape.ONE, CommandInspector.inspect(h2, "SELECT 1").shape());
  }

  @Test
  void commandTypesAreH2s() {
    assertEquals(CommandInterface.COMMIT, CommandInspector.inspect(h2, "COMMIT").type());
    assertEquals(CommandInterface.SAVEPOINT, CommandInspector.inspect(h2, "SAVEPOINT x").type());
    assertEquals(CommandInterface.SHUTDOWN, CommandInspector.inspect(h2, "SHUTDOWN").type());
    assertEquals(CommandInterface.ALTER_USER_SET_PASSWORD, CommandInspector.inspect(h2, "SET PASSWORD 'x'").type());
    assertEquals(CommandInterface.SELECT, CommandInspector.inspect(h2, "SELECT * FROM t").type());
  }

  @Test
  void ddlThatCommitsIsNotTransactionalAndDmlIs() {
    assertFalse(CommandInspector.inspect(h2, "CREATE TABLE u (x INT)").transactional());
    assertFalse(CommandInspector.inspect(h2, "DROP TABLE t").transactional());
    assertFalse(CommandInspector.inspect(h2, "CREATE INDEX i ON t (a)").transactional());
    assertTrue(CommandInspector.inspect(h2, "INSERT INTO t VALUES (1, 'x')").transactional());
    assertTrue(CommandInspector.inspect(h2, "UPDATE t SET b = 'y'").transactional());
    assertTrue(CommandInspector.inspect(h2, "SELECT * FROM t").transactional());
  }

  @Test
  void aSetOfTheSchemaOrItsSearchPathChangesTheSchemaAndOtherSetsDoNot() {
    assertTrue(CommandInspector.inspect(h2, "SET SCHEMA other").changesSchema());
    assertTrue(CommandInspector.inspect(h2, "SET SCHEMA_SEARCH_PATH other, PUBLIC").changesSchema());
    assertFalse(CommandInspector.inspect(h2, "SET LOCK_TIMEOUT 100").changesSchema());
    assertFalse(CommandInspector.inspect(h2, "SELECT 1").changesSchema());
  }

  @Test
  void anInsertNamesItsTableAndOtherStatementsNone() {
    Inspection i = CommandInspector.inspect(h2, "INSERT INTO t VALUES (?, ?)");
    assertEquals(CommandInterface.INSERT, i.type());
    assertNotNull(i.insertTable());
    assertEquals("T", i.insertTable().getName());
    assertNull(CommandInspector.inspect(h2, "UPDATE t SET a = ?").insertTable());
    assertNull(CommandInspector.inspect(h2, "SELECT * FROM t").insertTable());
  }

  @Test
  void inspectingRunsNothing() throws SQLException {
    CommandInspector.inspect(h2, "INSERT INTO t VALUES (1, 'x')");
    CommandInspector.inspect(h2, "DROP TABLE t");
    try (Statement st = c.createStatement(); var rs = st.executeQuery("SELECT COUNT(*) FROM t")) {
      assertTrue(rs.next());
      assertEquals(0, rs.getInt(1));
    }
  }

  @Test
  void insertHeadAcceptsOnlyAOneRowParameterInsertThatEndsTheText() {
    int[] params = new int[1];
    assertEquals("INSERT INTO t VALUES ", CommandInspector.insertHead("INSERT INTO t VALUES (?, ?)", params));
    assertEquals(2, params[0]);
    assertEquals(" insert into t(a, b, c) values", CommandInspector.insertHead(" insert into t(a, b, c) values(?,?,?)  ", params));
    assertEquals(3, params[0]);
    assertEquals("INSERT\nINTO \"s\".t (a) VALUES ", CommandInspector.insertHead("INSERT\nINTO \"s\".t (a) VALUES (?)", params));
    assertEquals(1, params[0]);
    for (String refused : List.of(
        "INSERT INTO t VALUES (?, 'x')",
        "INSERT INTO t VALUES (1, 2)",
        "INSERT INTO t VALUES (?, ?), (?, ?)",
        "INSERT INTO t SELECT ?, ? FROM u",
        "INSERT INTO t SELECT a, b FROM u WHERE c IN (?, ?)",
        "INSERT IGNORE INTO t VALUES (?)",
        "INSERT INTO t VALUES (?, ?) ON DUPLICATE KEY UPDATE a = 1",
        "INSERT INTO t VALUES (?,)",
        "INSERT INTO t VALUES (, ?)",
        "INSERT INTO t VALUES ()",
        "INSERT INTO t VALUES (??)",
        "INSERT INTO t VALUES (?);",
        "INSERT INTO t DEFAULT VALUES",
        "INSERT INTO t XVALUES (?)",
        "MERGE INTO t VALUES (?)",
        "UPDATE t SET a = 1 WHERE b IN (SELECT x FROM VALUES (?))",
        "VALUES (?)",
        "")) {
      assertNull(CommandInspector.insertHead(refused, params), refused);
    }
  }
}
