package dev.ephemera.graph;

import java.util.List;

/**
 * A path found by {@link TempGraph#shortestPath}: the node keys from start to end (both included)
 * and its cost — the number of edges, or the sum of the weights for a weighted search.
 */
public record Path(List<String> nodes, double cost) {
  public Path {
    nodes = List.copyOf(nodes);
  }

  /** The number of edges on the path. */
  public int hops() {
    return nodes.size() - 1;
  }
}
