package dev.ephemera.graph;

import java.util.List;

/**
 * A path value of the graph query language ({@link TempGraph#query}): its nodes from start to
 * end and the edges between them, in order ({@code edges().size() == nodes().size() - 1}).
 */
public record GraphPath(List<Node> nodes, List<Edge> edges) {
  public GraphPath {
    nodes = List.copyOf(nodes);
    edges = List.copyOf(edges);
    if (nodes.isEmpty() || edges.size() != nodes.size() - 1) {
      throw new IllegalArgumentException("a path has one node more than edges: " + nodes.size() + " nodes, "
          + edges.size() + " edges");
    }
  }

  /** The number of edges. */
  public int length() {
    return edges.size();
  }

  public Node start() {
    return nodes.get(0);
  }

  public Node end() {
    return nodes.get(nodes.size() - 1);
  }
}
