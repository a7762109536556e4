package dev.ephemera.graph;

import java.util.Arrays;
import java.util.Objects;
import java.util.Set;

/**
 * How {@link TempGraph#traverse} walks: breadth first, up to a depth, along edges of a direction
 * and (optionally) of some types only. Immutable; each method returns a new value.
 *
 * <pre>{@code
 * g.traverse("alice", Traversal.bfs().maxDepth(3).direction(Direction.BOTH).edgeTypes("KNOWS"));
 * }</pre>
 */
public final class Traversal {
  private static final Traversal BFS = new Traversal(Integer.MAX_VALUE, Direction.OUT, Set.of());

  private final int maxDepth;
  private final Direction direction;
  private final Set<String> edgeTypes;

  private Traversal(int maxDepth, Direction direction, Set<String> edgeTypes) {
    this.maxDepth = maxDepth;
    this.direction = direction;
    this.edgeTypes = edgeTypes;
  }

  /** A breadth-first walk along outgoing edges of every type, with no depth limit. */
  public static Traversal bfs() {
    return BFS;
  }

  /** Stops at this depth (the start has depth 0; {@code maxDepth(0)} reaches only the start). */
  public Traversal maxDepth(int depth) {
    if (depth < 0) {
      throw new IllegalArgumentException("maxDepth must not be negative: " + depth);
    }
    return new Traversal(depth, direction, edgeTypes);
  }

  /** Follows edges in this direction. Default: {@link Direction#OUT}. */
  public Traversal direction(Direction direction) {
    return new Traversal(maxDepth, Objects.requireNonNull(direction, "direction"), edgeTypes);
  }

  /** Follows only edges of these types. Default (or with no arguments): every type. */
  public Traversal edgeTypes(String... types) {
    Objects.requireNonNull(types, "types");
    Arrays.stream(types).forEach(t -> Objects.requireNonNull(t, "edge type"));
    return new Traversal(maxDepth, direction, Set.copyOf(Arrays.asList(types)));
  }

  public int maxDepth() {
    return maxDepth;
  }

  public Direction direction() {
    return direction;
  }

  /** The edge types followed; empty means all. */
  public Set<String> edgeTypes() {
    return edgeTypes;
  }

  @Override
  public String toString() {
    return "Traversal.bfs()" + (maxDepth == Integer.MAX_VALUE ? "" : ".maxDepth(" + maxDepth + ")")
        + ".direction(" + direction + ")" + (edgeTypes.isEmpty() ? "" : ".edgeTypes(" + edgeTypes + ")");
  }
}
