package dev.ephemera.graph;

import static org.junit.jupiter.api.Assertions.*;

import dev.ephemera.FakeTicker;
import dev.ephemera.QueryResult;
import dev.ephemera.Session;
import dev.ephemera.SessionEngine;
import dev.ephemera.Transaction;
import dev.ephemera.graph.GraphQueryException.Kind;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The graph query language through {@link TempGraph#query}: the seed's statements and each part of the language. */
class GraphQueryTest {
  final SessionEngine engine = SessionEngine.builder().ticker(new FakeTicker()).build();
  final Session s = engine.open();
  final TempGraph g = s.createTempGraph("g");

  @AfterEach
  void close() {
    engine.close();
  }

  private List<List<Object>> rows(String q, Object... kv) {
    Map<String, Object> params = new java.util.LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      params.put((String) kv[i], kv[i + 1]);
    }
    return g.query(q, params).rows();
  }

  private Object single(String q) {
    return g.query(q).single();
  }

  private void people() {
    g.query("CREATE (a:Person {name: 'Alice', age: 34, tenant_id: 't1'}), (b:Person {name: 'Bob', age: 25, tenant_id: 't1'}),"
        + " (c:Person {name: 'Carol', age: 41, tenant_id: 't2'}), (a)-[:KNOWS {since: 2010}]->(b), (b)-[:KNOWS]->(c),"
        + " (a)-[:WORKS_WITH]->(c)");
  }

  @Test
  void theSeedsStatementsRun() {
    s.set("tenant_id", "t1");
    assertEquals(List.of(), g.query("CREATE (:Person {name: 'Bob'})").rows());
    assertEquals(1L, single("RETURN 1 AS ok"));
    assertEquals("t1", single("RETURN current_tenant_id() AS tenant_id"));
    assertEquals(1L, single("MATCH (p:Person) RETURN count(p)"));
    g.query("MATCH (p:Person) SET p.tenant_id = 't1'");
    QueryResult r = g.query("MATCH (p:Person) WHERE p.tenant_id = current_session_var('tenant_id') RETURN p");
    assertEquals(List.of("p"), r.columns());
    Node bob = (Node) r.single();
    assertEquals(Set.of("Person"), bob.labels());
    assertEquals(Map.of("name", "Bob", "tenant_id", "t1"), bob.properties());
    assertTrue(bob.key().startsWith("_:"), bob.key());
    assertTrue(g.node(bob.key()).isPresent(), "Node.key() is the handle for the Java API");
  }

  @Test
  void matchPatternsInEveryDirection() {
    people();
    assertEquals(List.of(List.of("Bob")), rows("MATCH (:Person {name: 'Alice'})-[:KNOWS]->(f) RETURN f.name"));
    assertEquals(List.of(List.of("Alice")), rows("MATCH (b {name: 'Bob'})<-[:KNOWS]-(f) RETURN f.name"));
    assertEquals(Set.of("Alice", "Carol"), names(rows("MATCH ({name: 'Bob'})-[:KNOWS]-(x) RETURN x.name")));
    assertEquals(Set.of("Bob", "Carol"), names(rows("MATCH ({name: 'Alice'})-[:KNOWS|WORKS_WITH]->(x) RETURN x.name")));
    assertEquals(1L, single("MATCH (a {name: 'Alice'})-[*2]->(x) RETURN count(*)"));
    assertEquals(Set.of("Bob", "Carol"), names(rows("MATCH ({name: 'Alice'})-[:KNOWS*1..3]->(x) RETURN x.name")));
    assertEquals(Set.of("Carol"), names(rows("MATCH ({name: 'Alice'})-[:KNOWS*2..]->(x) RETURN x.name")));
    assertEquals(Set.of("Bob"), names(rows("MATCH ({name: 'Alice'})-[:KNOWS*..1]->(x) RETURN x.name")));
    GraphPath p = (GraphPath) single("MATCH p = (:Person {name: 'Alice'})-[:KNOWS]->()-[:KNOWS]->() RETURN p");
    assertEquals(2, p.length());
    assertEquals("Carol", p.end().properties().get("name"));
    assertEquals(2L, single("MATCH (a {name: 'Alice'}), (c {name: 'Carol'}) MATCH p = shortestPath((a)-[:KNOWS*]->(c)) RETURN length(p)"));
    assertEquals(List.of(List.of("Alice", "Bob")),
        rows("MATCH (a:Person)-[r:KNOWS]->(b) WHERE r.since = 2010 RETURN a.name, b.name"));
  }

  private static Set<Object> names(List<List<Object>> rows) {
    Set<Object> out = new HashSet<>();
    rows.forEach(r -> out.add(r.get(0)));
    return out;
  }

  @Test
  void whereWithThreeValuedLogic() {
    people();
    assertEquals(Set.of("Alice", "Carol"), names(rows("MATCH (p:Person) WHERE p.age > 30 RETURN p.name")));
    assertEquals(Set.of("Alice"), names(rows("MATCH (p:Person) WHERE p.name STARTS WITH 'Al' AND NOT p.age IS NULL RETURN p.name")));
    assertEquals(Set.of("Carol"), names(rows("MATCH (p:Person) WHERE p.name =~ 'C.*' OR p.nickname = 'x' RETURN p.name")));
    assertEquals(Set.of("Bob", "Carol"), names(rows("MATCH (p:Person) WHERE p.name IN ['Bob', 'Carol'] RETURN p.name")));
    assertEquals(Set.of("Alice", "Bob"), names(rows("MATCH (p:Person) WHERE (p)-[:KNOWS]->() RETURN p.name")));
    assertEquals(Set.of("Carol"), names(rows("MATCH (p:Person) WHERE NOT (p)-[:KNOWS]->() RETURN p.name")));
    assertNull(single("RETURN null AND true AS x"));
    assertEquals(false, single("RETURN null AND false AS x"));
    assertEquals(true, single("RETURN true XOR false AS x"));
  }

  @Test
  void projectionsOrderSkipLimitAndAggregates() {
    people();
    assertEquals(List.of(List.of("Carol"), List.of("Alice")),
        rows("MATCH (p:Person) RETURN p.name AS name ORDER BY p.age DESC LIMIT 2"));
    assertEquals(List.of(List.of("Bob")), rows("MATCH (p:Person) RETURN p.name ORDER BY p.name SKIP 1 LIMIT 1"));
    assertEquals(List.of(List.of(3L, 100L, 25L, 41L)), rows("MATCH (p:Person) RETURN count(*), sum(p.age), min(p.age), max(p.age)"));
    assertEquals(List.of(List.of("t1", 2L), List.of("t2", 1L)),
        rows("MATCH (p:Person) RETURN p.tenant_id AS t, count(p) AS n ORDER BY t"));
    assertEquals(2L, single("MATCH (p:Person) RETURN count(DISTINCT p.tenant_id)"));
    assertEquals(List.of("Alice", "Bob", "Carol"), single("MATCH (p:Person) WITH p ORDER BY p.name RETURN collect(p.name)"));
    assertEquals(List.of(List.of(1L), List.of(2L), List.of(3L)), rows("UNWIND [1, 2, 3] AS x RETURN x"));
    assertEquals(List.of(List.of(1L), List.of(2L)), rows("RETURN 1 AS x UNION RETURN 2 AS x UNION RETURN 1 AS x"));
    assertEquals(3, rows("RETURN 1 AS x UNION ALL RETURN 2 AS x UNION ALL RETURN 1 AS x").size());
    assertEquals(List.of(List.of("Bob")), rows("MATCH (p:Person) WITH p.name AS n WHERE n STARTS WITH 'B' RETURN n"));
    assertEquals(List.of("p"), g.query("MATCH (p:Person) RETURN * LIMIT 1").columns());
    assertEquals(2, rows("MATCH (p:Person) RETURN DISTINCT p.tenant_id").size());
  }

  @Test
  void expressionsAndFunctions() {
    assertEquals(7L, single("RETURN 1 + 2 * 3"));
    assertEquals(2.5, single("RETURN 5 / 2.0"));
    assertEquals(2L, single("RETURN 5 / 2"));
    assertEquals("ab1", single("RETURN 'a' + 'b' + 1"));
    assertEquals(List.of(2L, 3L), single("RETURN [1, 2, 3][1..]"));
    assertEquals(3L, single("RETURN [1, 2, 3][-1]"));
    assertEquals(List.of(2L, 4L), single("RETURN [x IN range(1, 4) WHERE x % 2 = 0]"));
    assertEquals(List.of(10L, 20L), single("RETURN [x IN [1, 2] | x * 10]"));
    assertEquals(Map.of("a", 1L), single("RETURN {a: 1}"));
    assertEquals("big", single("RETURN CASE WHEN 5 > 3 THEN 'big' ELSE 'small' END"));
    assertEquals("two", single("RETURN CASE 2 WHEN 1 THEN 'one' WHEN 2 THEN 'two' END"));
    assertEquals(true, single("RETURN all(x IN [1, 2] WHERE x > 0)"));
    assertEquals(false, single("RETURN none(x IN [1, 2] WHERE x > 1)"));
    assertEquals(true, single("RETURN single(x IN [1, 2] WHERE x > 1)"));
    assertEquals(6L, single("RETURN reduce(s = 0, x IN [1, 2, 3] | s + x)"));
    assertEquals("HELLO", single("RETURN toUpper('hello')"));
    assertEquals(List.of("a", "b"), single("RETURN split('a,b', ',')"));
    assertEquals(42L, single("RETURN toInteger('42')"));
    assertEquals(3.0, single("RETURN round(2.6)"));
    assertEquals(5L, single("RETURN $x", "x", 5));
    assertEquals("x", single("RETURN coalesce(null, 'x')"));
    assertEquals(3L, single("RETURN size([1, 2, 3])"));
    assertEquals(List.of(1L, 2L), single("RETURN tail([0, 1, 2])"));
    g.query("CREATE (:A {name: 'n', age: 3})");
    assertEquals(Map.of("name", "n"), single("MATCH (a:A) RETURN a {.name}"));
    assertEquals(List.of("A"), single("MATCH (a:A) RETURN labels(a)"));
    assertEquals(List.of("name", "age"), single("MATCH (a:A) RETURN keys(a)"));
  }

  private Object single(String q, String k, Object v) {
    return g.query(q, Map.of(k, v)).single();
  }

  @Test
  void updatesCreateMergeSetRemoveDelete() {
    people();
    g.query("MATCH (p:Person {name: 'Bob'}) SET p.age = 26, p:Admin");
    assertEquals(List.of(List.of(26L, true)), rows("MATCH (p:Person {name: 'Bob'}) RETURN p.age, p:Admin"));
    g.query("MATCH (p:Person {name: 'Bob'}) SET p += {city: 'Paris'} REMOVE p:Admin, p.age");
    assertEquals(List.of(List.of("Paris", false)), rows("MATCH (p:Person {name: 'Bob'}) WHERE p.age IS NULL RETURN p.city, p:Admin"));
    g.query("MERGE (p:Person {name: 'Dave'}) ON CREATE SET p.created = true ON MATCH SET p.matched = true");
    g.query("MERGE (p:Person {name: 'Dave'}) ON CREATE SET p.created = true ON MATCH SET p.matched = true");
    assertEquals(List.of(List.of(true, true)), rows("MATCH (p:Person {name: 'Dave'}) RETURN p.created, p.matched"));
    assertEquals(4L, g.nodeCount());
    GraphQueryException e = assertThrows(GraphQueryException.class, () -> g.query("MATCH (p:Person {name: 'Bob'}) DELETE p"));
    assertEquals(Kind.RUNTIME, e.kind());
    assertEquals(4L, g.nodeCount(), "a failed statement changes nothing");
    assertEquals(3L, g.edgeCount());
    g.query("MATCH (p:Person {name: 'Bob'}) DETACH DELETE p");
    assertEquals(3L, g.nodeCount());
    assertEquals(1L, g.edgeCount());
    g.query("MATCH ()-[r:WORKS_WITH]->() DELETE r");
    assertEquals(0L, g.edgeCount());
  }

  @Test
  void aFailingStatementChangesNothing() {
    people();
    long nodes = g.nodeCount();
    assertThrows(GraphQueryException.class, () -> g.query("UNWIND [1, 2, 0] AS x CREATE (:N {v: 10 / x})"));
    assertEquals(nodes, g.nodeCount());
    assertEquals(0L, single("MATCH (n:N) RETURN count(n)"));
  }

  @Test
  void updatesJoinTheSessionsTransaction() {
    Transaction tx = s.begin();
    g.query("CREATE (:Person {name: 'Bob'})");
    var sp = tx.savepoint("s");
    g.query("CREATE (:Person {name: 'Carol'})");
    tx.rollbackTo(sp);
    tx.commit();
    assertEquals(List.of(List.of("Bob")), rows("MATCH (p:Person) RETURN p.name"));
  }

  @Test
  void errorsHaveAKindAPlaceAndACaret() {
    GraphQueryException e = assertThrows(GraphQueryException.class, () -> g.query("MATCH (n) RETRUN n"));
    assertEquals(Kind.SYNTAX, e.kind());
    assertEquals(1, e.line());
    assertEquals(11, e.column());
    assertTrue(e.getMessage().endsWith("MATCH (n) RETRUN n\n            ^"), e.getMessage());
    e = assertThrows(GraphQueryException.class, () -> g.query("MATCH (n)\nRETURN m"));
    assertEquals(Kind.SEMANTIC, e.kind());
    assertEquals(2, e.line());
    e = assertThrows(GraphQueryException.class, () -> g.query("RETURN 1 / 0"));
    assertEquals(Kind.RUNTIME, e.kind());
    e = assertThrows(GraphQueryException.class, () -> g.query("RETURN 'a' - 1"));
    assertEquals(Kind.TYPE, e.kind());
    for (String bad : List.of("CREATE (:A {m: {a: 1}})", "CREATE (a:A) SET a.self = a", "CREATE (:A {l: [[1]]})")) {
      e = assertThrows(GraphQueryException.class, () -> g.query(bad), bad);
      assertEquals(Kind.TYPE, e.kind(), bad + ": a property holds numbers, strings, booleans and lists of them");
    }
    assertEquals(0L, g.nodeCount(), "the refused statements created nothing");
  }

  @Test
  void explainAndProfile() {
    people();
    QueryResult plan = g.query("EXPLAIN MATCH (p:Person) RETURN p.name");
    assertEquals(List.of("operator", "details"), plan.columns());
    assertTrue(plan.rows().get(0).get(1).toString().contains("NodeByLabelScan"), plan.rows().toString());
    QueryResult prof = g.query("PROFILE MATCH (p:Person) RETURN p.name");
    assertEquals(List.of("operator", "details", "rows"), prof.columns());
    assertEquals(3L, prof.rows().get(0).get(2));
  }

  @Test
  void distinctEndNodesOfAVariableLengthPatternAreFoundBreadthFirstWithTheSameAnswer() {
    java.util.Random r = new java.util.Random(7);
    for (int i = 0; i < 40; i++) {
      g.addNode("n" + i);
    }
    for (int i = 0; i < 90; i++) { // cycles, parallel edges and self-loops included
      g.addEdge("n" + r.nextInt(40), "n" + r.nextInt(40), r.nextBoolean() ? "A" : "B");
    }
    String explain = g.query("EXPLAIN MATCH (a) WHERE key(a) = 'n0' MATCH (a)-[*1..3]->(b) RETURN count(DISTINCT b)")
        .rows().toString();
    assertTrue(explain.contains("DistinctReach"), explain);
    for (String range : List.of("*", "*1..3", "*..2", "*0..2", "*1", "*0..4")) {
      for (String pattern : List.of("-[%s]->", "<-[%s]-", "-[:A%s]->", "<-[:B|A%s]-")) {
        String rel = String.format(pattern, range.startsWith("*") && pattern.contains(":") ? range : range);
        for (int start = 0; start < 40; start += 7) {
          Map<String, Object> k = Map.of("k", "n" + start);
          // the same question with WITH b in between walks every path: no rewrite there
          Object bfs = g.query("MATCH (a) WHERE key(a) = $k MATCH (a)" + rel + "(b) RETURN count(DISTINCT b)", k).single();
          Object paths = g.query("MATCH (a) WHERE key(a) = $k MATCH (a)" + rel + "(b) WITH b RETURN count(DISTINCT b)", k).single();
          assertEquals(paths, bfs, rel + " from n" + start);
          Set<Object> distinct = new HashSet<>(g.query("MATCH (a) WHERE key(a) = $k MATCH (a)" + rel + "(b) RETURN DISTINCT b", k)
              .rows());
          Set<Object> all = new HashSet<>(g.query("MATCH (a) WHERE key(a) = $k MATCH (a)" + rel + "(b) WITH b RETURN b", k)
              .rows());
          assertEquals(all, distinct, rel + " from n" + start);
        }
      }
    }
  }

  @Test
  void readingQueriesGiveTheSameAnswersOnTheTraversalSnapshotAndNeverAStaleOne() {
    java.util.Random r = new java.util.Random(11);
    for (int i = 0; i < 300; i++) {
      g.addEdge("n" + r.nextInt(60), "n" + r.nextInt(60), r.nextInt(3) == 0 ? "B" : "A", Map.of("w", (long) i));
    }
    String q = "MATCH (a)-[r:A]->(b)<-[s]-(c) WHERE r.w < 200 RETURN count(*) AS n, sum(s.w) AS w";
    long bytes = g.offHeapBytes();
    List<List<Object>> before = List.of(byHand());
    for (int i = 0; i < 200; i++) { // the reads pay for the snapshot part-way through
      assertEquals(before, rows(q), "run " + i);
    }
    assertTrue(g.offHeapBytes() > bytes, "the snapshot was built: " + bytes + " -> " + g.offHeapBytes());
    g.query("MATCH (a) WHERE key(a) = 'n1' MATCH (b) WHERE key(b) = 'n2' CREATE (a)-[:A {w: 0}]->(b)");
    List<List<Object>> after = rows(q);
    assertNotEquals(before, after, "the new edge is seen: a change drops the snapshot");
    assertEquals(List.of(byHand()), after);
  }

  @Test
  void aPropertyFilterGivesTheSameAnswerFromItsColumnAndNeverAStaleOne() {
    for (int i = 0; i < 300; i++) {
      g.addNode("n" + i, Set.of(i % 3 == 0 ? "P" : "Q"), Map.of("age", (long) (i % 100), "w", i * 0.5, "ok", i % 2 == 0,
          "name", "n" + i));
    }
    g.addNode("odd", Set.of("P"), Map.of("age", "not a number")); // a string: "age" gets no column
    String q = "MATCH (p:P) WHERE p.w >= 30.0 AND p.ok RETURN count(*) AS n, sum(p.w) AS w";
    long bytes = g.offHeapBytes();
    List<List<Object>> first = rows(q);
    for (int i = 0; i < 30; i++) {
      assertEquals(first, rows(q), "run " + i);
      assertEquals(List.of(List.of(89L)), rows("MATCH (p:P) WHERE p.age > 10 RETURN count(*)"), "run " + i); // multiples of 3 below 300 whose last two digits pass 10
    }
    assertTrue(g.offHeapBytes() > bytes, "a column was built: " + bytes + " -> " + g.offHeapBytes());
    long expected = 0;
    double sum = 0;
    for (int i = 0; i < 300; i += 3) {
      if (i * 0.5 >= 30.0 && i % 2 == 0) {
        expected++;
        sum += i * 0.5;
      }
    }
    assertEquals(List.of(List.of(expected, sum)), first);
    g.query("MATCH (p:P) WHERE key(p) = 'n0' SET p.w = 1000.0");
    assertEquals(List.of(List.of(expected + 1, sum + 1000.0)), rows(q), "the change is seen: it dropped the column");
  }

  /** The 2-hop count and sum of the snapshot test, through the Java API. */
  private List<Object> byHand() {
    long n = 0;
    long w = 0;
    for (Edge r : g.edges()) {
      if (!r.type().equals("A") || (Long) r.properties().get("w") >= 200) {
        continue;
      }
      for (Edge s : g.edges(r.to(), Direction.IN)) {
        if (s.id() != r.id()) {
          n++;
          w += (Long) s.properties().get("w");
        }
      }
    }
    return List.of(n, w);
  }

  @Test
  void insertIntoCopiesMatchesAndTheirEdges() {
    people();
    TempGraph analysis = s.createTempGraph("analysis_graph");
    long copied = g.insertInto(analysis, "MATCH (p:Person)-[:KNOWS]->(f:Person) RETURN p, f", Map.of());
    assertEquals(5L, copied, "Alice, Bob, Carol and the two KNOWS edges");
    assertEquals(3L, analysis.nodeCount());
    assertEquals(2L, analysis.edgeCount());
    assertEquals(List.of(List.of("Alice", "Bob")),
        analysis.query("MATCH (a {name: 'Alice'})-[:KNOWS]->(b) RETURN a.name, b.name").rows());
  }

  @Test
  void atTheOffHeapLimitAQueryThatAddsIsRefusedWholeAndOneThatRemovesRuns() {
    try (SessionEngine small = SessionEngine.builder().ticker(new FakeTicker()).maxGraphBytes(4L << 20).build()) {
      TempGraph h = small.open().createTempGraph("h");
      dev.ephemera.ResourceLimitException refused = null;
      for (int i = 0; i < 100_000 && refused == null; i++) {
        long nodes = h.nodeCount();
        try {
          h.query("UNWIND range(1, 500) AS i CREATE (:N {i: i, pad: 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'})");
        } catch (dev.ephemera.ResourceLimitException e) {
          refused = e;
          assertEquals(nodes, h.nodeCount(), "the refused query created nothing");
        }
      }
      assertNotNull(refused, "the limit was never reached");
      assertEquals("graph bytes", refused.resource());
      long before = h.nodeCount();
      h.query("MATCH (n:N) WHERE n.i <= 10 DETACH DELETE n"); // removing runs at the limit
      assertTrue(h.nodeCount() < before);
    }
  }

  @Test
  void aQueryCannotCopyIntoAnotherSessionsGraph() {
    people();
    Session victim = engine.open();
    TempGraph theirs = victim.createTempGraph("analysis_graph");
    theirs.addNode("secret", Set.of("Kept"), Map.of("v", 1L));
    assertThrows(IllegalArgumentException.class,
        () -> g.insertInto(theirs, "MATCH (p:Person) RETURN p", Map.of()));
    assertEquals(List.of("secret"), theirs.nodes());
    assertEquals(0L, theirs.edgeCount());
    assertEquals(Map.of("v", 1L), theirs.node("secret").orElseThrow().properties());
  }
}
