package dev.ephemera.graph;

import static org.junit.jupiter.api.Assertions.*;

import dev.ephemera.FakeTicker;
import dev.ephemera.SessionEngine;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A graph created with the default size that grows far past it keeps every node: its map is
 * copied into bigger ones before Chronicle runs out of segment tiers. Before that, a write that
 * found no tier left could lose another entry of its segment: with 500 labelled nodes added at a
 * time, node #2816's record was gone after the 3,272nd node, though its key still led to it.
 */
class GraphGrowthTest {
  @Test
  void everyNodeSurvivesTheMapsGrowth() {
    try (SessionEngine engine = SessionEngine.builder().ticker(new FakeTicker()).build()) {
      TempGraph g = engine.open().createTempGraph("g");
      for (int round = 0; round < 16; round++) {
        for (int j = 0; j < 500; j++) {
          int n = round * 500 + j;
          g.addNode("n" + n, Set.of("N"), Map.of("i", (long) n, "pad", "x".repeat(55)));
        }
        assertEquals((round + 1) * 500L, g.nodeCount());
        for (String key : g.nodesWithLabel("N")) { // reads every record through the label list
          assertTrue(g.node(key).isPresent(), key);
        }
      }
      assertEquals(8_000L, g.query("MATCH (n:N) RETURN count(n.i)").single());
      assertEquals(8_000L, g.query("MATCH (n:N) WHERE n.pad STARTS WITH 'x' RETURN count(*)").single());
    }
  }

  @Test
  void everyNodeSurvivesGrowthThroughQueries() {
    try (SessionEngine engine = SessionEngine.builder().ticker(new FakeTicker()).build()) {
      TempGraph g = engine.open().createTempGraph("g");
      for (int round = 0; round < 16; round++) {
        g.query("UNWIND range(1, 500) AS i CREATE (:N {i: i, pad: $pad})", Map.of("pad", "x".repeat(55)));
        assertEquals((round + 1) * 500L, g.query("MATCH (n:N) RETURN count(n.i)").single());
      }
    }
  }
}
