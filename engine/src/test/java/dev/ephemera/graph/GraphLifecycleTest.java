package dev.ephemera.graph;

import static org.junit.jupiter.api.Assertions.*;

import dev.ephemera.FakeTicker;
import dev.ephemera.ResourceLimitException;
import dev.ephemera.Savepoint;
import dev.ephemera.Session;
import dev.ephemera.SessionClosedException;
import dev.ephemera.SessionEngine;
import dev.ephemera.SessionState;
import dev.ephemera.SqlException;
import dev.ephemera.Transaction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Graphs are private to their session, freed however it ends, undone with its transactions,
 * limited in size, loaded from and exported to SQL, and leave no off-heap memory behind.
 */
class GraphLifecycleTest {
  final FakeTicker ticker = new FakeTicker();
  SessionEngine engine = SessionEngine.builder().ticker(ticker).idleTimeout(Duration.ofMinutes(5)).build();

  @AfterEach
  void close() {
    engine.close();
  }

  @Test
  void graphsOfOneSessionAreUnreachableFromAnother() {
    Session a = engine.open();
    Session b = engine.open();
    a.createTempGraph("shared_name").addEdge("x", "y", "T");
    assertEquals(List.of(), b.tempGraphs());
    assertThrows(GraphNotFoundException.class, () -> b.tempGraph("shared_name"));
    TempGraph mine = b.createTempGraph("shared_name"); // its own, empty
    assertEquals(0, mine.nodeCount());
    assertEquals(1, a.tempGraph("shared_name").edgeCount());
    assertEquals(List.of(), a.fork().tempGraphs());
  }

  private void assertFreedBy(Consumer<Session> ending) {
    Session s = engine.open();
    TempGraph g = s.createTempGraph("g");
    g.addEdge("a", "b", "T");
    assertEquals(1, engine.stats().tempGraphs());
    assertTrue(engine.stats().graphOffHeapBytes() > 0);
    ending.accept(s);
    assertEquals(0, engine.stats().tempGraphs());
    assertEquals(0, engine.stats().graphOffHeapBytes());
    assertThrows(SessionClosedException.class, g::nodeCount);
    assertThrows(SessionClosedException.class, () -> g.addEdge("c", "d", "T"));
  }

  @Test
  void droppingFreesTheGraphAndKillsTheHandle() {
    Session s = engine.open();
    TempGraph g = s.createTempGraph("g");
    g.addEdge("a", "b", "T");
    assertTrue(s.dropTempGraph("G"));
    assertEquals(0, engine.stats().tempGraphs());
    assertThrows(GraphNotFoundException.class, g::nodeCount);
    assertThrows(GraphNotFoundException.class, () -> g.addEdge("a", "b", "T"));
  }

  @Test
  void closingFreesGraphs() {
    assertFreedBy(Session::close);
  }

  @Test
  void killFreesGraphs() {
    assertFreedBy(s -> engine.kill(s.id()));
  }

  @Test
  void expiryFreesGraphs() {
    assertFreedBy(s -> {
      ticker.advance(Duration.ofMinutes(6));
      engine.runMaintenance();
      assertEquals(SessionState.EXPIRED, s.state());
    });
  }

  @Test
  void engineCloseFreesGraphs() {
    Session s = engine.open();
    TempGraph g = s.createTempGraph("g");
    g.addEdge("a", "b", "T");
    Session t = engine.open();
    try (Transaction tx = t.begin()) { // also with a transaction open
      t.createTempGraph("h").addEdge("a", "b", "T");
      engine.close();
      assertFalse(tx.isActive());
    }
    assertEquals(0, engine.stats().tempGraphs());
    assertThrows(SessionClosedException.class, g::nodeCount);
  }

  @Test
  void rollbackUndoesGraphEditsWithRowsAndVariables() {
    Session s = engine.open();
    s.createTempTable("t", "a INT");
    TempGraph g = s.createTempGraph("g");
    g.addEdge("a", "b", "T");
    try (Transaction tx = s.begin()) {
      g.addEdge("b", "c", "T");
      s.set("v", 1);
      s.execute("INSERT INTO t VALUES (1)");
      Savepoint sp = tx.savepoint("sp");
      g.addEdge("c", "d", "T");
      g.removeNode("a");
      g.addNode("b", Set.of("L"), Map.of("p", 1));
      s.set("v", 2);
      s.execute("INSERT INTO t VALUES (2)");
      tx.rollbackTo(sp);
      assertEquals(Set.of("a", "b", "c"), new HashSet<>(g.traverse("a", Traversal.bfs()).stream().map(Visit::key).toList()));
      assertEquals(3, g.nodeCount());
      assertEquals(2, g.edgeCount());
      assertTrue(g.node("d").isEmpty());
      assertEquals(Set.of(), g.node("b").orElseThrow().labels());
      assertEquals(List.of(), g.nodesWithLabel("L"));
      assertEquals(1L, s.get("v"));
      assertEquals(1L, s.query("SELECT COUNT(*) FROM t").single());
      g.addEdge("c", "e", "T"); // usable after a partial rollback
      tx.rollback();
    }
    assertEquals(2, g.nodeCount());
    assertEquals(1, g.edgeCount());
    assertEquals(List.of("b"), g.neighbors("a", Direction.OUT));
    assertNull(s.get("v"));
    assertEquals(0L, s.query("SELECT COUNT(*) FROM t").single());
  }

  @Test
  void commitKeepsEditsAndCreateOrDropIsNotTransactional() {
    Session s = engine.open();
    TempGraph g = s.createTempGraph("g");
    try (Transaction tx = s.begin()) {
      g.addEdge("a", "b", "T");
      tx.commit();
    }
    assertEquals(1, g.edgeCount());
    try (Transaction tx = s.begin()) {
      TempGraph h = s.createTempGraph("h");
      h.addEdge("x", "y", "T");
      g.addEdge("b", "c", "T");
      assertTrue(s.dropTempGraph("g")); // its journaled edits have nothing to put back into
      tx.rollback();
      assertEquals(0, h.edgeCount()); // the edit is undone, the graph stays
    }
    assertEquals(List.of("H"), s.tempGraphs());
  }

  @Test
  void offHeapLimitRefusesChangesAndLeavesTheGraphUnchanged() {
    engine.close();
    engine = SessionEngine.builder().ticker(ticker).maxGraphBytes(4L << 20).build();
    Session s = engine.open();
    TempGraph g = s.createTempGraph("g");
    ResourceLimitException refused = null;
    for (int i = 0; i < 1_000_000 && refused == null; i++) {
      long nodes = g.nodeCount();
      long edges = g.edgeCount();
      try {
        g.addEdge("node-" + i, "node-" + (i + 1), "T");
      } catch (ResourceLimitException e) {
        refused = e;
        assertEquals(nodes, g.nodeCount());
        assertEquals(edges, g.edgeCount());
        assertTrue(g.node("node-" + (i + 1)).isEmpty());
      }
    }
    assertNotNull(refused, "the limit was never reached");
    assertEquals("graph bytes", refused.resource());
    assertEquals(4L << 20, refused.limit());
    assertThrows(ResourceLimitException.class, () -> s.createTempGraph("another"));
    assertThrows(ResourceLimitException.class, () -> g.addNode("more"));
    g.removeNode("node-0"); // removing is allowed at the limit
    s.dropTempGraph("g");
    s.createTempGraph("fresh").addEdge("a", "b", "T"); // space is back
  }

  @Test
  void loadEdgesFromAQueryAllOrNothing() {
    Session s = engine.open();
    s.createTempTable("e", "src VARCHAR, dst VARCHAR, typ VARCHAR");
    s.execute("INSERT INTO e VALUES ('a', 'b', 'KNOWS'), ('b', 'c', 'KNOWS'), ('a', 'c', 'LIKES')");
    TempGraph g = s.createTempGraph("g");
    assertEquals(3, g.loadEdges("SELECT src, dst, typ FROM e"));
    assertEquals(3, g.nodeCount());
    assertEquals(List.of("b"), g.neighbors("a", Direction.OUT, "KNOWS"));
    assertEquals(1, g.loadEdges("SELECT src, dst FROM e WHERE typ = ?", "LIKES"));
    assertEquals(List.of("c"), g.neighbors("a", Direction.OUT, "EDGE"));

    s.execute("INSERT INTO e VALUES ('x', 'y', 'T'), ('y', NULL, 'T')");
    IllegalArgumentException nul = assertThrows(IllegalArgumentException.class,
        () -> g.loadEdges("SELECT src, dst, typ FROM e ORDER BY src DESC"));
    assertTrue(nul.getMessage().contains("null target"), nul.getMessage());
    assertEquals(3, g.nodeCount()); // x and y, added before the bad row, are gone again
    assertEquals(4, g.edgeCount());
    assertTrue(g.node("x").isEmpty());
    assertThrows(IllegalArgumentException.class, () -> g.loadEdges("SELECT src FROM e"));
    assertThrows(SqlException.class, () -> g.loadEdges("SELECT nope FROM e"));
    assertEquals(4, g.edgeCount());
    Edge later = g.addEdge("a", "z", "T"); // ids stay consistent after a failed load
    assertTrue(g.removeEdge(later));
  }

  @Test
  void exportEdgesWritesATempTable() {
    Session s = engine.open();
    TempGraph g = s.createTempGraph("g");
    g.addEdge("a", "b", "KNOWS");
    g.addEdge("b", "c", "LIKES");
    g.addEdge("c", "c", "SELF");
    assertEquals(3, g.exportEdges("graph_out"));
    assertTrue(s.tempTables().contains("GRAPH_OUT"));
    assertEquals(List.of(List.of("a", "b", "KNOWS"), List.of("b", "c", "LIKES"), List.of("c", "c", "SELF")),
        s.query("SELECT source, target, type FROM graph_out ORDER BY source").rows());
    assertThrows(dev.ephemera.InvalidNameException.class, () -> g.exportEdges("x; DROP TABLE y"));
  }

  private static long rssBytes() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    throw new IllegalStateException("no VmRSS");
  }

  /**
   * The resident memory that is not the Java heap: RSS less the heap's committed size, so that the
   * heap growing for other reasons (earlier tests in this JVM, a GC's sizing) is not counted as
   * off-heap memory the graphs kept.
   */
  private static long offHeapRss() throws IOException {
    return rssBytes() - Runtime.getRuntime().totalMemory();
  }

  /** {@code n} graphs created, filled a little and dropped (every other one by closing its session); the bytes they reserved. */
  private long cycles(Session s, int n) {
    long allocated = 0;
    for (int i = 0; i < n; i++) {
      TempGraph g = s.createTempGraph("g", 2_000, 2_000);
      for (int j = 0; j < 100; j++) {
        g.addEdge("k" + j, "k" + (j + 1), "T");
      }
      allocated += g.offHeapBytes();
      if (i % 2 == 0) {
        s.dropTempGraph("g");
      } else {
        s.close(); // the other way back
        s = engine.open();
      }
    }
    s.close();
    return allocated;
  }

  @Test
  void graphCreateDropCyclesReturnTheOffHeapMemory() throws IOException {
    Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "needs Linux /proc for the RSS");
    Session s = engine.open();
    long perGraph = 0;
    for (int i = 0; i < 50; i++) { // warm up: JIT, heap, H2 untouched
      TempGraph g = s.createTempGraph("g", 2_000, 2_000);
      perGraph = g.offHeapBytes();
      s.dropTempGraph("g");
    }
    s.close();
    // Rounds of 1,000 cycles after an unmeasured first one: freed native memory stays in the
    // allocator's arenas, and other tests in this JVM move the RSS now and then (JIT, metaspace,
    // thread stacks: 3.7 MB in a round run alone, 37 MB once in a full build, 175 MB once in a first
    // round). A leak grows it in every round (a planted one, each graph of a round kept: 141 MB), so
    // the round that grew least is held to an eighth of what the round reserved.
    cycles(engine.open(), 1_000);
    long least = Long.MAX_VALUE;
    long allocated = 0;
    java.util.List<Long> rounds = new java.util.ArrayList<>();
    for (int round = 0; round < 3; round++) {
      long before = offHeapRss();
      allocated = cycles(engine.open(), 1_000);
      long grown = offHeapRss() - before;
      rounds.add(grown);
      least = Math.min(least, grown);
    }
    assertTrue(perGraph > 256 * 1024, "each graph should reserve a visible amount: " + perGraph);
    assertTrue(least < allocated / 8, "RSS grew by " + rounds + " bytes in rounds that each reserved " + allocated);
    assertEquals(0, engine.stats().tempGraphs());
    assertEquals(0, engine.stats().graphOffHeapBytes());
  }
}
