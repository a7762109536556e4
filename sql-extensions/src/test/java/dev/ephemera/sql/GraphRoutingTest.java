package dev.ephemera.sql;

import static org.junit.jupiter.api.Assertions.*;

import dev.ephemera.SessionEngine;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Graph statements through the {@code jdbc:ephemera:} driver, in what does not need the graph
 * query language to run: which statements go to the graph (a session without a current graph
 * says so for each), which look-alikes stay H2's, {@code USE GRAPH} and what clears it, and a
 * session that cannot select another session's graph. {@link GraphQueryDriverTest} runs the
 * queries themselves.
 */
class GraphRoutingTest {
  final SessionEngine engine = SessionEngine.builder().rootUser("root", "secret").passwordHashIterations(1000).build();
  final String name = "graphrouting" + System.nanoTime();
  final String url = "jdbc:ephemera:engine:" + name + ";user=root;password=secret";
  Connection c;
  Statement st;

  @BeforeEach
  void setUp() throws SQLException {
    EphemeraDriver.register(name, engine);
    c = DriverManager.getConnection(url);
    st = c.createStatement();
  }

  @AfterEach
  void close() throws SQLException {
    c.close();
    EphemeraDriver.unregister(name);
    engine.close();
  }

  static String currentGraph(Statement st) throws SQLException {
    try (ResultSet rs = st.executeQuery("SHOW SESSION")) {
      assertTrue(rs.next());
      return rs.getString("GRAPH");
    }
  }

  static SQLException fails(Statement st, String sql) {
    return assertThrows(SQLException.class, () -> st.execute(sql), sql);
  }

  @Test
  void statementsThatNeedAGraphSayNoneIsSelected() {
    for (String sql : List.of("MATCH (p:Person) RETURN p", "match (n) return count(n)", "OPTIONAL MATCH (n) RETURN n",
        "CREATE (:Person {name: 'Bob'})", "CREATE p = (a)-[:R]->(b) RETURN p", "MERGE (p:Person {name: 'Bob'})",
        "EXPLAIN MATCH (n) RETURN n", "PROFILE CREATE (n)", "  /* c */ MATCH (n) DETACH DELETE n;",
        "INSERT INTO g MATCH (p:Person)-[:KNOWS]->(f:Person) RETURN p, f",
        "MATCH (p:Person) WHERE p.tenant_id = current_session_var('tenant_id') RETURN p")) {
      SQLException e = fails(st, sql);
      assertEquals("3D000", e.getSQLState(), sql);
      assertTrue(e.getMessage().startsWith("no graph selected: USE GRAPH name first"), e.getMessage());
    }
  }

  @Test
  void aPreparedGraphStatementIsRoutedToo() throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("MATCH (p:Person) WHERE p.name = $1 RETURN p")) {
      ps.setString(1, "Bob");
      assertEquals("3D000", assertThrows(SQLException.class, ps::executeQuery).getSQLState());
    }
  }

  @Test
  void sqlThatLooksLikeAGraphStatementStaysH2s() throws SQLException {
    st.execute("USE NAMESPACE shop DATABASE data");
    st.execute("CREATE TEMPORARY GRAPH g");
    st.execute("USE GRAPH g"); // with a graph selected, SQL still goes to H2
    st.execute("CREATE TABLE people (name VARCHAR, boss VARCHAR)");
    assertEquals(2, st.executeUpdate("INSERT INTO people VALUES ('Bob', NULL), ('Carol', 'Bob')"));
    assertEquals(1, st.executeUpdate("INSERT INTO people SELECT 'Dan', 'Carol'"));
    assertEquals(1, st.executeUpdate("MERGE INTO people KEY (name) VALUES ('Eve', 'Bob')"));
    try (ResultSet rs = st.executeQuery("WITH bosses AS (SELECT DISTINCT boss FROM people) SELECT COUNT(*) FROM bosses"
        + " WHERE boss IS NOT NULL")) {
      assertTrue(rs.next());
      assertEquals(2, rs.getInt(1));
    }
    try (ResultSet rs = st.executeQuery("WITH RECURSIVE chain(name, depth) AS (SELECT name, 0 FROM people WHERE boss"
        + " IS NULL UNION ALL SELECT p.name, c.depth + 1 FROM people p JOIN chain c ON p.boss = c.name)"
        + " SELECT MAX(depth) FROM chain")) {
      assertTrue(rs.next());
      assertEquals(2, rs.getInt(1));
    }
    try (ResultSet rs = st.executeQuery("EXPLAIN SELECT * FROM people")) {
      assertTrue(rs.next());
      assertTrue(rs.getString(1).contains("PEOPLE"), rs.getString(1));
    }
    assertEquals("G", currentGraph(st));
  }

  @Test
  void useGraphSelectsTheSessionsGraphAndShowSessionShowsIt() throws SQLException {
    assertNull(currentGraph(st));
    st.execute("CREATE TEMPORARY GRAPH analysis_graph");
    st.execute("CREATE TEMPORARY GRAPH other");
    assertFalse(st.execute("USE GRAPH analysis_graph;"));
    assertEquals(0, st.getUpdateCount());
    assertEquals("ANALYSIS_GRAPH", currentGraph(st), "stored upper case, as SHOW GRAPHS lists it");
    SQLException unknown = fails(st, "USE GRAPH nosuch");
    assertEquals("42704", unknown.getSQLState());
    assertTrue(unknown.getMessage().contains("NOSUCH"), unknown.getMessage());
    assertEquals("42602", fails(st, "USE GRAPH \"a b\"").getSQLState());
    assertEquals("ANALYSIS_GRAPH", currentGraph(st), "a refused USE GRAPH changed nothing");
    st.execute("use graph Other");
    assertEquals("OTHER", currentGraph(st));
    st.execute("USE NAMESPACE shop DATABASE data");
    assertEquals("OTHER", currentGraph(st), "graphs are the session's: selecting a database keeps it");
    st.execute("DROP GRAPH analysis_graph");
    assertEquals("OTHER", currentGraph(st), "dropping another graph keeps it");
    st.execute("DROP GRAPH other");
    assertNull(currentGraph(st), "dropping the current graph clears it");
    st.execute("CREATE TEMPORARY GRAPH other");
    assertNull(currentGraph(st), "a new graph of the same name is not selected by itself");
    assertEquals("3D000", fails(st, "MATCH (n) RETURN n").getSQLState());
  }

  @Test
  void aResetConnectionHasNoCurrentGraph() throws SQLException {
    st.execute("CREATE TEMPORARY GRAPH g");
    st.execute("USE GRAPH g");
    st.execute("DISCARD ALL");
    assertNull(currentGraph(st));
    assertEquals("3D000", fails(st, "MATCH (n) RETURN n").getSQLState());
    st.execute("CREATE TEMPORARY GRAPH g"); // the graph went with the old session
    st.execute("USE GRAPH g");
    c.endRequest(); // what pools call
    assertNull(currentGraph(st));
  }

  @Test
  void aSessionCannotSelectAnotherSessionsGraph() throws SQLException {
    st.execute("CREATE TEMPORARY GRAPH shared_name");
    st.execute("INSERT INTO GRAPH shared_name EDGES SELECT 'alice', 'bob', 'KNOWS'");
    st.execute("USE GRAPH shared_name");
    try (Connection mallory = DriverManager.getConnection("jdbc:ephemera:engine:" + name);
        Statement m = mallory.createStatement()) {
      assertEquals("42704", fails(m, "USE GRAPH shared_name").getSQLState());
      assertNull(currentGraph(m));
      for (String attack : List.of("MATCH (n) RETURN n", "CREATE (:Person {name: 'Mallory'})",
          "MATCH (n) DETACH DELETE n", "MERGE (n {name: 'alice'}) SET n.owned = true",
          "INSERT INTO shared_name MATCH (n) RETURN n")) {
        assertEquals("3D000", fails(m, attack).getSQLState(), attack);
      }
      assertEquals("42704", fails(m, "INSERT INTO GRAPH shared_name NODES SELECT 'x'").getSQLState());
    }
    try (ResultSet rs = st.executeQuery("SHOW GRAPHS")) {
      assertTrue(rs.next());
      assertEquals(2, rs.getLong("NODES"), "the owner's graph is unchanged");
      assertEquals(1, rs.getLong("EDGES"));
    }
    assertEquals("SHARED_NAME", currentGraph(st));
  }
}
