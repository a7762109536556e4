package dev.ephemera.graph;

/**
 * Edges collected to be added to a temporary graph at once, the graph counterpart of a JDBC
 * batch: {@link #add} checks each edge and keeps it on the heap, {@link #load} adds them all.
 *
 * <p>Loading a batch is much faster than adding its edges one by one (1,000,000 edges in about a
 * tenth of the time, see the README's benchmarks): the endpoints' keys are looked up once each,
 * and every node's adjacency list is written once per load instead of once per edge.
 *
 * <p>All or nothing: a {@code load} that fails (the session's off-heap limit, the session ending)
 * leaves the graph as it was. Inside a transaction a rollback takes a load back, like any edit.
 * Edge ids are consecutive in the order the edges were added.
 *
 * <p>Not thread-safe (like a {@link StringBuilder}): fill and load a batch from one thread at a
 * time. The batch holds references to the key strings until it is loaded or cleared.
 *
 * <pre>{@code
 * EdgeBatch batch = graph.edgeBatch();
 * for (String[] e : rows) {
 *   batch.add(e[0], e[1], "KNOWS");
 * }
 * long added = batch.load();
 * }</pre>
 */
public interface EdgeBatch {
  /** Adds an edge of the default type {@code "EDGE"}; see {@link #add(String, String, String)}. */
  EdgeBatch add(String from, String to);

  /**
   * Adds a directed edge to the batch; {@link #load} creates either endpoint that does not exist.
   *
   * @throws IllegalArgumentException if a key is null, empty, longer than 1,024 characters or has
   *     an unpaired surrogate, or the type is null, empty, longer than 128 characters or has
   *     control characters (the batch is unchanged)
   */
  EdgeBatch add(String from, String to, String type);

  /** The number of edges waiting to be loaded. */
  int size();

  /**
   * Adds the batch's edges to the graph, all or none, and empties the batch.
   *
   * @return the number of edges added
   * @throws GraphNotFoundException if the graph was dropped
   * @throws dev.ephemera.ResourceLimitException if the session's off-heap limit would be exceeded
   *     (nothing is added; the batch keeps its edges)
   */
  long load();

  /** Empties the batch without loading it. */
  void clear();
}
