package dev.ephemera.graph;

import static org.junit.jupiter.api.Assertions.*;

import dev.ephemera.FakeTicker;
import dev.ephemera.Session;
import dev.ephemera.SessionEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A bounded, seeded fuzz of {@link TempGraph#query}, like the SQL dialect's: queries made by
 * cutting, splicing and mutating valid ones, and random tokens. Every query either runs or
 * throws a {@link GraphQueryException} (never another exception), and a query that throws leaves
 * the graph exactly as it was. The seed is printed on failure; rerun with {@code -Dfuzz.seed=N};
 * the build runs {@value #DEFAULT_ROUNDS} queries, {@code -Dfuzz.rounds=1000000} is the full run.
 */
class GraphQueryFuzzTest {
  private static final int DEFAULT_ROUNDS = 3000;
  private static final int ROUNDS = Integer.getInteger("fuzz.rounds", DEFAULT_ROUNDS);
  private static final String[] VALID = {
      "MATCH (p:Person) WHERE p.age > 30 RETURN p.name ORDER BY p.name",
      "MATCH (a)-[r:KNOWS*1..3]->(b) RETURN a, r, b LIMIT 5",
      "MATCH p = (a:Person)-[:KNOWS]-(b) RETURN p, length(p)",
      "CREATE (:Person {name: 'Zed', age: 9})-[:KNOWS {w: 1.5}]->(:Robot)",
      "MERGE (x:Person {name: 'Ann'}) ON CREATE SET x.age = 1 ON MATCH SET x.age = x.age + 1 RETURN x",
      "MATCH (p:Person {name: 'Bob'}) SET p += {city: 'Oslo'}, p:Admin REMOVE p.age",
      "MATCH (p:Person) WITH p.age AS age, count(*) AS n WHERE n > 0 RETURN age, n ORDER BY age DESC SKIP 1",
      "UNWIND [1, 2.5, 'x', null, [1], {a: 1}] AS v RETURN v, toString(v), v IS NULL",
      "RETURN [x IN range(1, 10) WHERE x % 2 = 0 | x * x] AS l, reduce(s = 0, y IN [1, 2] | s + y)",
      "MATCH (n) WHERE key(n) = 'a' OPTIONAL MATCH (n)-->(m) RETURN n, collect(m)",
      "MATCH (n:Robot) DETACH DELETE n",
      "RETURN CASE WHEN 1 < 2 THEN 'a' ELSE 'b' END, 2 ^ 10, -9223372036854775808, 0x1F, 'a\\u00e9'",
      "MATCH (a), (b) WHERE id(a) = 0 AND id(b) = 1 RETURN shortestPath((a)-[*]-(b))",
      "RETURN 1 AS x UNION ALL RETURN 2 AS x",
      "EXPLAIN MATCH (p:Person)-[:KNOWS]->(q) RETURN q",
      "PROFILE MATCH (p:Person) RETURN count(p)"};
  private static final String[] TOKENS = {
      "(", ")", "[", "]", "{", "}", "-", "->", "<-", "--", ":", ",", ".", "..", "*", "|", "=", "<>", "+", "/", "%", "^",
      "'", "\"", "`", "$", "$1", "\\", "MATCH", "RETURN", "WITH", "WHERE", "CREATE", "DELETE", "DETACH", "MERGE", "SET",
      "UNWIND", "AS", "ORDER BY", "LIMIT", "SKIP", "NULL", "count(*)", "n", "p", "x", "1", "-1", "0.5", "1e999",
      "99999999999999999999", "\u0000", "\ud800", "\n", "/*", "//", "exists(", "size(", "n.age", ":Person", "*1..",
      "shortestPath(", "[x IN", "CASE", "END", "toInteger(", "1/0", "DISTINCT"};

  private final long seed = Long.getLong("fuzz.seed", 20261206L);
  private final SplittableRandom random = new SplittableRandom(seed);
  private final SessionEngine engine = SessionEngine.builder().ticker(new FakeTicker()).build();
  private final Session s = engine.open();
  private final TempGraph g = s.createTempGraph("g");

  @AfterEach
  void close() {
    engine.close();
  }

  private String query() {
    String base = VALID[random.nextInt(VALID.length)];
    switch (random.nextInt(5)) {
      case 0: // cut
        return base.substring(0, random.nextInt(base.length() + 1));
      case 1: { // splice two valid queries
        String other = VALID[random.nextInt(VALID.length)];
        return base.substring(0, random.nextInt(base.length() + 1)) + other.substring(random.nextInt(other.length() + 1));
      }
      case 2: { // insert tokens
        StringBuilder b = new StringBuilder(base);
        for (int i = random.nextInt(1, 4); i > 0; i--) {
          b.insert(random.nextInt(b.length() + 1), " " + TOKENS[random.nextInt(TOKENS.length)] + " ");
        }
        return b.toString();
      }
      case 3: { // delete a span
        int from = random.nextInt(base.length());
        int to = Math.min(base.length(), from + random.nextInt(1, 12));
        return base.substring(0, from) + base.substring(to);
      }
      default: { // random tokens
        StringBuilder b = new StringBuilder();
        for (int i = random.nextInt(1, 15); i > 0; i--) {
          b.append(TOKENS[random.nextInt(TOKENS.length)]).append(random.nextBoolean() ? " " : "");
        }
        return b.toString();
      }
    }
  }

  /** The whole graph, as the Java API sees it. */
  private List<Object> snapshot() {
    List<Object> out = new ArrayList<>();
    for (String k : g.nodes()) {
      out.add(g.node(k).orElseThrow());
    }
    out.addAll(g.edges());
    return out;
  }

  @Test
  void everyQueryRunsOrFailsTypedAndAFailureChangesNothing() {
    g.query("CREATE (a:Person {name: 'Bob', age: 40}), (b:Person {name: 'Ann', age: 20}), (a)-[:KNOWS]->(b),"
        + " (b)-[:KNOWS]->(:Robot {name: 'R2'})");
    int failed = 0;
    for (int round = 0; round < ROUNDS; round++) {
      String q = query();
      if (g.nodeCount() > 200) {
        g.query("MATCH (n) DETACH DELETE n");
        g.query("CREATE (a:Person {name: 'Bob', age: 40}), (b:Person {name: 'Ann', age: 20}), (a)-[:KNOWS]->(b)");
      }
      List<Object> before = snapshot();
      try {
        g.query(q, Map.of("1", 1L));
      } catch (GraphQueryException e) {
        failed++;
        assertNotNull(e.kind());
        assertFalse(e.getMessage().contains("internal error"), "seed " + seed + ", query: " + q + ": " + e.getMessage());
        assertEquals(before, snapshot(), "a failed query changed the graph; seed " + seed + ", query: " + q);
      } catch (RuntimeException | StackOverflowError e) {
        fail("seed " + seed + ", round " + round + ": " + e + " for query: " + q, e);
      }
    }
    assertTrue(failed > ROUNDS / 10, "the fuzz should make invalid queries too: " + failed + " of " + ROUNDS);
  }
}
