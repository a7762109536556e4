package dev.ephemera.graph;

import static org.junit.jupiter.api.Assertions.*;

import dev.ephemera.FakeTicker;
import dev.ephemera.Session;
import dev.ephemera.SessionEngine;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Random graphs (fixed seeds), edited with random adds and removals, compared with a
 * straightforward on-heap reference: traversal, both shortest paths, degrees, components.
 */
class GraphPropertyTest {
  final SessionEngine engine = SessionEngine.builder().ticker(new FakeTicker()).build();
  final Session s = engine.open();

  @AfterEach
  void close() {
    engine.close();
  }

  /** The reference: a list of live edges. */
  record RefEdge(Edge edge, double weight) {}

  static final class Ref {
    final Set<String> nodes = new HashSet<>();
    final List<RefEdge> edges = new ArrayList<>();

    List<RefEdge> out(String n) {
      return edges.stream().filter(e -> e.edge.from().equals(n)).toList();
    }

    List<String> step(String n, Direction d, Set<String> types) {
      List<String> next = new ArrayList<>();
      for (RefEdge e : edges) {
        if (!types.isEmpty() && !types.contains(e.edge.type())) {
          continue;
        }
        if (d != Direction.IN && e.edge.from().equals(n)) {
          next.add(e.edge.to());
        }
        if (d != Direction.OUT && e.edge.to().equals(n)) {
          next.add(e.edge.from());
        }
      }
      return next;
    }

    Map<String, Integer> bfs(String start, Traversal t) {
      Map<String, Integer> depth = new HashMap<>();
      depth.put(start, 0);
      ArrayDeque<String> q = new ArrayDeque<>(List.of(start));
      while (!q.isEmpty()) {
        String n = q.poll();
        int d = depth.get(n);
        if (d >= t.maxDepth()) {
          continue;
        }
        for (String m : step(n, t.direction(), t.edgeTypes())) {
          if (depth.putIfAbsent(m, d + 1) == null) {
            q.add(m);
          }
        }
      }
      return depth;
    }

    /** Bellman-Ford: least total weight along out-edges, or empty. */
    Optional<Double> cheapest(String a, String b) {
      Map<String, Double> dist = new HashMap<>();
      dist.put(a, 0.0);
      for (int i = 0; i < nodes.size(); i++) {
        for (RefEdge e : edges) {
          Double du = dist.get(e.edge.from());
          if (du != null && du + e.weight < dist.getOrDefault(e.edge.to(), Double.POSITIVE_INFINITY)) {
            dist.put(e.edge.to(), du + e.weight);
          }
        }
      }
      return Optional.ofNullable(dist.get(b));
    }

    Set<Set<String>> components() {
      Set<Set<String>> out = new HashSet<>();
      Set<String> seen = new HashSet<>();
      for (String n : nodes) {
        if (seen.add(n)) {
          Set<String> c = new HashSet<>(bfs(n, Traversal.bfs().direction(Direction.BOTH)).keySet());
          seen.addAll(c);
          out.add(c);
        }
      }
      return out;
    }
  }

  @Test
  void matchesTheReferenceOnRandomGraphs() {
    String[] types = {"A", "B"};
    for (int seed = 1; seed <= 40; seed++) {
      Random r = new Random(seed);
      TempGraph g = s.createTempGraph("g" + seed);
      Ref ref = new Ref();
      int n = 1 + r.nextInt(40);
      int m = r.nextInt(n * 3 + 1);
      for (int i = 0; i < m; i++) {
        String a = "n" + r.nextInt(n);
        String b = "n" + r.nextInt(n);
        double w = r.nextInt(10);
        Edge e = g.addEdge(a, b, types[r.nextInt(2)], Map.of("w", w));
        ref.nodes.add(a);
        ref.nodes.add(b);
        ref.edges.add(new RefEdge(e, w));
      }
      for (int i = 0; i < 3 && !ref.edges.isEmpty(); i++) { // some removals
        RefEdge e = ref.edges.remove(r.nextInt(ref.edges.size()));
        assertTrue(g.removeEdge(e.edge));
      }
      if (!ref.nodes.isEmpty() && r.nextBoolean()) {
        String victim = ref.nodes.iterator().next();
        assertTrue(g.removeNode(victim));
        ref.nodes.remove(victim);
        ref.edges.removeIf(e -> e.edge.from().equals(victim) || e.edge.to().equals(victim));
      }
      String ctx = "seed " + seed;
      assertEquals(ref.nodes.size(), g.nodeCount(), ctx);
      assertEquals(ref.edges.size(), g.edgeCount(), ctx);
      List<String> keys = new ArrayList<>(ref.nodes);
      if (keys.isEmpty()) {
        continue;
      }
      for (int q = 0; q < 10; q++) {
        String a = keys.get(r.nextInt(keys.size()));
        String b = keys.get(r.nextInt(keys.size()));
        Traversal t = Traversal.bfs().maxDepth(r.nextInt(5)).direction(Direction.values()[r.nextInt(3)]);
        if (r.nextBoolean()) {
          t = t.edgeTypes(types[r.nextInt(2)]);
        }
        Map<String, Integer> got = new HashMap<>();
        for (Visit v : g.traverse(a, t)) {
          assertNull(got.put(v.key(), v.depth()), ctx + ": reached twice: " + v);
        }
        assertEquals(ref.bfs(a, t), got, ctx + " " + t);
        assertEquals(got.size(), g.reachCount(a, t), ctx);

        Integer hops = ref.bfs(a, Traversal.bfs()).get(b);
        Optional<Path> p = g.shortestPath(a, b);
        assertEquals(hops != null, p.isPresent(), ctx);
        if (p.isPresent()) {
          assertEquals(hops, p.get().hops(), ctx);
          assertPathExists(ref, p.get().nodes(), ctx);
        }
        Optional<Double> cost = ref.cheapest(a, b);
        Optional<Path> wp = g.shortestPath(a, b, "w");
        assertEquals(cost.isPresent(), wp.isPresent(), ctx);
        if (wp.isPresent()) {
          assertEquals(cost.get(), wp.get().cost(), 1e-9, ctx);
          assertPathExists(ref, wp.get().nodes(), ctx);
        }
        long outDegree = ref.edges.stream().filter(e -> e.edge.from().equals(a)).count();
        long inDegree = ref.edges.stream().filter(e -> e.edge.to().equals(a)).count();
        assertEquals(outDegree, g.degree(a, Direction.OUT), ctx);
        assertEquals(inDegree + outDegree, g.degree(a, Direction.BOTH), ctx);
        assertEquals(new HashSet<>(ref.step(a, Direction.BOTH, Set.of())), new HashSet<>(g.neighbors(a, Direction.BOTH)), ctx);
      }
      assertEquals(ref.components(), new HashSet<>(g.connectedComponents()), ctx);
      s.dropTempGraph("g" + seed);
    }
  }

  private static void assertPathExists(Ref ref, List<String> path, String ctx) {
    for (int i = 0; i + 1 < path.size(); i++) {
      String from = path.get(i);
      String to = path.get(i + 1);
      assertTrue(ref.out(from).stream().anyMatch(e -> e.edge.to().equals(to)), ctx + ": no edge " + from + " -> " + to);
    }
  }
}
