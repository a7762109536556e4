package dev.ephemera.internal.graph;

import net.openhft.chronicle.core.UnsafeMemory;

/**
 * A read-only copy of one direction of a temporary graph's adjacency, in compressed sparse rows
 * off the Java heap (raw memory, freed explicitly by {@link #close()}): for node {@code n} its
 * neighbors are {@code targets[offsets[n] .. offsets[n + 1])} with their edge types beside them,
 * plus an epoch-stamped visited array for traversals. Breadth-first search over it reads ints,
 * where the Chronicle Map layout costs one map look-up per expanded node.
 *
 * <p>It is a cache: {@link GraphImpl} builds it once traversals have read about as much from the
 * map as building it costs, and drops it on the next change.
 */
final class CsrSnapshot implements AutoCloseable {
  private static final UnsafeMemory M = UnsafeMemory.MEMORY;

  final int nodes;
  final int edges;
  private final long offsets; // nodes + 1 ints
  private final long targets; // edges ints
  private final long types; // edges ints
  private final long ids; // edges ints: the edge ids (the graph query language binds edges by id)
  private final long stamp; // nodes ints
  private final long queue; // nodes ints: a traversal's reached nodes, in order
  private final long depth; // nodes ints: their depths
  private final long bytes;
  private int epoch;
  private boolean closed;

  CsrSnapshot(int nodes, int edges) {
    this.nodes = nodes;
    this.edges = edges;
    this.bytes = 4L * ((nodes + 1L) + 3L * edges + 3L * nodes);
    long base = M.allocate(Math.max(8, bytes));
    this.offsets = base;
    this.targets = offsets + 4L * (nodes + 1L);
    this.types = targets + 4L * edges;
    this.ids = types + 4L * edges;
    this.stamp = ids + 4L * edges;
    this.queue = stamp + 4L * nodes;
    this.depth = queue + 4L * nodes;
    M.setMemory(stamp, 4L * nodes, (byte) 0);
  }

  long bytes() {
    return bytes;
  }

  // ---- building (in node order) ----------------------------------------------------------------

  void offset(int node, int at) {
    M.writeInt(offsets + 4L * node, at);
  }

  void edge(int at, int target, int type, int id) {
    M.writeInt(targets + 4L * at, target);
    M.writeInt(types + 4L * at, type);
    M.writeInt(ids + 4L * at, id);
  }

  // ---- reading -----------------------------------------------------------------------------------

  int start(int node) {
    return M.readInt(offsets + 4L * node);
  }

  int end(int node) {
    return M.readInt(offsets + 4L * (node + 1L));
  }

  int target(int i) {
    return M.readInt(targets + 4L * i);
  }

  int type(int i) {
    return M.readInt(types + 4L * i);
  }

  int id(int i) {
    return M.readInt(ids + 4L * i);
  }

  /** Starts a new traversal: every node is unvisited again. */
  int newEpoch() {
    if (++epoch == Integer.MAX_VALUE) {
      M.setMemory(stamp, 4L * nodes, (byte) 0);
      epoch = 1;
    }
    return epoch;
  }

  /** Marks {@code node} visited in traversal {@code e}; whether it was not yet. */
  boolean visit(int node, int e) {
    long a = stamp + 4L * node;
    if (M.readInt(a) == e) {
      return false;
    }
    M.writeInt(a, e);
    return true;
  }

  /**
   * Breadth first from {@code start} over {@code snaps} (one or both directions; the first holds
   * the visited stamps and the queue), nodes at {@code max} reached but not expanded, edges
   * filtered by {@code types} if not {@code null}. Returns how many nodes were reached; they are
   * {@link #reached(int)} 0 .. n-1 of the first snapshot, in order, with their {@link #depth(int)}.
   */
  static int bfs(int start, int max, CsrSnapshot[] snaps, int[] types, Runnable check) {
    CsrSnapshot q = snaps[0];
    int e = q.newEpoch();
    q.visit(start, e);
    M.writeInt(q.queue, start);
    M.writeInt(q.depth, 0);
    int tail = 1;
    for (int head = 0; head < tail; head++) {
      GraphCheckpoint.at(check, head);
      int d = M.readInt(q.depth + 4L * head);
      if (d >= max) {
        break; // depths only grow along the queue
      }
      int node = M.readInt(q.queue + 4L * head);
      for (CsrSnapshot s : snaps) {
        for (int j = s.start(node), end = s.end(node); j < end; j++) {
          if (types != null && !contains(types, s.type(j))) {
            continue;
          }
          int other = s.target(j);
          if (q.visit(other, e)) {
            M.writeInt(q.queue + 4L * tail, other);
            M.writeInt(q.depth + 4L * tail, d + 1);
            tail++;
          }
        }
      }
    }
    return tail;
  }

  private static boolean contains(int[] types, int type) {
    for (int x : types) {
      if (x == type) {
        return true;
      }
    }
    return false;
  }

  int reached(int i) {
    return M.readInt(queue + 4L * i);
  }

  int depth(int i) {
    return M.readInt(depth + 4L * i);
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      M.freeMemory(offsets, Math.max(8, bytes));
    }
  }
}
