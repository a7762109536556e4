package dev.ephemera.graph.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ephemera.FakeTicker;
import dev.ephemera.SessionEngine;
import dev.ephemera.graph.Edge;
import dev.ephemera.graph.TempGraph;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link SideEffects} between {@link GraphSnapshot}s of a graph changed through the Java API. */
class SideEffectsTest {
  final SessionEngine engine = SessionEngine.builder().ticker(new FakeTicker()).build();
  final TempGraph g = engine.open().createTempGraph("g");

  @AfterEach
  void close() {
    engine.close();
  }

  private SideEffects change(Runnable edit) {
    GraphSnapshot before = GraphSnapshot.of(g);
    edit.run();
    return SideEffects.between(before, GraphSnapshot.of(g));
  }

  private static SideEffects effects(Object... kindsAndCounts) {
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < kindsAndCounts.length; i += 2) {
      counts.put((String) kindsAndCounts[i], (Integer) kindsAndCounts[i + 1]);
    }
    return new SideEffects(counts);
  }

  @Test
  void nothingChanged() {
    g.addNode("a", Set.of("A"), Map.of("p", 1L));
    assertEquals(SideEffects.NONE, change(() -> g.node("a")));
    assertEquals("no side effects", SideEffects.NONE.toString());
  }

  @Test
  void addedNodesEdgesLabelsAndProperties() {
    g.addNode("a", Set.of("A"), Map.of());
    SideEffects s = change(() -> {
      g.addNode("b", Set.of("A", "B"), Map.of("name", "b", "n", 1L));
      g.addEdge("a", "b", "T", Map.of("w", 2.5));
    });
    // label A was there already: only B is a new label name
    assertEquals(effects("+nodes", 1, "+relationships", 1, "+labels", 1, "+properties", 3), s);
    assertEquals("+nodes 1, +relationships 1, +labels 1, +properties 3", s.toString());
  }

  @Test
  void removedNodeTakesItsEdgesLabelsAndProperties() {
    g.addNode("a", Set.of("A"), Map.of());
    g.addNode("b", Set.of("B"), Map.of("name", "b"));
    g.addEdge("a", "b", "T", Map.of("w", 1L));
    g.addEdge("b", "a", "T");
    assertEquals(effects("-nodes", 1, "-relationships", 2, "-labels", 1, "-properties", 2), change(() -> g.removeNode("b")));
  }

  @Test
  void changedPropertyIsOneRemovedAndOneAdded() {
    g.addNode("a", Set.of("A"), Map.of("name", "old", "same", List.of(1L)));
    Edge e = g.addEdge("a", "a", "T", Map.of("w", 1L));
    assertEquals(effects("+properties", 1, "-properties", 1), change(() -> g.addNode("a", Set.of(), Map.of("name", "new"))));
    assertEquals(SideEffects.NONE, change(() -> g.addNode("a", Set.of("A"), Map.of("same", List.of(1L)))));
    // a new edge in place of the old one is another relationship, with properties of its own
    assertEquals(effects("+relationships", 1, "-relationships", 1, "+properties", 1, "-properties", 1), change(() -> {
      g.removeEdge(e);
      g.addEdge("a", "a", "T", Map.of("w", 1L));
    }));
  }

  @Test
  void readsTheTcksTable() {
    assertEquals(effects("+nodes", 2, "-properties", 1),
        SideEffects.fromTable(List.of(List.of("+nodes", "2"), List.of("-properties", "1"), List.of("+labels", "0"))));
    assertThrows(IllegalArgumentException.class, () -> SideEffects.fromTable(List.of(List.of("+edges", "1"))));
    assertThrows(IllegalArgumentException.class, () -> SideEffects.fromTable(List.of(List.of("+nodes", "x"))));
  }
}
