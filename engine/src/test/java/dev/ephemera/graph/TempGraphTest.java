package dev.ephemera.graph;

import static org.junit.jupiter.api.Assertions.*;

import dev.ephemera.FakeTicker;
import dev.ephemera.Session;
import dev.ephemera.SessionEngine;
import dev.ephemera.UnsupportedValueException;
import dev.ephemera.ValueTooLargeException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every graph operation and algorithm on small hand-made graphs with known answers. */
class TempGraphTest {
  final SessionEngine engine = SessionEngine.builder().ticker(new FakeTicker()).build();
  final Session s = engine.open();
  final TempGraph g = s.createTempGraph("g");

  @AfterEach
  void close() {
    engine.close();
  }

  private static Set<String> keys(List<Visit> visits) {
    return visits.stream().map(Visit::key).collect(Collectors.toSet());
  }

  @Test
  void createListGetAndDrop() {
    assertEquals("G", g.name());
    s.createTempGraph("other");
    assertEquals(List.of("G", "OTHER"), s.tempGraphs());
    assertSame(g, s.tempGraph("g"));
    assertThrows(GraphExistsException.class, () -> s.createTempGraph("G"));
    assertThrows(GraphNotFoundException.class, () -> s.tempGraph("missing"));
    assertThrows(dev.ephemera.InvalidNameException.class, () -> s.createTempGraph("bad name"));
    assertThrows(dev.ephemera.InvalidNameException.class, () -> s.createTempGraph(null));
    assertTrue(s.dropTempGraph("other"));
    assertFalse(s.dropTempGraph("other"));
    assertEquals(List.of("G"), s.tempGraphs());
    assertEquals(1, engine.stats().tempGraphs());
  }

  @Test
  void emptyGraph() {
    assertEquals(0, g.nodeCount());
    assertEquals(0, g.edgeCount());
    assertEquals(List.of(), g.connectedComponents());
    assertEquals(List.of(), g.nodesWithLabel("Person"));
    assertTrue(g.node("a").isEmpty());
    assertFalse(g.removeNode("a"));
    assertThrows(NodeNotFoundException.class, () -> g.neighbors("a", Direction.OUT));
    assertThrows(NodeNotFoundException.class, () -> g.traverse("a", Traversal.bfs()));
    assertThrows(NodeNotFoundException.class, () -> g.shortestPath("a", "b"));
    assertTrue(g.offHeapBytes() > 0);
  }

  @Test
  void nodesWithLabelsAndPropertiesMerge() {
    Instant t = Instant.parse("2026-11-24T10:15:30.123456789Z");
    assertTrue(g.addNode("alice", Set.of("Person"), Map.of("age", 42, "since", t, "score", new BigDecimal("1.50"))));
    assertFalse(g.addNode("alice", Set.of("Admin", "Person"), Map.of("age", 43, "tags", List.of("a", 1L))));
    Node a = g.node("alice").orElseThrow();
    assertEquals("alice", a.key());
    assertEquals(Set.of("Person", "Admin"), a.labels());
    assertEquals(43L, a.properties().get("age")); // int widened, replaced
    assertEquals(t, a.properties().get("since"));
    assertEquals(new BigDecimal("1.50"), a.properties().get("score"));
    assertEquals(List.of("a", 1L), a.properties().get("tags"));
    g.addNode("bob", Set.of("Person"), Map.of());
    assertEquals(Set.of("alice", "bob"), new HashSet<>(g.nodesWithLabel("Person")));
    assertEquals(List.of("alice"), g.nodesWithLabel("Admin"));
    assertEquals(2, g.nodeCount());
    assertTrue(g.removeNode("alice"));
    assertEquals(List.of("bob"), g.nodesWithLabel("Person"));
    assertEquals(List.of(), g.nodesWithLabel("Admin"));
    assertTrue(g.addNode("alice"));
    assertEquals(Set.of(), g.node("alice").orElseThrow().labels());
  }

  @Test
  void unicodeKeys() {
    g.addEdge("Zürich", "東京", "FLIGHT");
    g.addEdge("東京", "🚀", "FLIGHT");
    assertEquals(List.of("東京"), g.neighbors("Zürich", Direction.OUT));
    assertEquals(List.of("Zürich", "東京", "🚀"), g.shortestPath("Zürich", "🚀").orElseThrow().nodes());
    assertTrue(g.node("zürich").isEmpty()); // keys are case-sensitive
    assertEquals("🚀", g.node("\uD83D\uDE80").orElseThrow().key(), "a surrogate pair is one character");
  }

  /** Keys are stored as UTF-8, where a lone surrogate would become '?': "k\uD800" would silently be node "k?". */
  @Test
  void keysWithALoneSurrogateAreRefused() {
    g.addEdge("k?", "b", "T");
    for (String bad : List.of("k\uD800", "\uDC00", "a\uDE80b", "\uD83D\uD83D")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> g.addEdge(bad, "b", "T"));
      assertTrue(e.getMessage().contains("unpaired surrogate"), e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> g.addNode(bad, Set.of(), Map.of()));
      assertThrows(IllegalArgumentException.class, () -> g.node(bad));
    }
    assertEquals(List.of("b", "k?"), g.nodes().stream().sorted().toList());
    assertEquals(1, g.edgeCount());
    // names stored as UTF-8 are refused too; property values (any string) come back exactly
    assertThrows(IllegalArgumentException.class, () -> g.addNode("b", Set.of(), Map.of("p\uD800", 1L)));
    assertThrows(IllegalArgumentException.class, () -> g.addNode("b", Set.of("L\uDC00"), Map.of()));
    assertThrows(IllegalArgumentException.class, () -> g.addEdge("b", "k?", "T\uD800"));
    assertTrue(g.node("b").orElseThrow().properties().isEmpty());
    g.addNode("b", Set.of(), Map.of("p", "x\uD800y", "q", List.of("\uDC00")));
    assertEquals(Map.of("p", "x\uD800y", "q", List.of("\uDC00")), g.node("b").orElseThrow().properties());
  }

  @Test
  void edgesNeighborsAndDegree() {
    g.addEdge("a", "b", "KNOWS");
    g.addEdge("a", "c", "LIKES");
    g.addEdge("c", "a", "KNOWS");
    assertEquals(3, g.nodeCount());
    assertEquals(3, g.edgeCount());
    assertEquals(List.of("b", "c"), g.neighbors("a", Direction.OUT));
    assertEquals(List.of("c"), g.neighbors("a", Direction.IN));
    assertEquals(List.of("b", "c"), g.neighbors("a", Direction.BOTH)); // distinct
    assertEquals(List.of("b"), g.neighbors("a", Direction.OUT, "KNOWS"));
    assertEquals(List.of(), g.neighbors("a", Direction.OUT, "UNKNOWN_TYPE"));
    assertEquals(2, g.degree("a", Direction.OUT));
    assertEquals(1, g.degree("a", Direction.IN));
    assertEquals(3, g.degree("a", Direction.BOTH));
    assertEquals(0, g.degree("b", Direction.OUT));
    List<Edge> out = g.edges("a", Direction.OUT);
    assertEquals(List.of("b", "c"), out.stream().map(Edge::to).toList());
    assertEquals(List.of("KNOWS", "LIKES"), out.stream().map(Edge::type).toList());
  }

  @Test
  void selfLoopsCountOnceEachWay() {
    Edge loop = g.addEdge("a", "a", "SELF");
    assertEquals(1, g.nodeCount());
    assertEquals(1, g.edgeCount());
    assertEquals(1, g.degree("a", Direction.OUT));
    assertEquals(1, g.degree("a", Direction.IN));
    assertEquals(2, g.degree("a", Direction.BOTH));
    assertEquals(List.of("a"), g.neighbors("a", Direction.BOTH));
    assertEquals(2, g.edges("a", Direction.BOTH).size());
    assertEquals(List.of(new Visit("a", 0)), g.traverse("a", Traversal.bfs()));
    assertTrue(g.removeEdge(loop));
    assertEquals(0, g.edgeCount());
    g.addEdge("a", "a", "SELF");
    g.addEdge("a", "b", "X");
    assertTrue(g.removeNode("a"));
    assertEquals(0, g.edgeCount());
    assertEquals(0, g.degree("b", Direction.IN));
  }

  @Test
  void parallelEdgesAreSeparate() {
    Edge e1 = g.addEdge("a", "b", "T", Map.of("w", 1));
    Edge e2 = g.addEdge("a", "b", "T", Map.of("w", 2));
    g.addEdge("a", "b", "U");
    assertNotEquals(e1.id(), e2.id());
    assertEquals(3, g.edgeCount());
    assertEquals(3, g.degree("a", Direction.OUT));
    assertEquals(List.of("b"), g.neighbors("a", Direction.OUT));
    assertTrue(g.removeEdge(e1));
    assertFalse(g.removeEdge(e1));
    Edge left = g.edges("a", Direction.OUT).stream().filter(e -> e.type().equals("T")).findFirst().orElseThrow();
    assertEquals(e2.id(), left.id());
    assertEquals(Map.of("w", 2L), left.properties());
    assertEquals(2, g.edgeCount());
    assertEquals(1, g.removeEdges("a", "b", "T"));
    assertEquals(1, g.removeEdges("a", "b", null));
    assertEquals(0, g.edgeCount());
    assertEquals(0, g.degree("b", Direction.IN));
    assertThrows(NodeNotFoundException.class, () -> g.removeEdges("a", "zzz", null));
  }

  @Test
  void removeNodeRemovesItsEdgesOnBothSides() {
    g.addEdge("a", "b", "T");
    g.addEdge("b", "c", "T");
    g.addEdge("c", "b", "T");
    g.addEdge("b", "b", "T");
    assertTrue(g.removeNode("b"));
    assertEquals(2, g.nodeCount());
    assertEquals(0, g.edgeCount());
    assertEquals(0, g.degree("a", Direction.BOTH));
    assertEquals(0, g.degree("c", Direction.BOTH));
    assertTrue(g.node("b").isEmpty());
    assertThrows(NodeNotFoundException.class, () -> g.degree("b", Direction.OUT));
  }

  @Test
  void hubAcrossManyBlocks() {
    int n = 1000; // many adjacency blocks
    for (int i = 0; i < n; i++) {
      g.addEdge("hub", "n" + i, "T");
    }
    assertEquals(n, g.degree("hub", Direction.OUT));
    assertEquals(n, g.neighbors("hub", Direction.OUT).size());
    assertEquals(n + 1, g.reachCount("hub", Traversal.bfs()));
    for (int i = 0; i < n; i += 3) { // removals from full blocks and the head
      assertTrue(g.removeNode("n" + i));
    }
    int left = n - (n + 2) / 3;
    assertEquals(left, g.degree("hub", Direction.OUT));
    Set<String> expected = new HashSet<>();
    for (int i = 0; i < n; i++) {
      if (i % 3 != 0) {
        expected.add("n" + i);
      }
    }
    assertEquals(expected, new HashSet<>(g.neighbors("hub", Direction.OUT)));
    assertEquals(left, g.edgeCount());
  }

  @Test
  void traversalDepthsDirectionsAndTypes() {
    // a -> b -> c -> d, a -> e (OTHER), f -> a
    g.addEdge("a", "b", "T");
    g.addEdge("b", "c", "T");
    g.addEdge("c", "d", "T");
    g.addEdge("a", "e", "OTHER");
    g.addEdge("f", "a", "T");
    List<Visit> all = g.traverse("a", Traversal.bfs());
    assertEquals(new Visit("a", 0), all.get(0));
    assertEquals(Set.of(new Visit("a", 0), new Visit("b", 1), new Visit("e", 1), new Visit("c", 2), new Visit("d", 3)),
        new HashSet<>(all));
    assertEquals(Set.of("a", "b", "e", "c"), keys(g.traverse("a", Traversal.bfs().maxDepth(2))));
    assertEquals(List.of(new Visit("a", 0)), g.traverse("a", Traversal.bfs().maxDepth(0)));
    assertEquals(Set.of("a", "b", "c", "d"), keys(g.traverse("a", Traversal.bfs().edgeTypes("T"))));
    assertEquals(Set.of("a", "f"), keys(g.traverse("a", Traversal.bfs().direction(Direction.IN))));
    assertEquals(Set.of("a", "b", "e", "f"), keys(g.traverse("a", Traversal.bfs().direction(Direction.BOTH).maxDepth(1))));
    assertEquals(5, g.reachCount("a", Traversal.bfs()));
    assertThrows(IllegalArgumentException.class, () -> Traversal.bfs().maxDepth(-1));
  }

  @Test
  void shortestPathByHops() {
    g.addEdge("a", "b", "T");
    g.addEdge("b", "c", "T");
    g.addEdge("c", "d", "T");
    g.addEdge("a", "x", "T");
    g.addEdge("x", "d", "T");
    Path p = g.shortestPath("a", "d").orElseThrow();
    assertEquals(List.of("a", "x", "d"), p.nodes());
    assertEquals(2, p.hops());
    assertEquals(2.0, p.cost());
    assertEquals(List.of("a"), g.shortestPath("a", "a").orElseThrow().nodes());
    assertTrue(g.shortestPath("d", "a").isEmpty()); // edges are directed
    g.addNode("island");
    assertTrue(g.shortestPath("a", "island").isEmpty());
    assertThrows(NodeNotFoundException.class, () -> g.shortestPath("a", "nowhere"));
  }

  @Test
  void weightedShortestPathAndBadWeights() {
    g.addEdge("a", "b", "R", Map.of("km", 1));
    g.addEdge("b", "c", "R", Map.of("km", 1.5));
    g.addEdge("a", "c", "R", Map.of("km", 5));
    g.addEdge("c", "d", "R", Map.of("km", new BigDecimal("0.25")));
    Path p = g.shortestPath("a", "d", "km").orElseThrow();
    assertEquals(List.of("a", "b", "c", "d"), p.nodes());
    assertEquals(2.75, p.cost(), 1e-9);
    assertEquals(List.of("a", "c", "d"), g.shortestPath("a", "d").orElseThrow().nodes());

    g.addEdge("d", "e", "R", Map.of("km", -1));
    IllegalArgumentException neg = assertThrows(IllegalArgumentException.class, () -> g.shortestPath("a", "e", "km"));
    assertTrue(neg.getMessage().contains("-1.0"), neg.getMessage());
    g.addEdge("e", "f", "R", Map.of("km", "far"));
    g.addEdge("d", "f", "R");
    assertThrows(IllegalArgumentException.class, () -> g.shortestPath("d", "f", "km"));
  }

  @Test
  void weaklyConnectedComponents() {
    g.addEdge("a", "b", "T");
    g.addEdge("c", "b", "T"); // direction ignored
    g.addEdge("x", "y", "T");
    g.addNode("lonely");
    List<Set<String>> cc = g.connectedComponents();
    assertEquals(List.of(Set.of("a", "b", "c"), Set.of("x", "y"), Set.of("lonely")), cc);
  }

  @Test
  void badInputIsRefusedAndChangesNothing() {
    g.addEdge("a", "b", "T");
    assertThrows(IllegalArgumentException.class, () -> g.addEdge(null, "b", "T"));
    assertThrows(IllegalArgumentException.class, () -> g.addEdge("", "b", "T"));
    assertThrows(IllegalArgumentException.class, () -> g.addEdge("x".repeat(1025), "b", "T"));
    assertThrows(IllegalArgumentException.class, () -> g.addEdge("a", "b", "BAD\nTYPE"));
    assertThrows(IllegalArgumentException.class, () -> g.addEdge("a", "b", null));
    assertThrows(IllegalArgumentException.class, () -> g.addNode("c", Set.of(""), Map.of()));
    assertThrows(UnsupportedValueException.class, () -> g.addNode("c", Set.of(), Map.of("p", new Object())));
    assertThrows(UnsupportedValueException.class, () -> g.addEdge("c", "d", "T", Map.of("p", new StringBuilder())));
    assertThrows(ValueTooLargeException.class, () -> g.addNode("c", Set.of(), Map.of("p", "x".repeat(20_000))));
    assertThrows(ValueTooLargeException.class, () -> g.addEdge("c", "d", "T", Map.of("p", new byte[20_000])));
    assertEquals(2, g.nodeCount());
    assertEquals(1, g.edgeCount());
    assertTrue(g.node("c").isEmpty());
    assertTrue(g.addNode("c", Set.of(), Map.of("p", "x".repeat(16_000)))); // under 16 KiB fits
    assertEquals(16_000, ((String) g.node("c").orElseThrow().properties().get("p")).length());
  }

  @Test
  void concurrentWritersOnOneGraphLoseNothing() throws Exception {
    Thread[] writers = new Thread[2];
    for (int t = 0; t < writers.length; t++) {
      int id = t;
      writers[t] = new Thread(() -> {
        for (int i = 0; i < 3_000; i++) {
          g.addEdge("hub", "w" + id + "-" + i, "T");
        }
      });
      writers[t].start();
    }
    for (Thread w : writers) {
      w.join();
    }
    assertEquals(6_000, g.edgeCount());
    assertEquals(6_001, g.nodeCount());
    assertEquals(6_000, g.degree("hub", Direction.OUT));
    assertEquals(6_000, new HashSet<>(g.neighbors("hub", Direction.OUT)).size());
  }

  @Test
  void graphsGrowPastTheirInitialSize() {
    TempGraph big = s.createTempGraph("big"); // sized for a small graph
    long before = big.offHeapBytes();
    for (int i = 0; i < 60_000; i++) {
      big.addEdge("n" + i, "n" + ((i * 7919) % 60_000), "T");
    }
    assertEquals(60_000, big.nodeCount());
    assertEquals(60_000, big.edgeCount());
    assertTrue(big.offHeapBytes() > before);
    assertEquals(List.of("n" + 7919), big.neighbors("n1", Direction.OUT));
  }

  @Test
  void nodesAndEdgesListTheWholeGraphInCreationOrder() {
    g.addEdge("b", "c", "T");
    g.addEdge("a", "b", "U", Map.of("w", 2));
    g.addNode("z");
    g.removeNode("c");
    assertEquals(List.of("b", "a", "z"), g.nodes());
    assertEquals(List.of("a"), g.edges().stream().map(Edge::from).toList());
    Edge e = g.edges().get(0);
    assertEquals(List.of("a", "b", "U", Map.of("w", 2L)), List.of(e.from(), e.to(), e.type(), e.properties()));
  }

  @Test
  void loadNodesAddsOrMergesAndIsAllOrNothingForBadRows() {
    s.createTempTable("people", "id VARCHAR, kind VARCHAR");
    s.execute("INSERT INTO people VALUES ('ann', 'PERSON'), ('bob', NULL), ('ann', 'ADMIN')");
    assertEquals(3, g.loadNodes("SELECT id, kind FROM people"));
    assertEquals(Set.of("PERSON", "ADMIN"), g.node("ann").orElseThrow().labels());
    assertEquals(Set.of(), g.node("bob").orElseThrow().labels());
    assertEquals(1, g.loadNodes("SELECT ? ", "carl"));
    assertEquals(3, g.nodeCount());

    s.execute("INSERT INTO people VALUES (NULL, 'X')");
    IllegalArgumentException nullKey = assertThrows(IllegalArgumentException.class,
        () -> g.loadNodes("SELECT id, kind FROM people"));
    assertTrue(nullKey.getMessage().contains("row 4"), nullKey.getMessage());
    assertThrows(IllegalArgumentException.class, () -> g.loadNodes("SELECT 'dora', ''"));
    assertThrows(IllegalArgumentException.class, () -> g.loadNodes("SELECT 1, 2, 3"));
    assertThrows(dev.ephemera.SqlException.class, () -> g.loadNodes("SELECT nope FROM nowhere"));
    assertEquals(3, g.nodeCount());
    assertTrue(g.node("dora").isEmpty());
  }
}
