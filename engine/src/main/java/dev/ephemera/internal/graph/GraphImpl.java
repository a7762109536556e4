package dev.ephemera.internal.graph;

import dev.ephemera.graph.Direction;
import dev.ephemera.graph.Edge;
import dev.ephemera.graph.EdgeBatch;
import dev.ephemera.graph.GraphNotFoundException;
import dev.ephemera.graph.Node;
import dev.ephemera.graph.NodeNotFoundException;
import dev.ephemera.graph.Path;
import dev.ephemera.graph.TempGraph;
import dev.ephemera.graph.Traversal;
import dev.ephemera.graph.Visit;
import dev.ephemera.internal.util.Buf;
import dev.ephemera.internal.util.IntMap;
import dev.ephemera.internal.util.ValueCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import static dev.ephemera.internal.graph.AdjacencyLists.ADJ;
import static dev.ephemera.internal.graph.AdjacencyLists.BLOCK;
import static dev.ephemera.internal.graph.AdjacencyLists.ONE;

/**
 * A temporary graph: the facade its user holds ({@link TempGraph}) over one {@link GraphMap}.
 * Layout of the map (keys are a tag byte and ints):
 * <ul>
 *   <li>{@code K utf8(key)} → node id (interning: user keys become compact ints);
 *   <li>{@code N id} → node record: key, label ids, properties;
 *   <li>{@code O id …} / {@code I id …} → the node's outgoing / incoming adjacency, and
 *       {@code L label …} → the nodes with a label: block lists ({@link AdjacencyLists});
 *   <li>{@code E edge} → an edge's properties (only for edges that have some).
 * </ul>
 * Label and edge-type names are interned on the heap (there are few). Calls are serialized on the
 * graph; each runs as a call of its session, so the session cannot be released under it. What
 * is not the facade lives beside it: input checks ({@link GraphChecks}), batch loading
 * ({@link EdgeBatchImpl}, {@link KeyIndex}), traversals and paths ({@link GraphAlgorithms}, on
 * {@link CsrSnapshot}s when reads pay for them), SQL import and export ({@link GraphSqlIo}).
 */
final class GraphImpl implements TempGraph {
  static final byte K = 'K';
  static final byte N = 'N';
  static final byte OUT = 'O';
  static final byte IN = 'I';
  static final byte LABEL = 'L';
  static final byte PROPS = 'E';
  static final String DEFAULT_TYPE = "EDGE";

  private final GraphOwner session;
  private final SessionGraphs owner;
  private final String name;
  GraphMap store;
  /** The lists in {@link #store}; {@code null} once closed, with it. */
  AdjacencyLists lists;
  private final GraphAlgorithms algorithms;
  private final GraphLanguage language;
  private GraphData data;
  long nodes;
  long edges;
  int nextNode;
  int nextEdge;
  /** Off-heap bytes after the last call, read without the lock by the session's budget check. */
  private volatile long offHeap;
  /** Read-only CSR copies of the outgoing / incoming adjacency, or {@code null}: dropped by every change. */
  private CsrSnapshot outSnapshot;
  private CsrSnapshot inSnapshot;
  /** Read-only columns of numeric properties for reading queries: dropped by every change. */
  final PropertyColumns columns = new PropertyColumns();
  /** Map look-ups traversals made since the last change: a snapshot is built when they pay for it. */
  long mapReads;
  final ArrayList<String> symbols = new ArrayList<>();
  private final HashMap<String, Integer> symbolIds = new HashMap<>();

  // scratch buffers, used under the lock
  private final Buf k = new Buf();
  private final Buf v = new Buf();
  final Buf bk = new Buf();
  final Buf bv = new Buf();
  private final Buf entry = new Buf(ADJ);

  GraphImpl(GraphOwner session, SessionGraphs owner, String name, long expectedNodes, long expectedEdges,
      GraphLanguage language) {
    this.session = session;
    this.language = language;
    this.owner = owner;
    this.name = name;
    // per node: K, N, and two heads; per edge: 2 × 12 bytes of adjacency, about a 40-byte entry per 3 edges
    long expected = Math.min(1L << 30, expectedNodes * 4 + expectedEdges / 2);
    this.store = new GraphMap(expected);
    this.lists = new AdjacencyLists(store, name);
    this.algorithms = new GraphAlgorithms(this);
    this.offHeap = store.offHeapBytes();
  }

  @Override
  public String name() {
    return name;
  }

  // ---- plumbing -------------------------------------------------------------------------------

  @FunctionalInterface
  interface Op<T> {
    T run();
  }

  /** Runs a read as a session call, under the graph's lock. */
  <T> T read(Op<T> op) {
    return session.inCall(() -> {
      synchronized (this) {
        open();
        return op.run();
      }
    });
  }

  /**
   * Runs a change as a session call, under the lock; with a transaction open, journals the old
   * values so a rollback puts them back. {@code grows}: refuse it if the session is at its
   * off-heap limit.
   */
  <T> T write(boolean grows, Op<T> op) {
    return session.inCall(() -> {
      synchronized (this) {
        open();
        if (grows) {
          owner.checkBudget(name);
        }
        boolean journaled = session.inTransaction();
        long nodesBefore = nodes;
        long edgesBefore = edges;
        if (journaled) {
          store.journal = new ArrayList<>();
        }
        try {
          return op.run();
        } finally {
          dropSnapshots();
          if (journaled) {
            ArrayList<Buf[]> changes = store.journal;
            store.journal = null;
            if (!changes.isEmpty()) {
              session.recordUndo(() -> undo(changes, nodesBefore, edgesBefore));
            }
          }
          offHeap = store.offHeapBytes();
        }
      }
    });
  }

  /**
   * Runs a change of the graph query language as a session call, under the lock: atomic (a
   * failure undoes every change it made) and, with a transaction open, undone by its rollback.
   */
  <T> T atomically(Op<T> op) {
    return session.inCall(() -> {
      synchronized (this) {
        open();
        long nodesBefore = nodes;
        long edgesBefore = edges;
        store.journal = new ArrayList<>();
        boolean done = false;
        try {
          T result = op.run();
          done = true;
          return result;
        } finally {
          ArrayList<Buf[]> changes = store.journal;
          store.journal = null;
          dropSnapshots();
          if (!done) {
            store.undo(changes);
            nodes = nodesBefore;
            edges = edgesBefore;
          } else if (!changes.isEmpty() && session.inTransaction()) {
            session.recordUndo(() -> undo(changes, nodesBefore, edgesBefore));
          }
          offHeap = store.offHeapBytes();
        }
      }
    });
  }

  GraphOwner owner() {
    return session;
  }

  GraphAlgorithms algorithms() {
    return algorithms;
  }

  private synchronized GraphData data() {
    if (data == null) {
      data = new GraphData(this);
    }
    return data;
  }

  private synchronized void undo(ArrayList<Buf[]> changes, long nodesBefore, long edgesBefore) {
    if (store == null) {
      return; // dropped since: nothing left to put back
    }
    store.undo(changes);
    dropSnapshots();
    nodes = nodesBefore;
    edges = edgesBefore;
    offHeap = store.offHeapBytes();
  }

  /** Frees the CSR snapshots and property columns (the graph changed, or is closing). */
  private void dropSnapshots() {
    columns.drop();
    if (outSnapshot != null) {
      outSnapshot.close();
      outSnapshot = null;
    }
    if (inSnapshot != null) {
      inSnapshot.close();
      inSnapshot = null;
    }
    mapReads = 0;
  }

  /**
   * The snapshots a traversal in these directions can use, or {@code null}. Missing ones are built
   * once traversals since the last change have made as many map look-ups as building costs (about
   * one per node and per full block), so a graph that changes between traversals never pays for
   * a snapshot it would throw away, and one that is read repeatedly pays at most twice.
   */
  CsrSnapshot[] snapshots(byte[] tags) {
    CsrSnapshot[] out = new CsrSnapshot[tags.length];
    for (int i = 0; i < tags.length; i++) {
      CsrSnapshot s = tags[i] == OUT ? outSnapshot : inSnapshot;
      if (s == null) {
        if (mapReads < (nodes + edges / BLOCK + 1) * tags.length || edges > Integer.MAX_VALUE - 8) {
          return null;
        }
        if (!owner.fits(4L * (2L * nextNode + 3 * edges + 1))) {
          return null; // a cache must not push the session over maxGraphBytes
        }
        s = lists.snapshot(tags[i], nextNode, edges);
        if (s == null) {
          return null;
        }
        if (tags[i] == OUT) {
          outSnapshot = s;
        } else {
          inSnapshot = s;
        }
        offHeap = store.offHeapBytes() + cacheBytes();
      }
      out[i] = s;
    }
    return out;
  }

  /** The bytes of the read-only copies: CSR snapshots and property columns. */
  private long cacheBytes() {
    long b = (outSnapshot == null ? 0 : outSnapshot.bytes()) + (inSnapshot == null ? 0 : inSnapshot.bytes());
    return b + columns.bytes();
  }

  /** The column of a node property for a reading query, or {@code null} (see {@link PropertyColumns}). */
  PropertyColumn column(String name, byte[] utf8) {
    int before = columns.size();
    PropertyColumn c = columns.get(this, name, utf8);
    if (columns.size() != before) { // just built: the budget check sees it
      offHeap = store.offHeapBytes() + cacheBytes();
    }
    return c;
  }

  /** Whether the session's graphs have room for {@code more} off-heap bytes (a cache must not take them past the limit). */
  boolean fits(long more) {
    return owner.fits(more);
  }

  private void open() {
    if (store == null) {
      throw new GraphNotFoundException("temporary graph '" + name + "' was dropped");
    }
  }

  /** Frees the off-heap storage, once. */
  synchronized void close() {
    dropSnapshots();
    GraphMap s = store;
    if (s != null) {
      store = null;
      lists = null;
      offHeap = 0;
      s.close();
    }
  }

  long offHeapNow() {
    return offHeap;
  }

  // ---- keys -----------------------------------------------------------------------------------

  /** The node id of a key, or -1. */
  private int idOf(String key) {
    byte[] u = key.getBytes(StandardCharsets.UTF_8);
    k.clear().put(K).putBytes(u, 0, u.length);
    return store.get(k, v) ? v.getInt(0) : -1;
  }

  int require(String key) {
    int id = idOf(GraphChecks.checkKey(key));
    if (id < 0) {
      throw new NodeNotFoundException(name, key);
    }
    return id;
  }

  /** The key of node {@code id} (which exists). */
  String keyOfId(int id) {
    if (!store.get(AdjacencyLists.keyOf(bk, N, id), bv)) {
      throw new IllegalStateException("graph '" + name + "' lost node #" + id);
    }
    return bv.getString();
  }

  int symbol(String s) {
    Integer id = symbolIds.get(s);
    if (id == null) {
      id = symbols.size();
      symbols.add(s);
      symbolIds.put(s, id);
    }
    return id;
  }

  int symbolIfKnown(String s) {
    Integer id = symbolIds.get(s);
    return id == null ? -1 : id;
  }

  // ---- node records ---------------------------------------------------------------------------

  static Buf nodeRecord(String key, int[] labels, Map<String, Object> props) {
    Buf r = new Buf(64);
    r.putString(key).putVar(labels.length);
    for (int l : labels) {
      r.putVar(l);
    }
    ValueCodec.writeMap(r, props);
    return r;
  }

  /** A record read at position 0: key, labels, properties. */
  private record NodeData(String key, int[] labels, Map<String, Object> props) {}

  private static NodeData readNode(Buf r) {
    r.pos = 0;
    String key = r.getString();
    int[] labels = new int[r.getVar()];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = r.getVar();
    }
    return new NodeData(key, labels, ValueCodec.readMap(r));
  }

  private Node toNode(NodeData d) {
    Set<String> labels = new LinkedHashSet<>();
    for (int l : d.labels) {
      labels.add(symbols.get(l));
    }
    return new Node(d.key, labels, d.props);
  }

  /** Creates a node with no labels or properties; returns its id. */
  int createNode(String key, byte[] utf8) {
    int id = nextNode++;
    k.clear().put(K).putBytes(utf8, 0, utf8.length);
    v.clear().putInt(id);
    store.put(k, v);
    store.put(AdjacencyLists.keyOf(bk, N, id), nodeRecord(key, new int[0], Map.of()));
    nodes++;
    return id;
  }

  /** Removes a node's record and its key's interning (its edges and labels are gone already). */
  private void dropNodeRecords(int id, String key) {
    store.remove(AdjacencyLists.keyOf(bk, N, id));
    byte[] u = key.getBytes(StandardCharsets.UTF_8);
    store.remove(k.clear().put(K).putBytes(u, 0, u.length));
    nodes--;
  }

  int ensureNode(String key) {
    byte[] u = key.getBytes(StandardCharsets.UTF_8);
    k.clear().put(K).putBytes(u, 0, u.length);
    return store.get(k, v) ? v.getInt(0) : createNode(key, u);
  }

  // ---- nodes ----------------------------------------------------------------------------------

  @Override
  public boolean addNode(String key, Set<String> labels, Map<String, ?> properties) {
    GraphChecks.checkKey(key);
    Objects.requireNonNull(labels, "labels");
    for (String l : labels) {
      GraphChecks.checkSymbol("label", l);
    }
    Map<String, Object> props = GraphChecks.checkProperties(properties);
    return write(true, () -> {
      int id = idOf(key);
      NodeData old = id < 0 ? new NodeData(key, new int[0], Map.of()) : readNodeOf(id);
      LinkedHashSet<Integer> all = new LinkedHashSet<>();
      for (int l : old.labels) {
        all.add(l);
      }
      List<Integer> added = new ArrayList<>();
      for (String l : labels) {
        int s = symbol(l);
        if (all.add(s)) {
          added.add(s);
        }
      }
      Map<String, Object> merged = new LinkedHashMap<>(old.props);
      merged.putAll(props);
      Buf record = nodeRecord(key, all.stream().mapToInt(Integer::intValue).toArray(), merged);
      GraphChecks.checkRecord("node '" + key + "'", record);
      boolean created = id < 0;
      if (created) {
        id = createNode(key, key.getBytes(StandardCharsets.UTF_8));
      }
      store.put(AdjacencyLists.keyOf(bk, N, id), record);
      Buf e = new Buf(4).putInt(id);
      for (int s : added) {
        lists.append(LABEL, s, ONE, e);
      }
      return created;
    });
  }

  private NodeData readNodeOf(int id) {
    if (!store.get(AdjacencyLists.keyOf(bk, N, id), bv)) {
      throw new IllegalStateException("graph '" + name + "' lost node #" + id);
    }
    return readNode(bv);
  }

  @Override
  public Optional<Node> node(String key) {
    GraphChecks.checkKey(key);
    return read(() -> {
      int id = idOf(key);
      return id < 0 ? Optional.empty() : Optional.of(toNode(readNodeOf(id)));
    });
  }

  @Override
  public boolean removeNode(String key) {
    GraphChecks.checkKey(key);
    return write(false, () -> {
      int id = idOf(key);
      if (id < 0) {
        return false;
      }
      Buf outs = lists.read(OUT, id, ADJ, new Buf());
      for (int at = 0; at < outs.len; at += ADJ) {
        int other = outs.getInt(at);
        int edge = outs.getInt(at + 8);
        if (other != id) {
          lists.remove(IN, other, ADJ, 8, edge);
        }
        store.remove(AdjacencyLists.keyOf(bk, PROPS, edge));
        edges--;
      }
      Buf ins = lists.read(IN, id, ADJ, new Buf());
      for (int at = 0; at < ins.len; at += ADJ) {
        int other = ins.getInt(at);
        int edge = ins.getInt(at + 8);
        if (other != id) { // a self-loop was counted with the outgoing edges
          lists.remove(OUT, other, ADJ, 8, edge);
          store.remove(AdjacencyLists.keyOf(bk, PROPS, edge));
          edges--;
        }
      }
      lists.delete(OUT, id, ADJ);
      lists.delete(IN, id, ADJ);
      for (int l : readNodeOf(id).labels) {
        lists.remove(LABEL, l, ONE, 0, id);
      }
      dropNodeRecords(id, key);
      return true;
    });
  }

  @Override
  public List<String> nodesWithLabel(String label) {
    GraphChecks.checkSymbol("label", label);
    return read(() -> {
      int s = symbolIfKnown(label);
      if (s < 0) {
        return List.of();
      }
      Buf ids = lists.read(LABEL, s, ONE, new Buf());
      List<String> out = new ArrayList<>(ids.len / ONE);
      for (int at = 0; at < ids.len; at += ONE) {
        out.add(keyOfId(ids.getInt(at)));
      }
      return Collections.unmodifiableList(out);
    });
  }

  @Override
  public List<String> nodes() {
    return read(() -> {
      List<String> out = new ArrayList<>();
      for (int i = 0; i < nextNode; i++) {
        if (store.get(AdjacencyLists.keyOf(bk, N, i), bv)) {
          out.add(bv.getString());
        }
      }
      return Collections.unmodifiableList(out);
    });
  }

  @Override
  public long nodeCount() {
    return read(() -> nodes);
  }

  // ---- edges ----------------------------------------------------------------------------------

  @Override
  public Edge addEdge(String from, String to, String type, Map<String, ?> properties) {
    GraphChecks.checkKey(from);
    GraphChecks.checkKey(to);
    GraphChecks.checkSymbol("edge type", type);
    Map<String, Object> props = GraphChecks.checkProperties(properties);
    Buf record = null;
    if (!props.isEmpty()) {
      record = new Buf(64);
      ValueCodec.writeMap(record, props);
      GraphChecks.checkRecord("an edge", record);
    }
    Buf propsRecord = record;
    return write(true, () -> {
      long id = addEdgeLocked(from, to, type, propsRecord);
      return new Edge(id, from, to, type, props);
    });
  }

  private int addEdgeLocked(String from, String to, String type, Buf props) {
    return addEdgeById(ensureNode(from), ensureNode(to), symbol(type), props);
  }

  /** Adds an edge between existing nodes, of type symbol {@code s}; returns its id. */
  int addEdgeById(int f, int t, int s, Buf props) {
    int id = nextEdge;
    if (id == Integer.MAX_VALUE) {
      throw new IllegalStateException("graph '" + name + "' has used all " + Integer.MAX_VALUE + " edge ids");
    }
    nextEdge++;
    Buf e = entry.clear();
    e.putInt(t).putInt(s).putInt(id);
    lists.append(OUT, f, ADJ, e);
    e.clear().putInt(f).putInt(s).putInt(id);
    lists.append(IN, t, ADJ, e);
    if (props != null) {
      store.put(AdjacencyLists.keyOf(bk, PROPS, id), props);
    }
    edges++;
    return id;
  }

  @Override
  public EdgeBatch edgeBatch() {
    return new EdgeBatchImpl(this);
  }

  /** The session's off-heap check part-way through a change (which otherwise updates {@link #offHeap} at its end). */
  /** Updates the size the session's budget check reads, without checking (after a change was undone). */
  void refreshSize() {
    offHeap = store.offHeapBytes();
  }

  void checkBudgetNow() {
    offHeap = store.offHeapBytes();
    owner.checkBudget(name);
  }

  @Override
  public boolean removeEdge(Edge edge) {
    Objects.requireNonNull(edge, "edge");
    if (edge.id() < 0 || edge.id() >= Integer.MAX_VALUE) {
      return false;
    }
    return write(false, () -> {
      int f = idOf(GraphChecks.checkKey(edge.from()));
      int t = idOf(GraphChecks.checkKey(edge.to()));
      if (f < 0 || t < 0) {
        return false;
      }
      return removeEdgeLocked(f, t, (int) edge.id());
    });
  }

  boolean removeEdgeById(int f, int t, int id) {
    return removeEdgeLocked(f, t, id);
  }

  /** Removes a node that has no edges: its label memberships and records. */
  void deleteIsolatedNode(int id, String key, int[] labels) {
    lists.delete(OUT, id, ADJ);
    lists.delete(IN, id, ADJ);
    for (int l : labels) {
      lists.remove(LABEL, l, ONE, 0, id);
    }
    dropNodeRecords(id, key);
  }

  private boolean removeEdgeLocked(int f, int t, int id) {
    if (!lists.remove(OUT, f, ADJ, 8, id)) {
      return false;
    }
    lists.remove(IN, t, ADJ, 8, id);
    store.remove(AdjacencyLists.keyOf(bk, PROPS, id));
    edges--;
    return true;
  }

  @Override
  public int removeEdges(String from, String to, String type) {
    if (type != null) {
      GraphChecks.checkSymbol("edge type", type);
    }
    return write(false, () -> {
      int f = require(from);
      int t = require(to);
      int s = type == null ? -2 : symbolIfKnown(type);
      if (s == -1) {
        return 0;
      }
      Buf outs = lists.read(OUT, f, ADJ, new Buf());
      int n = 0;
      for (int at = 0; at < outs.len; at += ADJ) {
        if (outs.getInt(at) == t && (s == -2 || outs.getInt(at + 4) == s)) {
          removeEdgeLocked(f, t, outs.getInt(at + 8));
          n++;
        }
      }
      return n;
    });
  }

  @Override
  public List<Edge> edges(String key, Direction direction) {
    Objects.requireNonNull(direction, "direction");
    return read(() -> {
      int id = require(key);
      List<Edge> out = new ArrayList<>();
      if (direction != Direction.IN) {
        Buf outs = lists.read(OUT, id, ADJ, new Buf());
        for (int at = 0; at < outs.len; at += ADJ) {
          out.add(edge(key, keyOfId(outs.getInt(at)), outs.getInt(at + 4), outs.getInt(at + 8)));
        }
      }
      if (direction != Direction.OUT) {
        Buf ins = lists.read(IN, id, ADJ, new Buf());
        for (int at = 0; at < ins.len; at += ADJ) {
          out.add(edge(keyOfId(ins.getInt(at)), key, ins.getInt(at + 4), ins.getInt(at + 8)));
        }
      }
      return Collections.unmodifiableList(out);
    });
  }

  private Edge edge(String from, String to, int type, int id) {
    return new Edge(id, from, to, symbols.get(type), edgeProps(id));
  }

  private Map<String, Object> edgeProps(int id) {
    return store.get(AdjacencyLists.keyOf(bk, PROPS, id), bv) ? ValueCodec.readMap(bv) : Map.of();
  }

  @Override
  public List<Edge> edges() {
    return read(() -> {
      List<Edge> out = new ArrayList<>();
      Buf list = new Buf();
      for (int i = 0; i < nextNode; i++) {
        if (!store.get(AdjacencyLists.keyOf(bk, N, i), bv)) {
          continue;
        }
        String from = bv.getString();
        lists.read(OUT, i, ADJ, list);
        for (int at = 0; at < list.len; at += ADJ) {
          out.add(edge(from, keyOfId(list.getInt(at)), list.getInt(at + 4), list.getInt(at + 8)));
        }
      }
      return Collections.unmodifiableList(out);
    });
  }

  @Override
  public long edgeCount() {
    return read(() -> edges);
  }

  // ---- queries --------------------------------------------------------------------------------

  @Override
  public List<String> neighbors(String key, Direction direction, String edgeType) {
    Objects.requireNonNull(direction, "direction");
    if (edgeType != null) {
      GraphChecks.checkSymbol("edge type", edgeType);
    }
    return read(() -> {
      int id = require(key);
      int s = edgeType == null ? -2 : symbolIfKnown(edgeType);
      if (s == -1) {
        return List.of();
      }
      IntMap seen = new IntMap(16);
      List<String> out = new ArrayList<>();
      for (byte tag : tags(direction)) {
        Buf list = lists.read(tag, id, ADJ, new Buf());
        for (int at = 0; at < list.len; at += ADJ) {
          int other = list.getInt(at);
          if ((s == -2 || list.getInt(at + 4) == s) && seen.putIfAbsent(other, 0)) {
            out.add(keyOfId(other));
          }
        }
      }
      return Collections.unmodifiableList(out);
    });
  }

  static byte[] tags(Direction d) {
    switch (d) {
      case OUT:
        return new byte[] {OUT};
      case IN:
        return new byte[] {IN};
      default:
        return new byte[] {OUT, IN};
    }
  }

  @Override
  public long degree(String key, Direction direction) {
    Objects.requireNonNull(direction, "direction");
    return read(() -> {
      int id = require(key);
      long d = 0;
      for (byte tag : tags(direction)) {
        d += lists.size(tag, id);
      }
      return d;
    });
  }

  @Override
  public List<Visit> traverse(String start, Traversal traversal) {
    Objects.requireNonNull(traversal, "traversal");
    return read(() -> algorithms.traverse(start, traversal));
  }

  @Override
  public long reachCount(String start, Traversal traversal) {
    Objects.requireNonNull(traversal, "traversal");
    return read(() -> algorithms.reachCount(start, traversal));
  }

  @Override
  public Optional<Path> shortestPath(String from, String to) {
    return read(() -> algorithms.shortestPath(from, to));
  }

  @Override
  public Optional<Path> shortestPath(String from, String to, String weightProperty) {
    GraphChecks.checkSymbol("weight property", weightProperty);
    return read(() -> algorithms.shortestPath(from, to, weightProperty));
  }

  @Override
  public List<Set<String>> connectedComponents() {
    return read(() -> algorithms.connectedComponents());
  }

  // ---- the graph query language ---------------------------------------------------------------

  @Override
  public dev.ephemera.QueryResult query(String query, Map<String, ?> parameters) {
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(parameters, "parameters");
    return language.query(data(), query, parameters);
  }

  @Override
  public long insertInto(TempGraph target, String query, Map<String, ?> parameters) {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(parameters, "parameters");
    if (!(target instanceof GraphImpl t) || t.session != session) {
      throw new IllegalArgumentException("the target must be a temporary graph of the same session");
    }
    return language.insertInto(data(), t.data(), query, parameters);
  }

  // ---- SQL ------------------------------------------------------------------------------------

  @Override
  public long loadEdges(String sql, Object... params) {
    return GraphSqlIo.loadEdges(this, session, sql, params);
  }

  @Override
  public long loadNodes(String sql, Object... params) {
    return GraphSqlIo.loadNodes(this, session, sql, params);
  }

  @Override
  public long exportEdges(String tempTableName) {
    return GraphSqlIo.exportEdges(this, session, tempTableName);
  }

  /** The map's off-heap bytes and those of the traversal snapshots, if any. */
  @Override
  public long offHeapBytes() {
    return read(() -> store.offHeapBytes() + cacheBytes());
  }

  @Override
  public String toString() {
    GraphMap s = store;
    return "TempGraph[" + name + (s == null ? ", dropped" : ", nodes=" + nodes + ", edges=" + edges) + "]";
  }

}
