package dev.ephemera.sql;

import static org.junit.jupiter.api.Assertions.*;

import dev.ephemera.Session;
import dev.ephemera.SessionEngine;
import dev.ephemera.graph.Direction;
import dev.ephemera.graph.Edge;
import dev.ephemera.graph.GraphPath;
import dev.ephemera.graph.Node;
import dev.ephemera.graph.TempGraph;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Graph queries through the {@code jdbc:ephemera:} driver, as the Geode seed writes them: each
 * leading keyword on the current graph, values and their text, {@code $1} parameters, {@code
 * INSERT INTO g MATCH …}, transactions and savepoints, and a session that tries another's graph.
 * These wait for the graph query language ({@code TempGraph.query}); {@link GraphRoutingTest} is
 * what runs without it.
 */
class GraphQueryDriverTest {
  final SessionEngine engine = SessionEngine.builder().rootUser("root", "secret").passwordHashIterations(1000).build();
  final String name = "graphquery" + System.nanoTime();
  final String url = "jdbc:ephemera:engine:" + name;
  Connection c;
  Statement st;

  @BeforeEach
  void setUp() throws SQLException {
    EphemeraDriver.register(name, engine);
    c = DriverManager.getConnection(url);
    st = c.createStatement();
    st.execute("CREATE TEMPORARY GRAPH g");
    st.execute("USE GRAPH g");
  }

  @AfterEach
  void close() throws SQLException {
    c.close();
    EphemeraDriver.unregister(name);
    engine.close();
  }

  TempGraph graph(String g) throws SQLException {
    return c.unwrap(Session.class).tempGraph(g);
  }

  static List<Object> column(Statement st, String query) throws SQLException {
    List<Object> out = new ArrayList<>();
    try (ResultSet rs = st.executeQuery(query)) {
      while (rs.next()) {
        out.add(rs.getObject(1));
      }
    }
    return out;
  }

  static Object single(Statement st, String query) throws SQLException {
    List<Object> all = column(st, query);
    assertEquals(1, all.size(), query);
    return all.get(0);
  }

  @Test
  void eachLeadingKeywordRunsOnTheCurrentGraph() throws SQLException {
    assertFalse(st.execute("CREATE (:Person {name: 'Bob'})"), "no RETURN: an update count");
    assertEquals(0, st.getUpdateCount());
    st.execute("create (:Person {name: 'Carol', age: 41})");
    st.execute("MERGE (:Person {name: 'Carol'})");
    st.execute("MERGE (:Person {name: 'Dan'})");
    assertEquals(List.of("Bob", "Carol", "Dan"), column(st, "MATCH (p:Person) RETURN p.name AS name ORDER BY name"));
    assertEquals(3L, single(st, "match (p:Person) return count(p)"));
    assertEquals(List.of(1L, 2L), column(st, "UNWIND [1, 2] AS x RETURN x"));
    assertEquals(41L, single(st, "WITH 'Carol' AS n MATCH (p:Person {name: n}) RETURN p.age"));
    assertNull(single(st, "OPTIONAL MATCH (x:Nobody) RETURN x"));
    assertEquals(1L, single(st, "RETURN 1 AS ok"));
    st.execute("EXPLAIN MATCH (p:Person) RETURN p"); // what a plan looks like is the language's
    st.execute("PROFILE MATCH (p:Person) RETURN p");
    assertEquals(3L, single(st, "  -- a comment of SQL's first\n MATCH (p:Person) RETURN count(p);"));
    assertEquals(3, graph("g").nodeCount(), "EXPLAIN and PROFILE changed nothing");
  }

  @Test
  void valuesComeBackAsTheyAreWithTheirTextFromGetString() throws SQLException {
    st.execute("CREATE (:Person {name: 'Bob'})-[:KNOWS {since: 2020}]->(:Person {name: 'Carol'})");
    try (ResultSet rs = st.executeQuery("MATCH p = (a:Person {name: 'Bob'})-[k:KNOWS]->(b) RETURN a AS Who, k, p,"
        + " b.name AS name, k.since AS since, [1, 2] AS list, {a: 1} AS map, 2.5 AS d, true AS t, null AS nothing")) {
      ResultSetMetaData md = rs.getMetaData();
      assertEquals(List.of("Who", "k", "p", "name", "since", "list", "map", "d", "t", "nothing"), labels(md));
      assertEquals(List.of(Types.JAVA_OBJECT, Types.JAVA_OBJECT, Types.JAVA_OBJECT, Types.VARCHAR, Types.BIGINT,
          Types.JAVA_OBJECT, Types.JAVA_OBJECT, Types.DOUBLE, Types.BOOLEAN, Types.OTHER), types(md));
      assertTrue(rs.next());
      Node bob = rs.getObject("Who", Node.class);
      assertEquals(Set.of("Person"), bob.labels());
      assertEquals(Map.of("name", "Bob"), bob.properties());
      assertEquals("(:Person {name: 'Bob'})", rs.getString("Who"));
      assertEquals("(:Person {name: 'Bob'})", rs.getString("who"), "labels are found ignoring case");
      Edge k = (Edge) rs.getObject("k");
      assertEquals("KNOWS", k.type());
      assertEquals("[:KNOWS {since: 2020}]", rs.getString("k"));
      assertInstanceOf(GraphPath.class, rs.getObject("p"));
      assertEquals("(:Person {name: 'Bob'})-[:KNOWS {since: 2020}]->(:Person {name: 'Carol'})", rs.getString("p"));
      assertEquals("Carol", rs.getString("name"));
      assertEquals(2020, rs.getInt("since"));
      assertEquals(List.of(1L, 2L), rs.getObject("list"));
      assertEquals("[1, 2]", rs.getString("list"));
      assertEquals("{a: 1}", rs.getString("map"));
      assertEquals(2.5, rs.getDouble("d"));
      assertTrue(rs.getBoolean("t"));
      assertNull(rs.getObject("nothing"));
      assertFalse(rs.next());
    }
    try (ResultSet rs = st.executeQuery("MATCH p = (:Person {name: 'Carol'})<-[:KNOWS]-(:Person) RETURN p")) {
      assertTrue(rs.next());
      assertEquals("(:Person {name: 'Carol'})<-[:KNOWS {since: 2020}]-(:Person {name: 'Bob'})", rs.getString(1));
    }
  }

  static List<String> labels(ResultSetMetaData md) throws SQLException {
    List<String> out = new ArrayList<>();
    for (int i = 1; i <= md.getColumnCount(); i++) {
      out.add(md.getColumnLabel(i));
    }
    return out;
  }

  static List<Integer> types(ResultSetMetaData md) throws SQLException {
    List<Integer> out = new ArrayList<>();
    for (int i = 1; i <= md.getColumnCount(); i++) {
      out.add(md.getColumnType(i));
    }
    return out;
  }

  @Test
  void anUpdateWithoutReturnIsAnEmptyResultSetOrAnUpdateCount() throws SQLException {
    try (ResultSet rs = st.executeQuery("CREATE (:X)")) {
      assertEquals(0, rs.getMetaData().getColumnCount());
      assertFalse(rs.next());
    }
    assertEquals(0, st.executeUpdate("CREATE (:Y)"));
    assertFalse(st.execute("CREATE (:Z)"));
    assertTrue(st.execute("MATCH (n) RETURN n"));
    assertEquals("07000", assertThrows(SQLException.class, () -> st.executeUpdate("MATCH (n) RETURN n")).getSQLState());
    assertEquals(3, graph("g").nodeCount());
  }

  @Test
  void jdbcParameterIIsDollarI() throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("CREATE (:Person {name: $1, age: $2, score: $3})")) {
      for (Object[] p : List.of(new Object[] {"Bob", 42, 1.5f}, new Object[] {"Carol", 17, 2.5})) {
        ps.setString(1, (String) p[0]);
        ps.setInt(2, (Integer) p[1]);
        ps.setObject(3, p[2]);
        assertEquals(0, ps.executeUpdate());
      }
    }
    try (PreparedStatement ps = c.prepareStatement("MATCH (p:Person) WHERE p.age > $1 RETURN p.name, p.age, p.score")) {
      ps.setInt(1, 18);
      try (ResultSet rs = ps.executeQuery()) {
        assertTrue(rs.next());
        assertEquals("Bob", rs.getString(1));
        assertEquals(42L, rs.getObject(2), "an int parameter is stored as a Long");
        assertEquals(1.5, rs.getObject(3), "a float as a Double");
        assertFalse(rs.next());
      }
    }
  }

  @Test
  void theSeedsGraphStatements() throws SQLException {
    st.execute("SET SESSION tenant_id = 'tenant_123'");
    st.execute("CREATE (:Person {name: 'Bob', tenant_id: 'tenant_123'})");
    st.execute("CREATE (:Person {name: 'Eve', tenant_id: 'tenant_999'})");
    st.execute("MATCH (b:Person {name: 'Bob'}), (e:Person {name: 'Eve'}) CREATE (b)-[:KNOWS]->(e)");
    Node p = (Node) single(st, "MATCH (p:Person)\nWHERE p.tenant_id = current_session_var('tenant_id')\nRETURN p;");
    assertEquals("Bob", p.properties().get("name"));
    try (ResultSet rs = st.executeQuery("MATCH (p:Person) WHERE p.tenant_id = current_tenant_id() RETURN p")) {
      assertTrue(rs.next());
      assertEquals("(:Person {name: 'Bob', tenant_id: 'tenant_123'})", rs.getString("p"));
      assertFalse(rs.next());
    }
    assertEquals(1L, single(st, "RETURN 1 AS ok"));
    assertEquals("tenant_123", single(st, "RETURN current_tenant_id() AS tenant_id"));
    assertEquals("tenant_123", single(st, "RETURN current_session_var('tenant_id');"));
    st.execute("BEGIN;");
    st.execute("CREATE (:Person {name: 'Alice'});");
    st.execute("COMMIT;");
    st.execute("CREATE TEMPORARY GRAPH analysis_graph;");
    assertEquals(3, st.executeUpdate("INSERT INTO analysis_graph\nMATCH (p:Person)-[:KNOWS]->(f:Person)\nRETURN p, f;"),
        "Bob, Eve and the edge between them");
    st.execute("USE GRAPH analysis_graph;");
    assertEquals(2L, single(st, "MATCH (p:Person)\nRETURN count(p);"));
  }

  @Test
  void insertIntoCopiesReturnedNodesAndTheEdgesThePatternMatchedAllOrNothing() throws SQLException {
    TempGraph g = graph("g");
    g.addNode("alice", Set.of("Person"), Map.of("name", "Alice", "age", 30L));
    g.addNode("bob", Set.of("Person", "Admin"), Map.of("name", "Bob", "age", 40L));
    g.addNode("carol", Set.of("Person"), Map.of("name", "Carol", "age", 50L));
    g.addNode("dave", Set.of("Person"), Map.of("name", "Dave", "age", 60L));
    g.addEdge("alice", "bob", "KNOWS", Map.of("since", 2020L));
    g.addEdge("bob", "carol", "KNOWS");
    g.addEdge("alice", "carol", "LIKES");
    st.execute("CREATE TEMPORARY GRAPH copy");
    assertEquals(5, st.executeUpdate("INSERT INTO copy MATCH (p:Person)-[:KNOWS]->(f:Person) RETURN p, f"));
    TempGraph copy = graph("copy");
    assertEquals(3, copy.nodeCount(), "alice, bob, carol; not dave");
    assertEquals(2, copy.edgeCount(), "the KNOWS edges the pattern matched; not LIKES");
    assertEquals(g.node("bob"), copy.node("bob"), "keys, labels and properties");
    assertEquals(Map.of("since", 2020L), copy.edges("alice", Direction.OUT).get(0).properties());

    st.execute("CREATE TEMPORARY GRAPH paths");
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO paths MATCH p = (:Person {name: $1})-[*]->() RETURN p")) {
      ps.setString(1, "Alice");
      assertEquals(6, ps.executeUpdate(), "the nodes and edges of alice-bob, alice-bob-carol, alice-carol, once each");
    }
    assertEquals(List.of("alice", "bob", "carol"), graph("paths").nodes().stream().sorted().toList());
    assertEquals(3, graph("paths").edgeCount());

    st.execute("CREATE TEMPORARY GRAPH atomic");
    SQLException failed = assertThrows(SQLException.class,
        () -> st.executeUpdate("INSERT INTO atomic MATCH (p:Person) RETURN p, 1 / (p.age - 50) AS boom"));
    assertNotNull(failed.getSQLState());
    assertEquals(0, graph("atomic").nodeCount(), "all or nothing");
    assertEquals("42704", assertThrows(SQLException.class,
        () -> st.executeUpdate("INSERT INTO nosuch MATCH (p) RETURN p")).getSQLState());
  }

  @Test
  void graphUpdatesJoinTheSessionsTransactionAsTheSeedWritesIt() throws SQLException {
    st.execute("BEGIN");
    st.execute("CREATE (:Person {name: 'Bob'})");
    st.execute("SAVEPOINT after_bob");
    st.execute("CREATE (:Person {name: 'Carol'})");
    st.execute("ROLLBACK TO SAVEPOINT after_bob");
    st.execute("COMMIT");
    assertEquals(List.of("Bob"), column(st, "MATCH (p:Person) RETURN p.name"), "Bob exists, Carol does not");

    st.execute("CREATE TEMPORARY TABLE seen (name VARCHAR)");
    st.execute("BEGIN");
    st.execute("INSERT INTO seen VALUES ('Dan')");
    st.execute("CREATE (:Person {name: 'Dan'})");
    st.execute("ROLLBACK");
    assertEquals(List.of("Bob"), column(st, "MATCH (p:Person) RETURN p.name"), "the rollback took the node back");
    assertEquals(0L, single(st, "SELECT COUNT(*) FROM seen"), "with the row");

    c.setAutoCommit(false); // JDBC's own transaction control drives the same transaction
    st.execute("CREATE (:Person {name: 'Eve'})");
    Savepoint sp = c.setSavepoint("after_eve");
    st.execute("MATCH (p:Person {name: 'Bob'}) DETACH DELETE p");
    c.rollback(sp);
    c.commit();
    c.setAutoCommit(true);
    assertEquals(List.of("Bob", "Eve"), column(st, "MATCH (p:Person) RETURN p.name ORDER BY p.name"));
  }

  @Test
  void anotherSessionsGraphOfTheSameNameIsUntouchedByWhatASessionDoesToItsOwn() throws SQLException {
    st.execute("CREATE (:Person {name: 'Victim'})-[:OWNS]->(:Account {balance: 100})");
    try (Connection mallory = DriverManager.getConnection(url); Statement m = mallory.createStatement()) {
      assertEquals("42704", assertThrows(SQLException.class, () -> m.execute("USE GRAPH g")).getSQLState());
      m.execute("CREATE TEMPORARY GRAPH g");
      m.execute("USE GRAPH g");
      assertEquals(0L, single(m, "MATCH (n) RETURN count(n)"), "its own graph of that name is empty");
      m.execute("CREATE (:Person {name: 'Mallory'})");
      m.execute("MATCH (a:Account) SET a.balance = 0");
      m.execute("MERGE (:Account {balance: 0})");
      m.execute("MATCH (n) DETACH DELETE n");
    }
    assertEquals(List.of("Victim"), column(st, "MATCH (p:Person) RETURN p.name"));
    assertEquals(100L, single(st, "MATCH (a:Account) RETURN a.balance"));
    assertEquals(2, graph("g").nodeCount());
    assertEquals(1, graph("g").edgeCount());
  }

  @Test
  void graphQueryErrorsAreSqlExceptionsWithTheLanguagesMessage() {
    SQLException syntax = assertThrows(SQLException.class, () -> st.execute("MATCH (n RETURN n"));
    assertEquals("42601", syntax.getSQLState());
    assertTrue(syntax.getMessage().contains("^"), "the caret under the place: " + syntax.getMessage());
    assertEquals("42000", assertThrows(SQLException.class, () -> st.execute("RETURN nowhere")).getSQLState());
  }

  @Test
  void sessionSqlRunsTheSameStatements() throws SQLException {
    Session s = c.unwrap(Session.class);
    SessionSql.execute(s, "CREATE (:Person {name: $1})", "Bob");
    SqlResult r = SessionSql.execute(s, "MATCH (p:Person) RETURN p, p.name AS name");
    assertEquals(List.of("p", "name"), r.rows().columns());
    assertEquals("Bob", r.rows().value(0, "name"));
    assertEquals("(:Person {name: 'Bob'})", GraphText.of(r.rows().value(0, "p")));
    assertEquals(0, SessionSql.execute(s, "MATCH (p:Person) SET p.seen = true").updateCount());
  }
}
