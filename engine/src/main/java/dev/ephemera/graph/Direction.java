package dev.ephemera.graph;

/** Which edges of a node to follow: those leaving it, those arriving at it, or both. */
public enum Direction {
  /** Edges from the node to others. */
  OUT,
  /** Edges from others to the node. */
  IN,
  /** Both, as if the graph were undirected. */
  BOTH
}
