package dev.ephemera.examples;

import dev.ephemera.Session;
import dev.ephemera.SessionEngine;
import dev.ephemera.graph.TempGraph;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * Analysis with a temporary graph: edges loaded from a SQL query over a temp table of flights,
 * a shortest path by hops and by distance, the connected components, and the result exported
 * back to a temp table. ({@code java -jar ephemera.jar example graph})
 */
final class GraphExample {
  private GraphExample() {}

  static void run(PrintStream out) {
    try (SessionEngine engine = SessionEngine.builder().build(); Session s = engine.open()) {
      s.createTempTable("flights", "src VARCHAR, dst VARCHAR, km INT");
      s.executeBatch("INSERT INTO flights VALUES (?, ?, ?)", List.of(
          new Object[] {"LHR", "JFK", 5540}, new Object[] {"JFK", "SFO", 4150}, new Object[] {"LHR", "FRA", 650},
          new Object[] {"FRA", "SFO", 9140}, new Object[] {"SFO", "NRT", 8240}, new Object[] {"FRA", "NRT", 9360},
          new Object[] {"SYD", "AKL", 2160}));
      TempGraph g = s.createTempGraph("routes");
      long loaded = g.loadEdges("SELECT src, dst, 'FLIGHT' FROM flights"); // source, target[, type]
      out.printf("loaded %d edges from SQL; %d airports%n", loaded, g.nodeCount());
      out.println("fewest hops LHR -> NRT:  " + g.shortestPath("LHR", "NRT").map(p -> p.nodes()).orElse(List.of()));
      var components = g.connectedComponents(); // weakly connected, largest first
      out.println("connected components:   " + components.size() + " of sizes "
          + components.stream().map(java.util.Set::size).toList() + "; SYD is with "
          + components.stream().filter(c -> c.contains("SYD")).findFirst().orElseThrow().stream().sorted().toList());

      // distances as an edge property: a second graph built row by row, for Dijkstra on "km"
      TempGraph km = s.createTempGraph("distances");
      for (var row : s.query("SELECT src, dst, km FROM flights").rows()) {
        km.addEdge((String) row.get(0), (String) row.get(1), "FLIGHT", Map.of("km", row.get(2)));
      }
      out.println("shortest km LHR -> NRT:  " + km.shortestPath("LHR", "NRT", "km")
          .map(p -> p.nodes() + " (" + (long) p.cost() + " km)").orElse("none"));

      long rows = g.exportEdges("route_edges");
      out.printf("exported %d edges to temp table ROUTE_EDGES; from LHR: %s%n", rows,
          s.query("SELECT target FROM route_edges WHERE source = 'LHR' ORDER BY target").rows());
    }
  }
}
