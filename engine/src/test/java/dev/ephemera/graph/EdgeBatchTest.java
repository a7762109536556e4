package dev.ephemera.graph;

import static org.junit.jupiter.api.Assertions.*;

import dev.ephemera.ResourceLimitException;
import dev.ephemera.Session;
import dev.ephemera.SessionEngine;
import dev.ephemera.Transaction;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A batch load leaves exactly the graph that adding its edges one by one leaves, or nothing at all. */
class EdgeBatchTest {
  SessionEngine engine = SessionEngine.builder().build();

  @AfterEach
  void close() {
    engine.close();
  }

  /** Random edges among {@code nodes} keys, a fifth of them from or to one hub (its lists span many blocks). */
  private static List<String[]> edges(SplittableRandom r, int count, int nodes) {
    List<String[]> out = new ArrayList<>();
    String[] types = {"KNOWS", "LIKES", "T"};
    for (int i = 0; i < count; i++) {
      String from = r.nextInt(5) == 0 ? "hub" : "n" + r.nextInt(nodes);
      String to = r.nextInt(5) == 0 ? "hub" : "n" + r.nextInt(nodes); // self-loops and parallel edges included
      out.add(new String[] {from, to, types[r.nextInt(types.length)]});
    }
    return out;
  }

  private static void assertSameGraph(TempGraph expected, TempGraph actual) {
    assertEquals(expected.nodeCount(), actual.nodeCount());
    assertEquals(expected.edgeCount(), actual.edgeCount());
    assertEquals(expected.nodes(), actual.nodes());
    for (String key : expected.nodes()) {
      for (Direction d : List.of(Direction.OUT, Direction.IN)) {
        assertEquals(expected.edges(key, d), actual.edges(key, d), key + " " + d); // ids, ends, types and order
      }
    }
    assertEquals(expected.traverse("hub", Traversal.bfs().maxDepth(3)), actual.traverse("hub", Traversal.bfs().maxDepth(3)));
  }

  @Test
  void aBatchLeavesTheGraphThatAddingOneByOneLeaves() {
    Session s = engine.open();
    TempGraph oneByOne = s.createTempGraph("one_by_one");
    TempGraph batched = s.createTempGraph("batched");
    SplittableRandom r = new SplittableRandom(42);
    // both start from the same edges, so the batch appends to heads part-full, full and spilled
    for (String[] e : edges(r, 700, 60)) {
      oneByOne.addEdge(e[0], e[1], e[2]);
      batched.addEdge(e[0], e[1], e[2]);
    }
    for (int round = 0; round < 3; round++) {
      EdgeBatch batch = batched.edgeBatch();
      List<String[]> more = edges(r, 1000 + round * 700, 90);
      for (String[] e : more) {
        oneByOne.addEdge(e[0], e[1], e[2]);
        assertSame(batch, batch.add(e[0], e[1], e[2]));
      }
      assertEquals(more.size(), batch.size());
      assertEquals(more.size(), batch.load());
      assertEquals(0, batch.size(), "a loaded batch is empty");
      assertSameGraph(oneByOne, batched);
    }
    assertTrue(batched.degree("hub", Direction.OUT) > 3 * 64, "the hub's list spans several blocks");
  }

  @Test
  void aBatchIntoAnEmptyGraphLeavesTheSameGraphToo() {
    Session s = engine.open();
    TempGraph oneByOne = s.createTempGraph("one_by_one");
    TempGraph batched = s.createTempGraph("batched");
    EdgeBatch batch = batched.edgeBatch();
    for (String[] e : edges(new SplittableRandom(7), 3000, 200)) {
      oneByOne.addEdge(e[0], e[1], e[2]);
      batch.add(e[0], e[1], e[2]);
    }
    assertEquals(3000, batch.load());
    assertSameGraph(oneByOne, batched);
  }

  /** "Aa" and "BB" (and every string built of them) share a hash code: the batch's key table must still tell them apart. */
  @Test
  void keysWithEqualHashCodesStayDistinctNodes() {
    String[] keys = {"AaAa", "AaBB", "BBAa", "BBBB", "Aa", "BB"};
    assertEquals(keys[0].hashCode(), keys[3].hashCode());
    Session s = engine.open();
    TempGraph oneByOne = s.createTempGraph("one_by_one");
    TempGraph batched = s.createTempGraph("batched");
    for (int round = 0; round < 2; round++) { // into an empty graph, then into one that has the keys
      EdgeBatch batch = batched.edgeBatch();
      for (int i = 0; i < keys.length; i++) {
        for (int j = 0; j < keys.length; j++) {
          String from = new String(keys[i]); // equal, not identical: found by equals, not by identity
          String to = new String(keys[(i + j) % keys.length]);
          oneByOne.addEdge(from, to, "T");
          batch.add(from, to, "T");
        }
      }
      assertEquals(keys.length * keys.length, batch.load());
      assertEquals(keys.length, batched.nodeCount());
      assertEquals(oneByOne.nodes(), batched.nodes());
      for (String key : keys) {
        for (Direction d : List.of(Direction.OUT, Direction.IN)) {
          assertEquals(oneByOne.edges(key, d), batched.edges(key, d), key + " " + d);
        }
      }
    }
  }

  /**
   * A small batch into a graph of many nodes: the loader groups the edges by the batch's own key
   * numbers, not the graph's node ids. Same graph as adding them one by one.
   */
  @Test
  void aSmallBatchIntoAGraphOfManyNodesLeavesTheSameGraph() {
    Session s = engine.open();
    TempGraph oneByOne = s.createTempGraph("one_by_one");
    TempGraph batched = s.createTempGraph("batched");
    for (int i = 0; i < 3000; i++) { // node ids 0..3000, the batch's key numbers 0..~70
      oneByOne.addEdge("hub", "n" + i, "T");
      batched.addEdge("hub", "n" + i, "T");
    }
    EdgeBatch batch = batched.edgeBatch();
    SplittableRandom r = new SplittableRandom(11);
    for (int i = 0; i < 40; i++) {
      String from = i % 4 == 0 ? "hub" : "n" + r.nextInt(3000);
      String to = i % 7 == 0 ? "new" + i : "n" + r.nextInt(3000);
      String type = i % 3 == 0 ? "A" : "T";
      oneByOne.addEdge(from, to, type);
      batch.add(from, to, type);
    }
    assertEquals(40, batch.load());
    assertSameGraph(oneByOne, batched);
  }

  /** The batch keeps no per-edge type until a second type appears: the edges before it keep the first type. */
  @Test
  void aSecondTypeAfterManyEdgesOfTheFirstKeepsEveryEdgesType() {
    Session s = engine.open();
    TempGraph oneByOne = s.createTempGraph("one_by_one");
    TempGraph batched = s.createTempGraph("batched");
    EdgeBatch batch = batched.edgeBatch();
    String[] types = new String[300];
    for (int i = 0; i < types.length; i++) {
      types[i] = i < 200 ? "FIRST" : i % 3 == 0 ? "SECOND" : i % 3 == 1 ? "FIRST" : "THIRD";
      String from = i % 17 == 0 ? "hub" : "n" + i % 17;
      oneByOne.addEdge(from, "n" + i % 5, types[i]);
      batch.add(from, "n" + i % 5, types[i]);
    }
    assertEquals(300, batch.load());
    assertSameGraph(oneByOne, batched);
    List<String> loaded = new ArrayList<>();
    for (String key : batched.nodes()) {
      batched.edges(key, Direction.OUT).forEach(e -> loaded.add(e.id() + " " + e.type()));
    }
    loaded.sort(java.util.Comparator.comparingLong(x -> Long.parseLong(x.substring(0, x.indexOf(' ')))));
    for (int i = 0; i < types.length; i++) {
      assertTrue(loaded.get(i).endsWith(" " + types[i]), "edge " + i + ": " + loaded.get(i));
    }
  }

  @Test
  void theDefaultTypeAndAnEmptyBatch() {
    TempGraph g = engine.open().createTempGraph("g");
    EdgeBatch batch = g.edgeBatch();
    assertEquals(0, batch.load());
    assertEquals(2, batch.add("a", "b").add("b", "a", "T").load());
    assertEquals(List.of(new Edge(0, "a", "b", "EDGE", java.util.Map.of())), g.edges("a", Direction.OUT));
    assertEquals(List.of("a"), g.neighbors("b", Direction.OUT, "T"));
  }

  @Test
  void badEdgesAreRefusedAtAddAndLeaveTheBatchAsItWas() {
    TempGraph g = engine.open().createTempGraph("g");
    assertThrows(IllegalArgumentException.class, () -> g.edgeBatch().add("a", "b", null), "a fresh batch checks too");
    EdgeBatch batch = g.edgeBatch().add("a", "b", "T");
    assertThrows(IllegalArgumentException.class, () -> batch.add(null, "b", "T"));
    assertThrows(IllegalArgumentException.class, () -> batch.add("a", "", "T"));
    assertThrows(IllegalArgumentException.class, () -> batch.add("a", "x".repeat(1025), "T"));
    assertThrows(IllegalArgumentException.class, () -> batch.add("a", "b", null));
    assertThrows(IllegalArgumentException.class, () -> batch.add("a", "b", "bad\ntype"));
    assertThrows(IllegalArgumentException.class, () -> batch.add("a", "k\uD800", "T"), "a lone high surrogate");
    assertThrows(IllegalArgumentException.class, () -> batch.add("\uDC00k", "a", "T"), "a lone low surrogate");
    assertThrows(IllegalArgumentException.class, () -> batch.add("new", "k\uD800", "T"), "a new good key beside a bad one");
    assertEquals(1, batch.size());
    assertEquals(1, batch.load(), "the refused edges left nothing in the batch");
    assertEquals(List.of("a", "b"), g.nodes(), "no node for a key of a refused edge");
    batch.add("c", "d");
    batch.clear();
    assertEquals(0, batch.size());
    assertEquals(0, batch.load());
    assertEquals(1, g.edgeCount());
  }

  @Test
  void aRollbackTakesABatchBack() {
    Session s = engine.open();
    TempGraph g = s.createTempGraph("g");
    g.addEdge("a", "b", "T");
    try (Transaction tx = s.begin()) {
      var sp = tx.savepoint("before");
      EdgeBatch batch = g.edgeBatch();
      for (int i = 0; i < 500; i++) {
        batch.add("a", "n" + i, "T");
      }
      assertEquals(500, batch.load());
      assertEquals(501, g.degree("a", Direction.OUT));
      tx.rollbackTo(sp);
      assertEquals(1, g.degree("a", Direction.OUT));
      assertEquals(2, g.nodeCount());
      assertTrue(g.node("n0").isEmpty());
      assertEquals(1, g.edgeBatch().add("a", "c", "T").load());
      tx.commit();
    }
    assertEquals(List.of("b", "c"), g.neighbors("a", Direction.OUT));
  }

  @Test
  void theOffHeapLimitPartWayLeavesTheGraphAsItWas() {
    engine.close();
    engine = SessionEngine.builder().maxGraphBytes(4L << 20).build();
    TempGraph g = engine.open().createTempGraph("g");
    g.addEdge("a", "b", "T");
    ResourceLimitException refused = null;
    for (int round = 0; round < 50 && refused == null; round++) {
      long nodes = g.nodeCount();
      long edges = g.edgeCount();
      assertTrue(g.offHeapBytes() < 4L << 20, "each load starts under the limit");
      EdgeBatch batch = g.edgeBatch();
      for (int i = 0; i < 50_000; i++) {
        batch.add("x" + round + "_" + i, "y" + round + "_" + i, "T"); // new nodes: the map outgrows the limit
      }
      try {
        batch.load();
      } catch (ResourceLimitException e) {
        refused = e;
        assertEquals(50_000, batch.size(), "a refused batch keeps its edges");
        assertEquals(nodes, g.nodeCount());
        assertEquals(edges, g.edgeCount());
        assertTrue(g.node("x" + round + "_0").isEmpty());
        assertTrue(g.node("y" + round + "_49999").isEmpty());
      }
    }
    assertNotNull(refused, "the limit was never reached");
    assertEquals("graph bytes", refused.resource());
    assertEquals(List.of("b"), g.neighbors("a", Direction.OUT));
    assertEquals(List.of("a"), g.neighbors("b", Direction.IN));
  }

  @Test
  void aRefusedLoadGivesBackTheMemoryItTookSoTheSessionIsNotStuck() {
    engine.close();
    engine = SessionEngine.builder().maxGraphBytes(8L << 20).build();
    Session s = engine.open();
    TempGraph g = s.createTempGraph("g");
    EdgeBatch some = g.edgeBatch();
    for (int i = 0; i < 2_000; i++) {
      some.add("a" + i, "b" + i, "T");
    }
    some.load();
    long before = g.offHeapBytes();
    EdgeBatch big = g.edgeBatch();
    for (int i = 0; i < 400_000; i++) {
      big.add("x" + i, "y" + i, "T");
    }
    assertThrows(ResourceLimitException.class, big::load);
    assertEquals(before, g.offHeapBytes(), "the refused load gave back what the map grew by");
    TempGraph other = s.createTempGraph("other"); // one more small graph and edge still fit
    other.addEdge("p", "q", "T");
    g.addEdge("a0", "c", "T");
    assertEquals(2_001, g.edgeCount());
  }

  @Test
  void theOffHeapLimitOnAnEmptyGraphLeavesItEmptyAndUsable() {
    engine.close();
    engine = SessionEngine.builder().maxGraphBytes(4L << 20).build();
    TempGraph g = engine.open().createTempGraph("g");
    EdgeBatch batch = g.edgeBatch();
    for (int i = 0; i < 200_000; i++) {
      batch.add("x" + i, "y" + i, "T");
    }
    assertThrows(ResourceLimitException.class, batch::load);
    assertEquals(0, g.nodeCount());
    assertEquals(0, g.edgeCount());
    assertEquals(List.of(), g.nodes());
    assertTrue(g.offHeapBytes() < 4L << 20, "the map is back to its first size");
    assertEquals(2, g.edgeBatch().add("a", "b").add("b", "c").load());
    assertEquals(List.of("a", "b", "c"), g.nodes());
    assertEquals(List.of("c"), g.neighbors("b", Direction.OUT));
  }

  @Test
  void aDroppedGraphsBatchCannotLoad() {
    Session s = engine.open();
    TempGraph g = s.createTempGraph("g");
    EdgeBatch batch = g.edgeBatch().add("a", "b");
    s.dropTempGraph("g");
    assertThrows(GraphNotFoundException.class, batch::load);
    assertThrows(GraphNotFoundException.class, () -> g.edgeBatch().load());
  }
}
