package dev.ephemera.graph;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A temporary graph of one session: nodes named by string keys, with labels and properties, and
 * typed directed edges with properties. Nodes, adjacency and properties live off the Java heap in
 * Chronicle Map; the graph is freed when it is dropped or its session ends, however it ends.
 *
 * <p>Edits made while the session has an open {@link dev.ephemera.Transaction} are undone by its
 * {@code rollback()} and {@code rollbackTo(savepoint)}, together with rows and variables.
 * Creating and dropping a graph are not transactional (like creating and dropping an H2 table).
 *
 * <p>Keys are 1 to 1,024 characters, any Unicode; labels and edge types 1 to 128 characters, no
 * control characters. Keys, labels, edge types and property names are stored as UTF-8, so a lone
 * surrogate {@code char} in one is refused (a property value keeps it). Property values are of the session variables' types (null, Boolean,
 * Long, Double, BigDecimal, String, byte[], Instant, List, Map); one node's or edge's labels and
 * properties take at most 16 KiB encoded. A handle is safe to use from several threads (its
 * operations are serialized); after its graph is dropped or its session ends every call throws
 * {@link GraphNotFoundException} or {@link dev.ephemera.SessionClosedException}.
 */
public interface TempGraph {
  /** The graph's name as stored (upper case, like an unquoted SQL name). */
  String name();

  // ---- nodes ----------------------------------------------------------------------------------

  /**
   * Adds a node, or merges into an existing one: the labels are added to its labels and the
   * properties replace its properties of the same names.
   *
   * @return whether the node is new
   */
  boolean addNode(String key, Set<String> labels, Map<String, ?> properties);

  /** Adds a node with no labels or properties; does nothing if it exists. */
  default boolean addNode(String key) {
    return addNode(key, Set.of(), Map.of());
  }

  /** The node, or empty. */
  Optional<Node> node(String key);

  /**
   * Removes a node and every edge that touches it.
   *
   * @return whether it existed
   */
  boolean removeNode(String key);

  /** The keys of the nodes that have this label, in no particular order. */
  List<String> nodesWithLabel(String label);

  /** Every node's key, in the order the nodes were created. */
  List<String> nodes();

  long nodeCount();

  // ---- edges ----------------------------------------------------------------------------------

  /** Adds an edge with no properties; see {@link #addEdge(String, String, String, Map)}. */
  default Edge addEdge(String from, String to, String type) {
    return addEdge(from, to, type, Map.of());
  }

  /**
   * Adds a directed edge, creating either endpoint that does not exist yet. Parallel edges (same
   * endpoints and type) and self-loops are allowed and are separate edges.
   */
  Edge addEdge(String from, String to, String type, Map<String, ?> properties);

  /**
   * A new, empty batch of edges for this graph: the fast way to add many edges at once (see
   * {@link EdgeBatch}).
   */
  EdgeBatch edgeBatch();

  /**
   * Removes one edge, the one with this edge's id.
   *
   * @return whether it was in the graph
   */
  boolean removeEdge(Edge edge);

  /**
   * Removes every edge from {@code from} to {@code to} of this type (any type if {@code type} is
   * {@code null}).
   *
   * @return how many were removed
   * @throws NodeNotFoundException if either node does not exist
   */
  int removeEdges(String from, String to, String type);

  /**
   * The edges of a node in a direction ({@code BOTH} lists a self-loop twice).
   *
   * @throws NodeNotFoundException if the node does not exist
   */
  List<Edge> edges(String key, Direction direction);

  /** Every edge of the graph, grouped by source node in the order the nodes were created. */
  List<Edge> edges();

  long edgeCount();

  // ---- queries --------------------------------------------------------------------------------

  /**
   * The distinct nodes one edge away, in adjacency order (the order edges were added, until a
   * removal moves the newest edge into the removed one's place).
   *
   * @throws NodeNotFoundException if the node does not exist
   */
  default List<String> neighbors(String key, Direction direction) {
    return neighbors(key, direction, null);
  }

  /** The distinct nodes one edge of this type away ({@code null}: any type). */
  List<String> neighbors(String key, Direction direction, String edgeType);

  /**
   * The number of edges of a node in a direction; a self-loop counts once out and once in, so
   * twice for {@code BOTH}.
   *
   * @throws NodeNotFoundException if the node does not exist
   */
  long degree(String key, Direction direction);

  /**
   * Walks breadth first from {@code start} and returns each node reached once, with its depth,
   * in the order reached (the start first).
   *
   * @throws NodeNotFoundException if the start does not exist
   */
  List<Visit> traverse(String start, Traversal traversal);

  /**
   * Counts the nodes {@link #traverse} would return, without building their keys: for reach
   * questions on big graphs.
   */
  long reachCount(String start, Traversal traversal);

  /**
   * A path with the fewest edges from {@code from} to {@code to}, following edges in their
   * direction; empty if there is none.
   *
   * @throws NodeNotFoundException if either node does not exist
   */
  Optional<Path> shortestPath(String from, String to);

  /**
   * A path of least total weight (Dijkstra), the weight of an edge being its numeric property
   * {@code weightProperty}.
   *
   * @throws IllegalArgumentException if an edge the search reaches has a negative weight, or no
   *     numeric value for the property
   * @throws NodeNotFoundException if either node does not exist
   */
  Optional<Path> shortestPath(String from, String to, String weightProperty);

  /** The weakly connected components (edge direction ignored), largest first, as sets of keys. */
  List<Set<String>> connectedComponents();

  // ---- the graph query language ---------------------------------------------------------------

  /** Runs a query of the graph query language without parameters; see {@link #query(String, Map)}. */
  default dev.ephemera.QueryResult query(String query) {
    return query(query, Map.of());
  }

  /**
   * Runs a query of the graph query language (openCypher's core: {@code MATCH}, {@code CREATE},
   * {@code MERGE}, {@code SET}, {@code DELETE}, {@code RETURN}, …; README, "Graph queries") on this
   * graph. Values in the result are {@code null}, {@code Boolean}, {@code Long}, {@code Double},
   * {@code String}, {@code List}, {@code Map<String, ?>}, {@link Node}, {@link Edge} and
   * {@link GraphPath} (and the other property types as stored). Columns are named by their alias,
   * or by the expression as written. The query is atomic: if it fails, the graph is as it was;
   * with a transaction open its changes join it.
   *
   * @param parameters the values of {@code $name} parameters, of the property value types
   * @throws GraphQueryException if the query is not valid or fails while running
   */
  dev.ephemera.QueryResult query(String query, Map<String, ?> parameters);

  /**
   * Runs a reading query on this graph and copies into {@code target} the nodes, edges and paths
   * its rows return, with the edges the pattern matched between returned nodes: the SQL dialect's
   * {@code INSERT INTO target MATCH … RETURN …}. A node keeps its key (one that exists in
   * {@code target} gets the labels and properties merged, as {@link #addNode} does); an edge is
   * added once however many rows return it. All or nothing.
   *
   * @return how many nodes and edges were copied
   * @throws GraphQueryException if the query is not valid, updates, or fails
   */
  long insertInto(TempGraph target, String query, Map<String, ?> parameters);

  // ---- SQL ------------------------------------------------------------------------------------

  /**
   * Adds an edge per row of a query on the session's connection: its columns are the source key,
   * the target key and optionally the edge type (default {@code "EDGE"}). All or nothing: a row
   * with a null key, or any SQL error, leaves the graph as it was.
   *
   * @return the number of edges added
   * @throws IllegalArgumentException if the query does not return 2 or 3 columns
   * @throws dev.ephemera.SqlException if H2 refuses the query
   */
  long loadEdges(String sql, Object... params);

  /**
   * Adds (or merges into) a node per row of a query on the session's connection: its columns are
   * the key and optionally a label (a null label adds none). Every row is read and checked before
   * the graph changes, so a row with a null or invalid key, a bad label or any SQL error leaves
   * the graph as it was (only the off-heap limit can stop a load part-way; inside a transaction a
   * rollback takes that back too).
   *
   * @return the number of rows read
   * @throws IllegalArgumentException if the query does not return 1 or 2 columns, or a row is invalid
   * @throws dev.ephemera.SqlException if H2 refuses the query
   */
  long loadNodes(String sql, Object... params);

  /**
   * Writes the graph's edges into a new temporary table of the session with columns
   * {@code SOURCE}, {@code TARGET}, {@code TYPE} (all {@code VARCHAR}).
   *
   * @return the number of rows written
   */
  long exportEdges(String tempTableName);

  /**
   * The off-heap bytes the graph holds now: its Chronicle Map (by Chronicle's own accounting) and the
   * read-only traversal copies of its adjacency, if repeated traversals have built them.
   */
  long offHeapBytes();
}
