package dev.ephemera.internal.graph;

import dev.ephemera.Session;
import dev.ephemera.internal.util.Buf;
import dev.ephemera.internal.util.ValueCodec;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Supplier;

import static dev.ephemera.internal.graph.AdjacencyLists.ADJ;
import static dev.ephemera.internal.graph.AdjacencyLists.ONE;
import static dev.ephemera.internal.graph.GraphImpl.IN;
import static dev.ephemera.internal.graph.GraphImpl.LABEL;
import static dev.ephemera.internal.graph.GraphImpl.N;
import static dev.ephemera.internal.graph.GraphImpl.OUT;
import static dev.ephemera.internal.graph.GraphImpl.PROPS;

/**
 * What the graph query language ({@code internal.graph.query}) reads and changes of one graph, by
 * node id, symbol id and edge id rather than by key: the language's executor runs inside
 * {@link #read} or {@link #write}, under the graph's lock, and calls the rest from there.
 *
 * <p>Property reads go through the encoded record: {@link #property} scans the node's record,
 * compares each property's name as UTF-8 bytes and skips the values of the others by their
 * lengths, so a filter on one property never decodes the rest. The last node record read is kept
 * until the next change.
 */
public final class GraphData {
  private final GraphImpl g;
  private final Buf k = new Buf();
  private final Buf v = new Buf();
  private final Buf rec = new Buf();
  private final Buf list = new Buf();
  /** The node whose record {@link #rec} holds, or -1. */
  private int recId = -1;
  /** Changes made by the running query since the last budget check. */
  private int grown;
  /** A query that changes the graph runs now: the traversal snapshots could go stale under it, so none is used. */
  private boolean writing;
  private static final byte[] OUT_TAG = {OUT};
  private static final byte[] IN_TAG = {IN};

  GraphData(GraphImpl g) {
    this.g = g;
  }

  /** The graph's name as stored. */
  public String name() {
    return g.name();
  }

  /** The session the graph belongs to. */
  public Session session() {
    return g.owner().session();
  }

  /** Runs a reading query: a call of the session, under the graph's lock. */
  public <T> T read(Supplier<T> body) {
    return g.read(() -> {
      queryOut = null; // the graph may have changed since the last query: fetch the snapshots again
      queryIn = null;
      try {
        return body.get();
      } finally {
        queryOut = null;
        queryIn = null;
      }
    });
  }

  /**
   * Runs a query that may change the graph: as {@link #read}, and atomic: if {@code body} throws,
   * every change it made is undone; if it returns with a transaction open, its changes join it.
   */
  public <T> T write(Supplier<T> body) {
    recId = -1;
    writing = true;
    grown = 0;
    try {
      return g.atomically(body::get);
    } finally {
      writing = false;
      recId = -1;
    }
  }

  /** The check of the SQL statement running a query on this thread, if any (call it now and then). */
  public static Runnable checkpoint() {
    return GraphCheckpoint.current();
  }

  // ---- nodes ----------------------------------------------------------------------------------

  /** One more than the highest node id ever used: node ids are below it. */
  public int nodeIdLimit() {
    return g.nextNode;
  }

  public long nodeCount() {
    return g.nodes;
  }

  public boolean nodeExists(int id) {
    return id >= 0 && id < g.nextNode && load(id);
  }

  /** The id of the node with this key, or -1. */
  public int nodeId(String key) {
    byte[] u = key.getBytes(StandardCharsets.UTF_8);
    k.clear().put(GraphImpl.K).putBytes(u, 0, u.length);
    return g.store.get(k, v) ? v.getInt(0) : -1;
  }

  /** Reads node {@code id}'s record into {@link #rec}; false if there is no such node. */
  private boolean load(int id) {
    if (recId == id) {
      return true;
    }
    if (!g.store.get(AdjacencyLists.keyOf(k, N, id), rec)) {
      recId = -1;
      return false;
    }
    recId = id;
    return true;
  }

  private void require(int id) {
    if (!load(id)) {
      throw new IllegalStateException("node #" + id + " of graph '" + g.name() + "' does not exist");
    }
  }

  /** The node's key. */
  public String key(int id) {
    require(id);
    rec.pos = 0;
    return rec.getString();
  }

  /** The node's label symbols, in the order they were added. */
  public int[] labels(int id) {
    require(id);
    rec.pos = 0;
    skipString(rec);
    int[] out = new int[rec.getVar()];
    for (int i = 0; i < out.length; i++) {
      out[i] = rec.getVar();
    }
    return out;
  }

  /** Whether the node has every label of {@code symbols} (all known symbols). */
  public boolean hasLabels(int id, int[] symbols) {
    if (symbols.length == 0) {
      return true;
    }
    int[] have = labels(id);
    for (int s : symbols) {
      boolean found = false;
      for (int h : have) {
        if (h == s) {
          found = true;
          break;
        }
      }
      if (!found) {
        return false;
      }
    }
    return true;
  }

  /** Positions {@link #rec} at the node's property map. */
  private void toProperties(int id) {
    require(id);
    PropertyColumns.toProperties(rec);
  }

  /**
   * One property of the node, or {@code null}: the other properties are skipped, not decoded. A
   * reading query reads a numeric property from its column once reads have paid for one.
   */
  public Object property(int id, String name, byte[] utf8) {
    if (!writing) {
      PropertyColumn c = g.column(name, utf8);
      if (c != null && id < c.nodes) {
        return c.get(id);
      }
    }
    toProperties(id);
    return ValueCodec.findInMap(rec, utf8);
  }

  public Map<String, Object> properties(int id) {
    toProperties(id);
    return ValueCodec.readMap(rec);
  }

  /** The ids of the nodes with this label symbol. */
  public int[] labelMembers(int symbol) {
    g.lists.read(LABEL, symbol, ONE, list);
    int[] out = new int[list.len / ONE];
    for (int i = 0; i < out.length; i++) {
      out[i] = list.getInt(i * ONE);
    }
    return out;
  }

  /** How many nodes have this label symbol. */
  public int labelSize(int symbol) {
    return g.lists.size(LABEL, symbol);
  }

  // ---- edges ----------------------------------------------------------------------------------

  /**
   * The node's outgoing ({@code out}) or incoming edges as triples: the other node's id, the
   * type symbol and the edge id.
   */
  public int[] adjacency(int id, boolean out) {
    if (!writing) {
      CsrSnapshot s = csr(out);
      if (s != null) {
        int from = s.start(id);
        int n = s.end(id) - from;
        int[] r = new int[3 * n];
        for (int i = 0; i < n; i++) {
          r[3 * i] = s.target(from + i);
          r[3 * i + 1] = s.type(from + i);
          r[3 * i + 2] = s.id(from + i);
        }
        return r;
      }
      g.mapReads++; // reads pay for a snapshot, as traversals' do
    }
    g.lists.read(out ? OUT : IN, id, ADJ, list);
    int n = list.len / 4;
    int[] r = new int[n];
    for (int i = 0; i < n; i++) {
      r[i] = list.getInt(i * 4);
    }
    return r;
  }

  /** The snapshots a reading query has fetched, per direction, or {@code null}: reset by each query. */
  private CsrSnapshot queryOut;
  private CsrSnapshot queryIn;

  private CsrSnapshot csr(boolean out) {
    if (writing) {
      return null;
    }
    CsrSnapshot s = out ? queryOut : queryIn;
    if (s == null) {
      CsrSnapshot[] got = g.snapshots(out ? OUT_TAG : IN_TAG);
      if (got != null) {
        s = got[0];
        if (out) {
          queryOut = s;
        } else {
          queryIn = s;
        }
      }
    }
    return s;
  }

  /**
   * Where node {@code id}'s edges start in the direction's traversal snapshot, for a reading query
   * to read them in place ({@link #csrTarget}, {@link #csrType}, {@link #csrEdge} up to
   * {@link #csrEnd}); -1 when there is none yet (read {@link #adjacency}, which counts towards one).
   */
  public int csrStart(int id, boolean out) {
    CsrSnapshot s = csr(out);
    return s == null ? -1 : s.start(id);
  }

  public int csrEnd(int id, boolean out) {
    return (out ? queryOut : queryIn).end(id);
  }

  public int csrTarget(boolean out, int j) {
    return (out ? queryOut : queryIn).target(j);
  }

  public int csrType(boolean out, int j) {
    return (out ? queryOut : queryIn).type(j);
  }

  public int csrEdge(boolean out, int j) {
    return (out ? queryOut : queryIn).id(j);
  }

  /** The number of edges of the node in a direction. */
  public int degree(int id, boolean out) {
    return g.lists.size(out ? OUT : IN, id);
  }

  /**
   * The nodes within {@code maxDepth} edges of {@code start} (the start first, depth 0) and their
   * depths, each once, breadth first following {@code out} or incoming edges of these types (all
   * if empty): the walk {@link dev.ephemera.graph.TempGraph#traverse} makes, on its snapshots.
   */
  public int[][] reach(int start, int maxDepth, boolean out, String[] types) {
    recId = -1;
    dev.ephemera.graph.Traversal t = dev.ephemera.graph.Traversal.bfs().maxDepth(maxDepth)
        .direction(out ? dev.ephemera.graph.Direction.OUT : dev.ephemera.graph.Direction.IN);
    if (types.length > 0) {
      t = t.edgeTypes(types);
    }
    return g.algorithms().reach(start, t);
  }

  public Object edgeProperty(int edge, byte[] name) {
    if (!g.store.get(AdjacencyLists.keyOf(k, PROPS, edge), v)) {
      return null;
    }
    v.pos = 0;
    return ValueCodec.findInMap(v, name);
  }

  public Map<String, Object> edgeProperties(int edge) {
    if (!g.store.get(AdjacencyLists.keyOf(k, PROPS, edge), v)) {
      return Map.of();
    }
    v.pos = 0;
    return ValueCodec.readMap(v);
  }

  // ---- symbols --------------------------------------------------------------------------------

  /** The symbol of a label or edge type, made if new. */
  public int symbol(String name) {
    return g.symbol(name);
  }

  /** The symbol of a label or edge type, or -1 if the graph has never seen it. */
  public int symbolIfKnown(String name) {
    return g.symbolIfKnown(name);
  }

  public String symbolName(int symbol) {
    return g.symbols.get(symbol);
  }

  // ---- changes (inside write) -----------------------------------------------------------------

  /** Before a change that adds data: the session's off-heap limit, checked at the first and every 256th. */
  private void grow() {
    if ((grown++ & 255) == 0) {
      g.checkBudgetNow();
    }
  }

  /**
   * Creates a node. {@code key} may be {@code null}: it is then {@code "_:"} and the node's id,
   * with a suffix in the unlikely case a node already has that key.
   */
  public int createNode(String key, int[] labels, Map<String, Object> properties) {
    grow();
    recId = -1;
    String k0 = key;
    if (k0 == null) {
      k0 = "_:" + g.nextNode;
      for (int i = 1; nodeId(k0) >= 0; i++) {
        k0 = "_:" + g.nextNode + "." + i;
      }
    } else {
      GraphChecks.checkKey(k0);
    }
    int id = g.createNode(k0, k0.getBytes(StandardCharsets.UTF_8));
    writeRecord(id, k0, labels, properties);
    Buf e = new Buf(4).putInt(id);
    for (int s : labels) {
      g.lists.append(LABEL, s, ONE, e);
    }
    return id;
  }

  private void writeRecord(int id, String key, int[] labels, Map<String, Object> properties) {
    Buf r = GraphImpl.nodeRecord(key, labels, properties);
    GraphChecks.checkRecord("node '" + key + "'", r);
    g.store.put(AdjacencyLists.keyOf(k, N, id), r);
    recId = -1;
  }

  /** Replaces the node's properties (a {@code null} value is not stored). */
  public void setProperties(int id, Map<String, Object> properties) {
    grow();
    String key = key(id);
    int[] labels = labels(id);
    writeRecord(id, key, labels, properties);
  }

  /** Adds a label; false if the node had it. */
  public boolean addLabel(int id, int symbol) {
    int[] labels = labels(id);
    for (int l : labels) {
      if (l == symbol) {
        return false;
      }
    }
    grow();
    Map<String, Object> props = properties(id);
    String key = key(id);
    int[] more = java.util.Arrays.copyOf(labels, labels.length + 1);
    more[labels.length] = symbol;
    writeRecord(id, key, more, props);
    g.lists.append(LABEL, symbol, ONE, new Buf(4).putInt(id));
    return true;
  }

  /** Removes a label; false if the node did not have it. */
  public boolean removeLabel(int id, int symbol) {
    int[] labels = labels(id);
    int at = -1;
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] == symbol) {
        at = i;
      }
    }
    if (at < 0) {
      return false;
    }
    Map<String, Object> props = properties(id);
    String key = key(id);
    int[] fewer = new int[labels.length - 1];
    for (int i = 0, j = 0; i < labels.length; i++) {
      if (i != at) {
        fewer[j++] = labels[i];
      }
    }
    writeRecord(id, key, fewer, props);
    g.lists.remove(LABEL, symbol, ONE, 0, id);
    return true;
  }

  /** Creates an edge between existing nodes; returns its id. */
  public int createEdge(int from, int to, int type, Map<String, Object> properties) {
    grow();
    Buf props = null;
    if (!properties.isEmpty()) {
      props = new Buf(64);
      ValueCodec.writeMap(props, properties);
      GraphChecks.checkRecord("an edge", props);
    }
    return g.addEdgeById(from, to, type, props);
  }

  public void setEdgeProperties(int edge, Map<String, Object> properties) {
    grow();
    Buf key = AdjacencyLists.keyOf(new Buf(), PROPS, edge);
    if (properties.isEmpty()) {
      g.store.remove(key);
      return;
    }
    Buf props = new Buf(64);
    ValueCodec.writeMap(props, properties);
    GraphChecks.checkRecord("an edge", props);
    g.store.put(key, props);
  }

  /** Removes an edge; false if it was gone already. */
  public boolean deleteEdge(int from, int to, int edge) {
    return g.removeEdgeById(from, to, edge);
  }

  /** Removes a node that has no edges left. */
  public void deleteNode(int id) {
    String key = key(id);
    int[] labels = labels(id);
    g.deleteIsolatedNode(id, key, labels);
    recId = -1;
  }

  private static void skipString(Buf b) {
    int n = b.getVar();
    b.pos += n;
  }
}
