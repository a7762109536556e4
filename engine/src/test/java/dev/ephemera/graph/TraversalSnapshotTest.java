package dev.ephemera.graph;

import static org.junit.jupiter.api.Assertions.*;

import dev.ephemera.Session;
import dev.ephemera.SessionEngine;
import dev.ephemera.Transaction;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Repeated traversals switch to an off-heap CSR snapshot of the adjacency: they must give exactly
 * what the map gives (same visits, same order), and every change, rollback and drop must discard
 * it and free its memory.
 */
class TraversalSnapshotTest {
  static final int NODES = 2_000;
  static final int EDGES = 12_000;
  static final String[] TYPES = {"A", "B", "C"};

  final SessionEngine engine = SessionEngine.builder().build();
  final Session session = engine.open();

  @AfterEach
  void close() {
    engine.close();
  }

  TempGraph randomGraph() {
    TempGraph g = session.createTempGraph("g", NODES, EDGES);
    Random r = new Random(11);
    for (int i = 0; i < EDGES; i++) {
      int a = r.nextInt(NODES);
      int b = i < 300 ? 0 : r.nextInt(NODES); // node 0 is a hub: its lists spill into full blocks
      g.addEdge("n" + a, "n" + b, TYPES[r.nextInt(TYPES.length)]);
    }
    return g;
  }

  static List<Traversal> queries() {
    List<Traversal> q = new ArrayList<>();
    for (Direction d : Direction.values()) {
      q.add(Traversal.bfs().maxDepth(3).direction(d));
      q.add(Traversal.bfs().maxDepth(2).direction(d).edgeTypes("A", "C"));
    }
    return q;
  }

  /** Every query's answer; {@code fromMap}: each right after a change, so that none can use a snapshot. */
  List<List<Visit>> answers(TempGraph g, boolean fromMap) {
    List<List<Visit>> out = new ArrayList<>();
    for (Traversal t : queries()) {
      for (String start : List.of("n0", "n1", "n17", "n1999")) {
        if (fromMap) {
          g.addNode("n1999", java.util.Set.of(), java.util.Map.of()); // a write: drops any snapshot
        }
        out.add(g.traverse(start, t));
      }
    }
    return out;
  }

  /** Traverses until the snapshots are built (the map's off-heap bytes stop being the whole). */
  static void warm(TempGraph g) {
    g.addNode("n1999", java.util.Set.of(), java.util.Map.of()); // start without one
    long before = g.offHeapBytes();
    for (int i = 0; i < 2_000 && g.offHeapBytes() == before; i++) {
      for (Direction d : Direction.values()) {
        g.reachCount("n" + (i % NODES), Traversal.bfs().maxDepth(2).direction(d));
      }
    }
    assertTrue(g.offHeapBytes() > before, "repeated traversals built a snapshot");
  }

  @Test
  void aSnapshotGivesExactlyWhatTheMapGives() {
    TempGraph g = randomGraph();
    List<List<Visit>> fromMap = answers(g, true);
    warm(g);
    long withSnapshots = g.offHeapBytes();
    assertEquals(fromMap, answers(g, false));
    assertEquals(withSnapshots, g.offHeapBytes(), "the answers came from the snapshots");
    for (int i = 0; i < 50; i++) {
      Traversal t = Traversal.bfs().maxDepth(4).direction(Direction.BOTH);
      assertEquals(g.traverse("n" + i, t).size(), g.reachCount("n" + i, t));
    }
  }

  @Test
  void aChangeDropsTheSnapshotAndTheNextTraversalSeesIt() {
    TempGraph g = randomGraph();
    warm(g);
    long withSnapshot = g.offHeapBytes();
    g.addEdge("n1", "fresh", "A");
    assertTrue(g.offHeapBytes() < withSnapshot, "the snapshot's memory was freed");
    assertTrue(g.traverse("n1", Traversal.bfs().maxDepth(1)).stream().anyMatch(v -> v.key().equals("fresh")));
    warm(g);
    assertTrue(g.traverse("n1", Traversal.bfs().maxDepth(1)).stream().anyMatch(v -> v.key().equals("fresh")));
    g.removeNode("fresh");
    assertFalse(g.traverse("n1", Traversal.bfs().maxDepth(1)).stream().anyMatch(v -> v.key().equals("fresh")));
  }

  @Test
  void aRollbackDropsASnapshotThatHeldTheRolledBackEdges() {
    TempGraph g = randomGraph();
    try (Transaction tx = session.begin()) {
      g.addEdge("n1", "temporary", "A");
      warm(g);
      assertTrue(g.traverse("n1", Traversal.bfs().maxDepth(1)).stream().anyMatch(v -> v.key().equals("temporary")));
      tx.rollback();
    }
    assertFalse(g.traverse("n1", Traversal.bfs().maxDepth(1)).stream().anyMatch(v -> v.key().equals("temporary")));
  }

  @Test
  void droppingTheGraphFreesItsSnapshots() {
    TempGraph g = randomGraph();
    warm(g);
    assertTrue(engine.stats().graphOffHeapBytes() > 0);
    session.dropTempGraph("g");
    assertEquals(0, engine.stats().graphOffHeapBytes());
    assertEquals(0, engine.stats().tempGraphs());
  }

  @Test
  void noSnapshotIsBuiltPastTheSessionsGraphBudgetAndTraversalsStayCorrect() {
    long graphBytes;
    try (SessionEngine measure = SessionEngine.builder().build()) {
      TempGraph g = measure.open().createTempGraph("g");
      g.addEdge("a", "b", "A");
      graphBytes = g.offHeapBytes();
    }
    // room for the graph and a few bytes more: a snapshot (28 bytes here) does not fit
    try (SessionEngine small = SessionEngine.builder().maxGraphBytes(graphBytes + 8).build()) {
      TempGraph g = small.open().createTempGraph("g");
      g.addEdge("a", "b", "A");
      assertEquals(graphBytes, g.offHeapBytes());
      for (int i = 0; i < 500; i++) {
        assertEquals(2, g.reachCount("a", Traversal.bfs()));
      }
      assertEquals(graphBytes, g.offHeapBytes(), "no snapshot: it would not fit the budget");
    }
    try (SessionEngine roomy = SessionEngine.builder().maxGraphBytes(graphBytes + 1024).build()) {
      TempGraph g = roomy.open().createTempGraph("g");
      g.addEdge("a", "b", "A");
      for (int i = 0; i < 500; i++) {
        assertEquals(2, g.reachCount("a", Traversal.bfs()));
      }
      assertTrue(g.offHeapBytes() > graphBytes, "with room, the snapshot is built");
    }
  }
}
