package dev.ephemera.internal.graph.query;

/** The runtime forms of graph values inside a running query: ids, resolved to API values at the end. */
final class Refs {
  private Refs() {}

  /** A node, by id. */
  record NodeRef(int id) {}

  /** An edge, by id, with its endpoints and type symbol. */
  record RelRef(int id, int from, int to, int type) {
    int other(int node) {
      return node == from ? to : from;
    }
  }

  /** A path: nodes and the edges between them. */
  record PathRef(NodeRef[] nodes, RelRef[] rels) {
    @Override
    public boolean equals(Object o) {
      return o instanceof PathRef p && java.util.Arrays.equals(nodes, p.nodes) && java.util.Arrays.equals(rels, p.rels);
    }

    @Override
    public int hashCode() {
      return java.util.Arrays.hashCode(nodes) * 31 + java.util.Arrays.hashCode(rels);
    }
  }
}
