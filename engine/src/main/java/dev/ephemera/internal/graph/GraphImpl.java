package dev.ephemera.internal.graph;

import dev.ephemera.Names;
import dev.ephemera.ResourceLimitException;
import dev.ephemera.ValueTooLargeException;
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
import dev.ephemera.internal.util.Values;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * A temporary graph on one {@link GraphMap}. Layout of the map (keys are a tag byte and ints):
 * <ul>
 *   <li>{@code K utf8(key)} → node id (interning: user keys become compact ints);
 *   <li>{@code N id} → node record: key, label ids, properties;
 *   <li>{@code O id 0} / {@code I id 0} → the head block of the node's outgoing / incoming
 *       adjacency: the total count, the count in the head, then up to {@link #BLOCK} entries
 *       (neighbor, type, edge id), stored with room to spare;
 *       {@code O id b} for {@code b ≥ 1} → full blocks of {@link #BLOCK} entries. An added edge
 *       rewrites only the head (at most {@code 8 + 12 × 64} bytes); when the head is full it moves
 *       to a new numbered block. Loading is linear in edges, also for a hub;
 *   <li>{@code L label 0..} → the nodes with a label, in the same block layout;
 *   <li>{@code E edge} → an edge's properties (only for edges that have some).
 * </ul>
 * Label and edge-type names are interned on the heap (there are few). Calls are serialized on the
 * graph; each runs as a call of its session, so the session cannot be released under it.
 */
final class GraphImpl implements TempGraph {
  static final int BLOCK = 64;
  private static final int ADJ = 12;
  private static final int ONE = 4;
  static final int MAX_KEY_CHARS = 1024;
  static final int MAX_RECORD_BYTES = 16 * 1024;
  private static final byte K = 'K';
  private static final byte N = 'N';
  private static final byte OUT = 'O';
  private static final byte IN = 'I';
  private static final byte LABEL = 'L';
  private static final byte PROPS = 'E';
  private static final String DEFAULT_TYPE = "EDGE";

  private final GraphOwner session;
  private final SessionGraphs owner;
  private final String name;
  private GraphMap store;
  private long nodes;
  private long edges;
  private int nextNode;
  private int nextEdge;
  /** Off-heap bytes after the last call, read without the lock by the session's budget check. */
  private volatile long offHeap;
  /** Read-only CSR copies of the outgoing / incoming adjacency, or {@code null}: dropped by every change. */
  private CsrSnapshot outSnapshot;
  private CsrSnapshot inSnapshot;
  /** Map look-ups traversals made since the last change: a snapshot is built when they pay for it. */
  private long mapReads;
  private final ArrayList<String> symbols = new ArrayList<>();
  private final HashMap<String, Integer> symbolIds = new HashMap<>();

  // scratch buffers, used under the lock
  private final Buf k = new Buf();
  private final Buf v = new Buf();
  private final Buf bk = new Buf();
  private final Buf bv = new Buf();

  GraphImpl(GraphOwner session, SessionGraphs owner, String name, long expectedNodes, long expectedEdges) {
    this.session = session;
    this.owner = owner;
    this.name = name;
    // per node: K, N, and two heads; per edge: 2 × 12 bytes of adjacency, about a 40-byte entry per 3 edges
    long expected = Math.min(1L << 30, expectedNodes * 4 + expectedEdges / 2);
    this.store = new GraphMap(expected);
    this.offHeap = store.offHeapBytes();
  }

  @Override
  public String name() {
    return name;
  }

  // ---- plumbing -------------------------------------------------------------------------------

  @FunctionalInterface
  private interface Op<T> {
    T run();
  }

  /** Runs a read as a session call, under the graph's lock. */
  private <T> T read(Op<T> op) {
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
  private <T> T write(boolean grows, Op<T> op) {
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

  /** Frees the CSR snapshots (the graph changed, or is closing). */
  private void dropSnapshots() {
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
  private CsrSnapshot[] snapshots(byte[] tags) {
    CsrSnapshot[] out = new CsrSnapshot[tags.length];
    for (int i = 0; i < tags.length; i++) {
      CsrSnapshot s = tags[i] == OUT ? outSnapshot : inSnapshot;
      if (s == null) {
        if (mapReads < (nodes + edges / BLOCK + 1) * tags.length || edges > Integer.MAX_VALUE - 8) {
          return null;
        }
        if (!owner.fits(4L * (2L * nextNode + 2 * edges + 1))) {
          return null; // a cache must not push the session over maxGraphBytes
        }
        s = buildSnapshot(tags[i]);
        if (s == null) {
          return null;
        }
        if (tags[i] == OUT) {
          outSnapshot = s;
        } else {
          inSnapshot = s;
        }
        offHeap = store.offHeapBytes() + (outSnapshot == null ? 0 : outSnapshot.bytes())
            + (inSnapshot == null ? 0 : inSnapshot.bytes());
      }
      out[i] = s;
    }
    return out;
  }

  /** Copies one direction's adjacency into a new snapshot, in the order the map traversal reads it. */
  private CsrSnapshot buildSnapshot(byte tag) {
    CsrSnapshot s = new CsrSnapshot(nextNode, (int) edges);
    Buf head = new Buf(HDR + BLOCK * ADJ);
    Buf blk = new Buf(BLOCK * ADJ);
    Buf key = new Buf(16);
    int at = 0;
    try {
      for (int n = 0; n < nextNode; n++) {
        s.offset(n, at);
        if (!store.get(keyOf(key, tag, n, 0), head)) {
          continue;
        }
        int total = head.getInt(0);
        int inHead = head.getInt(4);
        if (at + total > s.edges) {
          s.close();
          return null; // counts disagree: keep reading the map
        }
        for (int j = 0; j < inHead; j++) {
          int e = HDR + j * ADJ;
          s.edge(at++, head.getInt(e), head.getInt(e + 4));
        }
        int full = (total - inHead) / BLOCK;
        for (int b = 1; b <= full; b++) {
          if (store.get(keyOf(key, tag, n, b), blk)) {
            for (int j = 0; j < BLOCK; j++) {
              s.edge(at++, blk.getInt(j * ADJ), blk.getInt(j * ADJ + 4));
            }
          }
        }
      }
      s.offset(nextNode, at);
    } catch (RuntimeException | Error e) {
      s.close();
      throw e;
    }
    if (at != s.edges) {
      s.close();
      return null;
    }
    return s;
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
      offHeap = 0;
      s.close();
    }
  }

  long offHeapNow() {
    return offHeap;
  }

  // ---- validation -----------------------------------------------------------------------------

  private static String checkKey(String key) {
    if (key == null) {
      throw new IllegalArgumentException("node key must not be null");
    }
    if (key.isEmpty() || key.length() > MAX_KEY_CHARS) {
      throw new IllegalArgumentException("node key must be 1 to " + MAX_KEY_CHARS + " characters: got "
          + key.length());
    }
    // keys are stored as UTF-8, where an unpaired surrogate becomes '?': "k\uD800" would be node "k?"
    int bad = Values.unpairedSurrogate(key);
    if (bad >= 0) {
      throw new IllegalArgumentException("node key must be well-formed Unicode: an unpaired surrogate at index " + bad);
    }
    return key;
  }

  private static String checkSymbol(String what, String s) {
    if (s == null) {
      throw new IllegalArgumentException(what + " must not be null");
    }
    if (s.isEmpty() || s.length() > 128) {
      throw new IllegalArgumentException(what + " must be 1 to 128 characters: got " + s.length());
    }
    for (int i = 0; i < s.length(); i++) {
      if (Character.isISOControl(s.charAt(i))) {
        throw new IllegalArgumentException(what + " must not contain control characters (index " + i + ")");
      }
    }
    int bad = Values.unpairedSurrogate(s); // property names are stored as UTF-8 (see checkKey)
    if (bad >= 0) {
      throw new IllegalArgumentException(what + " must be well-formed Unicode: an unpaired surrogate at index " + bad);
    }
    return s;
  }

  private static Map<String, Object> checkProperties(Map<String, ?> properties) {
    Objects.requireNonNull(properties, "properties");
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, ?> e : properties.entrySet()) {
      String p = checkSymbol("property name", e.getKey());
      out.put(p, Values.normalize(p, e.getValue()));
    }
    return out;
  }

  private static void checkRecord(String what, Buf record) {
    if (record.len > MAX_RECORD_BYTES) {
      throw new ValueTooLargeException("the labels and properties of " + what + " take " + record.len
          + " bytes encoded; at most " + MAX_RECORD_BYTES + " are allowed", record.len, MAX_RECORD_BYTES);
    }
  }

  // ---- keys -----------------------------------------------------------------------------------

  private static Buf keyOf(Buf b, byte tag, int id) {
    b.clear().put(tag).putInt(id);
    return b;
  }

  private static Buf keyOf(Buf b, byte tag, int id, int block) {
    b.clear().put(tag).putInt(id).putInt(block);
    return b;
  }

  /** The node id of a key, or -1. */
  private int idOf(String key) {
    byte[] u = key.getBytes(StandardCharsets.UTF_8);
    k.clear().put(K).putBytes(u, 0, u.length);
    return store.get(k, v) ? v.getInt(0) : -1;
  }

  private int require(String key) {
    int id = idOf(checkKey(key));
    if (id < 0) {
      throw new NodeNotFoundException(name, key);
    }
    return id;
  }

  /** The key of node {@code id} (which exists). */
  private String keyOfId(int id) {
    if (!store.get(keyOf(bk, N, id), bv)) {
      throw new IllegalStateException("graph '" + name + "' lost node #" + id);
    }
    return bv.getString();
  }

  private int symbol(String s) {
    Integer id = symbolIds.get(s);
    if (id == null) {
      id = symbols.size();
      symbols.add(s);
      symbolIds.put(s, id);
    }
    return id;
  }

  private int symbolIfKnown(String s) {
    Integer id = symbolIds.get(s);
    return id == null ? -1 : id;
  }

  // ---- node records ---------------------------------------------------------------------------

  private static Buf nodeRecord(String key, int[] labels, Map<String, Object> props) {
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
  private int createNode(String key, byte[] utf8) {
    int id = nextNode++;
    k.clear().put(K).putBytes(utf8, 0, utf8.length);
    v.clear().putInt(id);
    store.put(k, v);
    store.put(keyOf(bk, N, id), nodeRecord(key, new int[0], Map.of()));
    nodes++;
    return id;
  }

  /** Removes a node's record and its key's interning (its edges and labels are gone already). */
  private void dropNodeRecords(int id, String key) {
    store.remove(keyOf(bk, N, id));
    byte[] u = key.getBytes(StandardCharsets.UTF_8);
    store.remove(k.clear().put(K).putBytes(u, 0, u.length));
    nodes--;
  }

  private int ensureNode(String key) {
    byte[] u = key.getBytes(StandardCharsets.UTF_8);
    k.clear().put(K).putBytes(u, 0, u.length);
    return store.get(k, v) ? v.getInt(0) : createNode(key, u);
  }

  // ---- block lists ----------------------------------------------------------------------------

  /** Bytes before a head's entries: the list's total count, then the entries in the head. */
  private static final int HDR = 8;
  /** Entries a new head has room for; it doubles up to {@link #BLOCK}. */
  private static final int FIRST_CAPACITY = 4;

  private int listSize(byte tag, int owner) {
    return store.get(keyOf(bk, tag, owner, 0), bv) ? bv.getInt(0) : 0;
  }

  private final Buf entry = new Buf(ADJ);
  /** The block number a full head moved to in the last append, or 0. */
  private int spill;
  private final Buf headKey = new Buf(16);
  private final Buf head = new Buf(HDR + ADJ * BLOCK);
  private final Buf blockKey = new Buf(16);
  private final Buf block = new Buf(ADJ * BLOCK);

  /**
   * Appends one entry ({@code w} bytes of {@code e}) to a list: one read-and-replace of its head.
   * A head is stored with room to spare (4, 8, … {@link #BLOCK} entries) so that Chronicle does
   * not move it on every append; a full head first moves to a new numbered block.
   */
  private void listAppend(byte tag, int owner, int w, Buf e) {
    spill = 0;
    store.update(keyOf(headKey, tag, owner, 0), head, (h, present) -> {
      if (!present) {
        h.clear().putInt(0).putInt(0);
        h.ensure(HDR + FIRST_CAPACITY * w);
        h.len = HDR + FIRST_CAPACITY * w;
      }
      int total = h.getInt(0);
      int inHead = h.getInt(4);
      int capacity = (h.len - HDR) / w;
      if (inHead == BLOCK) { // the block is written below, outside this map context
        spill = (total - inHead) / BLOCK + 1;
        block.clear().putBytes(h.b, HDR, BLOCK * w);
        inHead = 0;
      } else if (inHead == capacity) {
        int bigger = Math.min(BLOCK, capacity * 2);
        h.ensure(HDR + bigger * w);
        h.len = HDR + bigger * w;
      }
      System.arraycopy(e.b, 0, h.b, HDR + inHead * w, w);
      h.setInt(0, total + 1);
      h.setInt(4, inHead + 1);
    });
    if (spill > 0) {
      store.put(keyOf(blockKey, tag, owner, spill), block);
    }
  }

  /**
   * Appends {@code count} entries ({@code w} bytes each, back to back in {@code entries}) to a
   * list with one read of its head and one write per block filled: the same layout
   * {@link #listAppend} leaves after {@code count} single appends.
   */
  private void listAppendAll(byte tag, int owner, int w, Buf entries, int count) {
    Buf h = head;
    int total;
    int inHead;
    if (store.get(keyOf(headKey, tag, owner, 0), h)) {
      total = h.getInt(0);
      inHead = h.getInt(4);
    } else {
      h.clear().putInt(0).putInt(0);
      total = 0;
      inHead = 0;
    }
    for (int done = 0; done < count;) {
      if (inHead == BLOCK) { // a full head moves to the next numbered block
        block.clear().putBytes(h.b, HDR, BLOCK * w);
        store.put(keyOf(blockKey, tag, owner, (total - inHead) / BLOCK + 1), block);
        inHead = 0;
      }
      int take = Math.min(count - done, BLOCK - inHead);
      h.ensure(HDR + (inHead + take) * w);
      System.arraycopy(entries.b, done * w, h.b, HDR + inHead * w, take * w);
      inHead += take;
      total += take;
      done += take;
    }
    int capacity = FIRST_CAPACITY;
    while (capacity < inHead) {
      capacity *= 2;
    }
    h.ensure(HDR + capacity * w);
    h.len = HDR + capacity * w;
    h.setInt(0, total);
    h.setInt(4, inHead);
    store.put(headKey, h);
  }

  /** Reads a whole list into {@code out} (entries of {@code w} bytes, back to back). */
  private Buf listRead(byte tag, int owner, int w, Buf out) {
    out.clear();
    if (!store.get(keyOf(bk, tag, owner, 0), bv)) {
      return out;
    }
    int total = bv.getInt(0);
    int inHead = bv.getInt(4);
    out.ensure(total * w);
    int full = (total - inHead) / BLOCK;
    for (int b = 1; b <= full; b++) {
      if (!store.get(keyOf(blockKey, tag, owner, b), block)) {
        throw new IllegalStateException("graph '" + name + "' lost block " + b + " of a list");
      }
      out.putBytes(block.b, 0, block.len);
    }
    out.putBytes(bv.b, HDR, inHead * w);
    return out;
  }

  /**
   * Removes the first entry whose int at {@code field} is {@code value}: the head's last entry
   * takes its place (an empty head is refilled from the last block first). Returns whether one
   * was found; a list it does not change is left exactly as it was.
   */
  private boolean listRemove(byte tag, int owner, int w, int field, int value) {
    Buf hk = keyOf(new Buf(16), tag, owner, 0);
    Buf h = new Buf(HDR + w * BLOCK);
    if (!store.get(hk, h)) {
      return false;
    }
    int total = h.getInt(0);
    int inHead = h.getInt(4);
    int full = (total - inHead) / BLOCK;
    int at = -1;
    for (int i = 0; i < inHead && at < 0; i++) {
      if (h.getInt(HDR + i * w + field) == value) {
        at = HDR + i * w;
      }
    }
    Buf bkey = new Buf(16);
    Buf blk = new Buf(BLOCK * w);
    int inBlock = 0;
    for (int b = 1; b <= full && at < 0; b++) {
      store.get(keyOf(bkey, tag, owner, b), blk);
      for (int i = 0; i < BLOCK; i++) {
        if (blk.getInt(i * w + field) == value) {
          at = i * w;
          inBlock = b;
          break;
        }
      }
    }
    if (at < 0) {
      return false;
    }
    if (inHead == 0) { // refill the head from the last full block
      Buf last = keyOf(new Buf(16), tag, owner, full);
      Buf lastBlock = blk;
      if (inBlock != full) {
        lastBlock = new Buf(BLOCK * w);
        store.get(last, lastBlock);
      }
      h.ensure(HDR + BLOCK * w);
      System.arraycopy(lastBlock.b, 0, h.b, HDR, BLOCK * w);
      h.len = HDR + BLOCK * w;
      store.remove(last);
      inHead = BLOCK;
      if (inBlock == full) { // the entry moved into the head with its block
        at += HDR;
        inBlock = 0;
      }
    }
    int lastAt = HDR + (inHead - 1) * w;
    if (inBlock == 0) {
      System.arraycopy(h.b, lastAt, h.b, at, w);
    } else {
      System.arraycopy(h.b, lastAt, blk.b, at, w);
      store.put(bkey, blk);
    }
    h.setInt(0, total - 1);
    h.setInt(4, inHead - 1);
    if (total == 1) {
      store.remove(hk);
    } else {
      store.put(hk, h);
    }
    return true;
  }

  private void listDelete(byte tag, int owner, int w) {
    Buf hk = keyOf(new Buf(16), tag, owner, 0);
    Buf h = new Buf(HDR + w * 8);
    if (!store.get(hk, h)) {
      return;
    }
    int full = (h.getInt(0) - h.getInt(4)) / BLOCK;
    for (int b = 1; b <= full; b++) {
      store.remove(keyOf(new Buf(16), tag, owner, b));
    }
    store.remove(hk);
  }

  // ---- nodes ----------------------------------------------------------------------------------

  @Override
  public boolean addNode(String key, Set<String> labels, Map<String, ?> properties) {
    checkKey(key);
    Objects.requireNonNull(labels, "labels");
    for (String l : labels) {
      checkSymbol("label", l);
    }
    Map<String, Object> props = checkProperties(properties);
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
      checkRecord("node '" + key + "'", record);
      boolean created = id < 0;
      if (created) {
        id = createNode(key, key.getBytes(StandardCharsets.UTF_8));
      }
      store.put(keyOf(bk, N, id), record);
      Buf e = new Buf(4).putInt(id);
      for (int s : added) {
        listAppend(LABEL, s, ONE, e);
      }
      return created;
    });
  }

  private NodeData readNodeOf(int id) {
    if (!store.get(keyOf(bk, N, id), bv)) {
      throw new IllegalStateException("graph '" + name + "' lost node #" + id);
    }
    return readNode(bv);
  }

  @Override
  public Optional<Node> node(String key) {
    checkKey(key);
    return read(() -> {
      int id = idOf(key);
      return id < 0 ? Optional.empty() : Optional.of(toNode(readNodeOf(id)));
    });
  }

  @Override
  public boolean removeNode(String key) {
    checkKey(key);
    return write(false, () -> {
      int id = idOf(key);
      if (id < 0) {
        return false;
      }
      Buf outs = listRead(OUT, id, ADJ, new Buf());
      for (int at = 0; at < outs.len; at += ADJ) {
        int other = outs.getInt(at);
        int edge = outs.getInt(at + 8);
        if (other != id) {
          listRemove(IN, other, ADJ, 8, edge);
        }
        store.remove(keyOf(bk, PROPS, edge));
        edges--;
      }
      Buf ins = listRead(IN, id, ADJ, new Buf());
      for (int at = 0; at < ins.len; at += ADJ) {
        int other = ins.getInt(at);
        int edge = ins.getInt(at + 8);
        if (other != id) { // a self-loop was counted with the outgoing edges
          listRemove(OUT, other, ADJ, 8, edge);
          store.remove(keyOf(bk, PROPS, edge));
          edges--;
        }
      }
      listDelete(OUT, id, ADJ);
      listDelete(IN, id, ADJ);
      for (int l : readNodeOf(id).labels) {
        listRemove(LABEL, l, ONE, 0, id);
      }
      dropNodeRecords(id, key);
      return true;
    });
  }

  @Override
  public List<String> nodesWithLabel(String label) {
    checkSymbol("label", label);
    return read(() -> {
      int s = symbolIfKnown(label);
      if (s < 0) {
        return List.of();
      }
      Buf ids = listRead(LABEL, s, ONE, new Buf());
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
        if (store.get(keyOf(bk, N, i), bv)) {
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
    checkKey(from);
    checkKey(to);
    checkSymbol("edge type", type);
    Map<String, Object> props = checkProperties(properties);
    Buf record = null;
    if (!props.isEmpty()) {
      record = new Buf(64);
      ValueCodec.writeMap(record, props);
      checkRecord("an edge", record);
    }
    Buf propsRecord = record;
    return write(true, () -> {
      long id = addEdgeLocked(from, to, type, propsRecord);
      return new Edge(id, from, to, type, props);
    });
  }

  private int addEdgeLocked(String from, String to, String type, Buf props) {
    int f = ensureNode(from);
    int t = ensureNode(to);
    int s = symbol(type);
    int id = nextEdge;
    if (id == Integer.MAX_VALUE) {
      throw new IllegalStateException("graph '" + name + "' has used all " + Integer.MAX_VALUE + " edge ids");
    }
    nextEdge++;
    Buf e = entry.clear();
    e.putInt(t).putInt(s).putInt(id);
    listAppend(OUT, f, ADJ, e);
    e.clear().putInt(f).putInt(s).putInt(id);
    listAppend(IN, t, ADJ, e);
    if (props != null) {
      store.put(keyOf(bk, PROPS, id), props);
    }
    edges++;
    return id;
  }

  @Override
  public EdgeBatch edgeBatch() {
    return new Batch();
  }

  /**
   * {@link EdgeBatch}: each edge's ends and type as indexes into the batch's distinct keys and
   * types. A key is hashed and deduplicated by {@link #add}, while the caller's string is at hand;
   * {@link #load} then looks each distinct key up (or creates its node) once and touches no string
   * per edge.
   */
  private final class Batch implements EdgeBatch {
    private static final int INITIAL = 16;
    private int[] from = new int[INITIAL];
    private int[] to = new int[INITIAL];
    /** Each edge's index into {@link #types}; null while every edge has the first type. */
    private int[] type;
    private int size;
    private KeyIndex keys = new KeyIndex();
    private ArrayList<String> types = new ArrayList<>();
    private HashMap<String, Integer> typeIndex = new HashMap<>();
    /** The last type that passed the check; at first an object no caller holds, so any type (null too) is checked. */
    private String lastType = NO_TYPE;
    private int lastTypeIndex;

    @Override
    public EdgeBatch add(String f, String t) {
      return add(f, t, DEFAULT_TYPE);
    }

    @Override
    public EdgeBatch add(String f, String t, String edgeType) {
      if (f == null || t == null) {
        checkKey(f);
        checkKey(t);
      }
      // a key the batch already holds passed the check when it was new: only new keys are read
      int hf = f.hashCode();
      int ht = t.hashCode();
      int a = keys.find(f, hf);
      int b = keys.find(t, ht);
      if (a < 0) {
        checkKey(f);
      }
      if (b < 0) {
        checkKey(t);
      }
      int ti = lastTypeIndex;
      if (edgeType != lastType) { // batches mostly repeat one type object: checked once
        checkSymbol("edge type", edgeType);
        Integer known = typeIndex.get(edgeType);
        ti = known == null ? types.size() : known;
      }
      if (size == from.length) {
        if (size >= MAX_BATCH) {
          throw new IllegalStateException("an edge batch holds at most " + MAX_BATCH + " edges; load it first");
        }
        int bigger = (int) Math.min(MAX_BATCH, size * 2L);
        from = Arrays.copyOf(from, bigger);
        to = Arrays.copyOf(to, bigger);
        if (type != null) {
          type = Arrays.copyOf(type, bigger);
        }
      }
      if (ti != 0 && type == null) {
        type = new int[from.length];
      }
      keys.ensureRoom(a < 0 && b < 0 ? 2 : a < 0 || b < 0 ? 1 : 0);
      // nothing above changed what the batch holds; from here on nothing can fail
      from[size] = a >= 0 ? a : keys.add(f, hf);
      to[size] = b >= 0 ? b : keys.add(t, ht); // t may equal a new f: add finds it then
      if (ti == types.size()) {
        types.add(edgeType);
        typeIndex.put(edgeType, ti);
      }
      if (type != null) {
        type[size] = ti;
      }
      lastType = edgeType;
      lastTypeIndex = ti;
      size++;
      return this;
    }

    @Override
    public int size() {
      return size;
    }

    @Override
    public long load() {
      int n = size;
      long added = write(n > 0, () -> n == 0 ? 0L : addEdgesLocked(this, n));
      clear();
      return added;
    }

    @Override
    public void clear() {
      from = new int[INITIAL]; // lets a big batch's arrays go
      to = new int[INITIAL];
      type = null;
      keys = new KeyIndex();
      types = new ArrayList<>();
      typeIndex = new HashMap<>();
      lastType = NO_TYPE;
      lastTypeIndex = 0;
      size = 0;
    }

    @Override
    public String toString() {
      return "EdgeBatch[graph " + name + ", " + size + " edges]";
    }
  }

  /** A string no caller can pass (a new object): a batch's "no type checked yet". */
  @SuppressWarnings("StringOperationCanBeSimplified")
  private static final String NO_TYPE = new String("no type yet");

  /** The most edges one batch holds (its arrays are Java arrays). */
  static final int MAX_BATCH = Integer.MAX_VALUE - 16;

  /**
   * Adds {@code n} checked edges at once: each distinct key is looked up (or created) once, and
   * each node's outgoing and incoming lists are written once, with all their new entries (the
   * edges sorted by node), instead of once per edge. All or none: on a failure part-way (the
   * off-heap limit) the map's changes are put back from a journal and the counters restored.
   */
  private long addEdgesLocked(Batch batch, int n) {
    if ((long) nextEdge + n >= Integer.MAX_VALUE) {
      throw new IllegalStateException("graph '" + name + "' has room for " + (Integer.MAX_VALUE - 1L - nextEdge)
          + " more edge ids; the batch has " + n + " edges");
    }
    int nodesAtStart = nextNode;
    long nodesBefore = nodes;
    ArrayList<Buf[]> outer = store.journal; // set inside a transaction
    // an empty graph outside a transaction needs no journal: a failure empties it again
    boolean fromEmpty = outer == null && store.isEmpty();
    int mark = outer == null ? 0 : outer.size();
    if (outer == null && !fromEmpty) {
      store.journal = new ArrayList<>();
    }
    try {
      boolean allNew = fromEmpty || store.isEmpty(); // no key is in an empty map: no look-ups
      String[] keys = batch.keys.keys;
      int[] node = new int[batch.keys.size];
      for (int j = 0; j < node.length; j++) { // in order of first appearance, as addEdge would create them
        String key = keys[j];
        node[j] = allNew ? createNode(key, key.getBytes(StandardCharsets.UTF_8)) : ensureNode(key);
        if ((j & 4095) == 4095) {
          checkBudgetNow();
        }
      }
      int[] symbol = new int[batch.types.size()];
      for (int j = 0; j < symbol.length; j++) {
        symbol[j] = symbol(batch.types.get(j));
      }
      // the batch's own arrays, read through node[] and symbol[]: no per-edge copy on the heap
      appendAll(OUT, batch.from, batch.to, node, batch.type, symbol, n);
      appendAll(IN, batch.to, batch.from, node, batch.type, symbol, n);
      nextEdge += n;
      edges += n;
      return n;
    } catch (RuntimeException | Error e) {
      if (fromEmpty) {
        store.reset();
      } else {
        ArrayList<Buf[]> journal = store.journal;
        List<Buf[]> mine = journal.subList(mark, journal.size());
        store.undo(new ArrayList<>(mine));
        mine.clear();
      }
      nextNode = nodesAtStart;
      nodes = nodesBefore;
      throw e;
    } finally {
      if (outer == null) {
        store.journal = null;
      }
    }
  }

  /** The session's off-heap check part-way through a change (which otherwise updates {@link #offHeap} at its end). */
  private void checkBudgetNow() {
    offHeap = store.offHeapBytes();
    owner.checkBudget(name);
  }

  /**
   * A batch's distinct keys, each numbered in order of first appearance: open addressing over the
   * keys' own cached hash codes, no boxing, compared by identity first (a caller's keys are often
   * the same String objects) and by {@code equals} only on a hash match.
   */
  static final class KeyIndex {
    /** The most distinct keys one index holds (its table doubles up to 2^30 slots). */
    static final int MAX_KEYS = 1 << 29;
    /** The distinct keys by number. */
    String[] keys = new String[16];
    int size;
    private String[] slots = new String[32];
    /** Each slot's key's hash code (high half) and number (low half). */
    private long[] codes = new long[32];

    /** Makes room for {@code more} (at most 2) new keys, or throws and changes nothing; {@link #add} then cannot fail. */
    void ensureRoom(int more) {
      if (size + more > MAX_KEYS) {
        throw new IllegalStateException("an edge batch holds at most " + MAX_KEYS + " distinct keys; load it first");
      }
      if (size + more > keys.length) {
        keys = Arrays.copyOf(keys, keys.length * 2);
      }
      if ((size + more) * 2 > slots.length) {
        grow();
      }
    }

    /** The number of {@code key} (whose hash code is {@code h}), or -1 if the index does not hold it. */
    int find(String key, int h) {
      int i = slot(key, h);
      return slots[i] == null ? -1 : (int) codes[i];
    }

    /** The number of {@code key}, a new one if it is new; {@link #ensureRoom} first. */
    int add(String key, int h) {
      int i = slot(key, h);
      if (slots[i] != null) {
        return (int) codes[i];
      }
      int n = size++;
      keys[n] = key;
      slots[i] = key;
      codes[i] = ((long) h << 32) | n;
      return n;
    }

    /** The slot that holds {@code key}, or the empty slot where it would go. */
    private int slot(String key, int h) {
      int mask = slots.length - 1;
      for (int i = (h ^ (h >>> 16)) & mask; ; i = (i + 1) & mask) {
        String k = slots[i];
        if (k == null || k == key || ((int) (codes[i] >>> 32) == h && k.equals(key))) {
          return i;
        }
      }
    }

    private void grow() {
      String[] oldSlots = slots;
      long[] oldCodes = codes;
      slots = new String[oldSlots.length * 2];
      codes = new long[oldSlots.length * 2];
      int mask = slots.length - 1;
      for (int j = 0; j < oldSlots.length; j++) {
        String k = oldSlots[j];
        if (k != null) {
          int h = (int) (oldCodes[j] >>> 32);
          int i = (h ^ (h >>> 16)) & mask;
          while (slots[i] != null) {
            i = (i + 1) & mask;
          }
          slots[i] = k;
          codes[i] = oldCodes[j];
        }
      }
    }
  }

  /**
   * Appends the batch's entries to one direction's lists: node {@code node[owners[i]]} gets
   * ({@code node[other[i]]}, {@code symbol[type[i]]}, edge id), {@code type} null meaning type 0
   * for all; grouped by owner, each group in edge-id order, so each list is written once and its
   * entries keep the order {@code addEdge} would give them.
   */
  private void appendAll(byte tag, int[] owners, int[] other, int[] node, int[] type, int[] symbol, int n) {
    int[] order = byOwner(owners, node.length, n);
    Buf entries = new Buf(ADJ * BLOCK);
    int only = symbol[0];
    int lists = 0;
    for (int i = 0; i < n;) {
      int o = owners[order[i]];
      entries.clear();
      int j = i;
      for (; j < n && owners[order[j]] == o; j++) {
        int e = order[j];
        entries.putInt(node[other[e]]).putInt(type == null ? only : symbol[type[e]]).putInt(nextEdge + e);
      }
      listAppendAll(tag, node[o], ADJ, entries, j - i);
      i = j;
      if (++lists % 4096 == 0) {
        checkBudgetNow();
      }
    }
  }

  /**
   * The indexes {@code 0..n-1} ordered by {@code owners[i]} (a batch's key numbers, below
   * {@code keys}), then by index: a counting sort, linear in the batch's size whatever the graph's.
   */
  private static int[] byOwner(int[] owners, int keys, int n) {
    int[] start = new int[keys + 1];
    for (int i = 0; i < n; i++) {
      start[owners[i] + 1]++;
    }
    for (int k = 0; k < keys; k++) {
      start[k + 1] += start[k];
    }
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[start[owners[i]]++] = i;
    }
    return order;
  }

  @Override
  public boolean removeEdge(Edge edge) {
    Objects.requireNonNull(edge, "edge");
    if (edge.id() < 0 || edge.id() >= Integer.MAX_VALUE) {
      return false;
    }
    return write(false, () -> {
      int f = idOf(checkKey(edge.from()));
      int t = idOf(checkKey(edge.to()));
      if (f < 0 || t < 0) {
        return false;
      }
      return removeEdgeLocked(f, t, (int) edge.id());
    });
  }

  private boolean removeEdgeLocked(int f, int t, int id) {
    if (!listRemove(OUT, f, ADJ, 8, id)) {
      return false;
    }
    listRemove(IN, t, ADJ, 8, id);
    store.remove(keyOf(bk, PROPS, id));
    edges--;
    return true;
  }

  @Override
  public int removeEdges(String from, String to, String type) {
    if (type != null) {
      checkSymbol("edge type", type);
    }
    return write(false, () -> {
      int f = require(from);
      int t = require(to);
      int s = type == null ? -2 : symbolIfKnown(type);
      if (s == -1) {
        return 0;
      }
      Buf outs = listRead(OUT, f, ADJ, new Buf());
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
        Buf outs = listRead(OUT, id, ADJ, new Buf());
        for (int at = 0; at < outs.len; at += ADJ) {
          out.add(edge(key, keyOfId(outs.getInt(at)), outs.getInt(at + 4), outs.getInt(at + 8)));
        }
      }
      if (direction != Direction.OUT) {
        Buf ins = listRead(IN, id, ADJ, new Buf());
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
    return store.get(keyOf(bk, PROPS, id), bv) ? ValueCodec.readMap(bv) : Map.of();
  }

  @Override
  public List<Edge> edges() {
    return read(() -> {
      List<Edge> out = new ArrayList<>();
      Buf list = new Buf();
      for (int i = 0; i < nextNode; i++) {
        if (!store.get(keyOf(bk, N, i), bv)) {
          continue;
        }
        String from = bv.getString();
        listRead(OUT, i, ADJ, list);
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
      checkSymbol("edge type", edgeType);
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
        Buf list = listRead(tag, id, ADJ, new Buf());
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

  private static byte[] tags(Direction d) {
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
        d += listSize(tag, id);
      }
      return d;
    });
  }

  /** A breadth-first walk's result: node ids and depths in the order reached. */
  private static final class Walk {
    int[] ids;
    int[] depths;
    int size;

    Walk() {
      this(64);
    }

    Walk(int capacity) {
      ids = new int[Math.max(1, capacity)];
      depths = new int[ids.length];
    }

    void add(int id, int depth) {
      if (size == ids.length) {
        ids = Arrays.copyOf(ids, size * 2);
        depths = Arrays.copyOf(depths, size * 2);
      }
      ids[size] = id;
      depths[size++] = depth;
    }
  }

  /**
   * Breadth first from {@code start}. Reads each expanded node's adjacency straight from the
   * head and blocks into reused buffers; nodes at {@code maxDepth} are reached, not expanded.
   */
  private Walk bfs(int start, Traversal t) {
    byte[] tags = tags(t.direction());
    int[] types = typeIds(t);
    int max = t.maxDepth();
    CsrSnapshot[] snaps = snapshots(tags);
    if (snaps != null) {
      int n = CsrSnapshot.bfs(start, max, snaps, types);
      Walk w = new Walk(n);
      for (int i = 0; i < n; i++) {
        w.add(snaps[0].reached(i), snaps[0].depth(i));
      }
      return w;
    }
    Walk w = new Walk();
    IntMap seen = new IntMap(64);
    seen.putIfAbsent(start, 0);
    w.add(start, 0);
    Buf head = bv;
    Buf blk = new Buf(BLOCK * ADJ);
    Buf key = bk;
    for (int i = 0; i < w.size; i++) {
      int depth = w.depths[i];
      if (depth >= max) {
        break; // depths only grow along the queue
      }
      int node = w.ids[i];
      for (byte tag : tags) {
        mapReads++;
        if (!store.get(keyOf(key, tag, node, 0), head)) {
          continue;
        }
        int total = head.getInt(0);
        int inHead = head.getInt(4);
        int full = (total - inHead) / BLOCK;
        mapReads += full;
        visit(head.b, HDR, inHead, types, seen, w, depth + 1);
        for (int b = 1; b <= full; b++) {
          if (store.get(keyOf(key, tag, node, b), blk)) {
            visit(blk.b, 0, BLOCK, types, seen, w, depth + 1);
          }
        }
      }
    }
    return w;
  }

  /** The ids of the traversal's edge types that exist, or {@code null} for any type. */
  private int[] typeIds(Traversal t) {
    return t.edgeTypes().isEmpty() ? null
        : t.edgeTypes().stream().mapToInt(this::symbolIfKnown).filter(x -> x >= 0).toArray();
  }

  private static void visit(byte[] a, int from, int n, int[] types, IntMap seen, Walk w, int depth) {
    for (int i = 0, at = from; i < n; i++, at += ADJ) {
      int other = (a[at] & 0xFF) | (a[at + 1] & 0xFF) << 8 | (a[at + 2] & 0xFF) << 16 | (a[at + 3] & 0xFF) << 24;
      if (types != null) {
        int type = (a[at + 4] & 0xFF) | (a[at + 5] & 0xFF) << 8 | (a[at + 6] & 0xFF) << 16 | (a[at + 7] & 0xFF) << 24;
        boolean ok = false;
        for (int x : types) {
          ok |= x == type;
        }
        if (!ok) {
          continue;
        }
      }
      if (seen.putIfAbsent(other, 0)) {
        w.add(other, depth);
      }
    }
  }

  @Override
  public List<Visit> traverse(String start, Traversal traversal) {
    Objects.requireNonNull(traversal, "traversal");
    return read(() -> {
      Walk w = bfs(require(start), traversal);
      List<Visit> out = new ArrayList<>(w.size);
      for (int i = 0; i < w.size; i++) {
        out.add(new Visit(keyOfId(w.ids[i]), w.depths[i]));
      }
      return Collections.unmodifiableList(out);
    });
  }

  @Override
  public long reachCount(String start, Traversal traversal) {
    Objects.requireNonNull(traversal, "traversal");
    return read(() -> {
      int from = require(start);
      CsrSnapshot[] snaps = snapshots(tags(traversal.direction()));
      if (snaps != null) { // only the count: no list of the reached nodes
        return (long) CsrSnapshot.bfs(from, traversal.maxDepth(), snaps, typeIds(traversal));
      }
      return (long) bfs(from, traversal).size;
    });
  }

  @Override
  public Optional<Path> shortestPath(String from, String to) {
    return read(() -> {
      int a = require(from);
      int b = require(to);
      IntMap parent = new IntMap(64);
      parent.putIfAbsent(a, a);
      int[] queue = new int[64];
      int qs = 0;
      int qe = 0;
      queue[qe++] = a;
      Buf list = new Buf();
      while (qs < qe && !parent.contains(b)) {
        int node = queue[qs++];
        listRead(OUT, node, ADJ, list);
        for (int at = 0; at < list.len; at += ADJ) {
          int other = list.getInt(at);
          if (parent.putIfAbsent(other, node)) {
            if (qe == queue.length) {
              queue = Arrays.copyOf(queue, qe * 2);
            }
            queue[qe++] = other;
          }
        }
      }
      if (!parent.contains(b)) {
        return Optional.<Path>empty();
      }
      List<String> path = pathTo(a, b, x -> parent.get(x, -1));
      return Optional.of(new Path(path, path.size() - 1));
    });
  }

  /** The keys from {@code a} to {@code b}, following {@code parent} back from {@code b}. */
  private List<String> pathTo(int a, int b, java.util.function.IntUnaryOperator parent) {
    List<String> path = new ArrayList<>();
    for (int x = b; ; x = parent.applyAsInt(x)) {
      path.add(keyOfId(x));
      if (x == a) {
        break;
      }
    }
    Collections.reverse(path);
    return path;
  }

  @Override
  public Optional<Path> shortestPath(String from, String to, String weightProperty) {
    checkSymbol("weight property", weightProperty);
    return read(() -> {
      int a = require(from);
      int b = require(to);
      HashMap<Integer, Double> dist = new HashMap<>();
      HashMap<Integer, Integer> parent = new HashMap<>();
      PriorityQueue<double[]> queue = new PriorityQueue<>((x, y) -> Double.compare(x[0], y[0]));
      dist.put(a, 0.0);
      queue.add(new double[] {0, a});
      Buf list = new Buf();
      while (!queue.isEmpty()) {
        double[] top = queue.poll();
        int node = (int) top[1];
        if (top[0] > dist.get(node)) {
          continue; // a stale entry
        }
        if (node == b) {
          break;
        }
        listRead(OUT, node, ADJ, list);
        for (int at = 0; at < list.len; at += ADJ) {
          int other = list.getInt(at);
          double wgt = weight(node, other, list.getInt(at + 4), list.getInt(at + 8), weightProperty);
          double d = top[0] + wgt;
          Double known = dist.get(other);
          if (known == null || d < known) {
            dist.put(other, d);
            parent.put(other, node);
            queue.add(new double[] {d, other});
          }
        }
      }
      if (!dist.containsKey(b)) {
        return Optional.<Path>empty();
      }
      return Optional.of(new Path(pathTo(a, b, parent::get), dist.get(b)));
    });
  }

  private double weight(int from, int to, int type, int edge, String property) {
    Object w = store.get(keyOf(bk, PROPS, edge), bv) ? ValueCodec.readMap(bv).get(property) : null;
    if (!(w instanceof Number n)) {
      throw new IllegalArgumentException("edge " + describe(from, to, type) + " has no numeric property '"
          + property + "'" + (w == null ? "" : " (it is " + w.getClass().getSimpleName() + ")"));
    }
    double d = n.doubleValue();
    if (!(d >= 0) || Double.isInfinite(d)) {
      throw new IllegalArgumentException("edge " + describe(from, to, type) + " has weight " + d + " in '"
          + property + "'; shortest paths need finite weights >= 0");
    }
    return d;
  }

  private String describe(int from, int to, int type) {
    return "'" + keyOfId(from) + "' -[" + symbols.get(type) + "]-> '" + keyOfId(to) + "'";
  }

  @Override
  public List<Set<String>> connectedComponents() {
    return read(() -> {
      int n = nextNode;
      int[] parent = new int[n];
      boolean[] alive = new boolean[n];
      Buf list = new Buf();
      for (int i = 0; i < n; i++) {
        parent[i] = i;
      }
      for (int i = 0; i < n; i++) {
        if (!store.get(keyOf(bk, N, i), bv)) {
          continue;
        }
        alive[i] = true;
        listRead(OUT, i, ADJ, list);
        for (int at = 0; at < list.len; at += ADJ) {
          union(parent, i, list.getInt(at));
        }
      }
      Map<Integer, Set<String>> groups = new HashMap<>();
      for (int i = 0; i < n; i++) {
        if (alive[i]) {
          groups.computeIfAbsent(find(parent, i), r -> new LinkedHashSet<>()).add(keyOfId(i));
        }
      }
      List<Set<String>> out = new ArrayList<>();
      for (Set<String> g : groups.values()) {
        out.add(Collections.unmodifiableSet(g));
      }
      out.sort((x, y) -> Integer.compare(y.size(), x.size()));
      return Collections.unmodifiableList(out);
    });
  }

  private static int find(int[] parent, int x) {
    while (parent[x] != x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  }

  private static void union(int[] parent, int a, int b) {
    int ra = find(parent, a);
    int rb = find(parent, b);
    if (ra != rb) {
      parent[Math.max(ra, rb)] = Math.min(ra, rb);
    }
  }

  // ---- SQL ------------------------------------------------------------------------------------

  @Override
  public long loadEdges(String sql, Object... params) {
    Objects.requireNonNull(sql, "sql");
    // lock order: the session's SQL lock, then the graph (a rollback undoes graph edits under the SQL lock)
    return session.withSqlLock(c -> loadEdgesLocked(c, sql, params));
  }

  private long loadEdgesLocked(Connection c, String sql, Object... params) throws SQLException {
    // every row is read and checked first; then the edges go in at once, all or none
    Batch batch = new Batch();
    readRows(c, "loadEdges", sql, params, 2, 3, "source, target [, type]", (rs, cols) -> {
        String from = rs.getString(1);
        String to = rs.getString(2);
        String type = cols == 3 ? rs.getString(3) : DEFAULT_TYPE;
        long row = batch.size() + 1L;
        if (from == null || to == null || type == null) {
          throw new IllegalArgumentException("loadEdges: row " + row + " has a null "
              + (from == null ? "source" : to == null ? "target" : "type"));
        }
        try {
          batch.add(from, to, type);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("loadEdges: row " + row + ": " + e.getMessage(), e);
        }
    });
    return batch.load();
  }

  @Override
  public long loadNodes(String sql, Object... params) {
    Objects.requireNonNull(sql, "sql");
    List<String[]> rows = new ArrayList<>();
    // read and check every row first: the graph changes only when all of them are good
    session.withSqlLock(c -> {
      readRows(c, "loadNodes", sql, params, 1, 2, "key [, label]", (rs, cols) -> {
        String key = rs.getString(1);
        String label = cols == 2 ? rs.getString(2) : null;
        long row = rows.size() + 1L;
        if (key == null) {
          throw new IllegalArgumentException("loadNodes: row " + row + " has a null key");
        }
        try {
          checkKey(key);
          if (label != null) {
            checkSymbol("label", label);
          }
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("loadNodes: row " + row + ": " + e.getMessage(), e);
        }
        rows.add(new String[] {key, label});
      });
      return null;
    });
    for (String[] r : rows) {
      addNode(r[0], r[1] == null ? Set.of() : Set.of(r[1]), Map.of());
    }
    return rows.size();
  }

  @FunctionalInterface
  private interface RowReader {
    void row(ResultSet rs, int columns) throws SQLException;
  }

  /** Runs a load's query on the session's connection and hands each row to {@code reader}. */
  private static void readRows(Connection c, String what, String sql, Object[] params, int minColumns, int maxColumns, String columns,
      RowReader reader) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; params != null && i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        int cols = rs.getMetaData().getColumnCount();
        if (cols < minColumns || cols > maxColumns) {
          throw new IllegalArgumentException(what + " needs a query returning " + minColumns + " or " + maxColumns
              + " columns (" + columns + "); it returned " + cols);
        }
        while (rs.next()) {
          reader.row(rs, cols);
        }
      }
    }
  }

  @Override
  public long exportEdges(String tempTableName) {
    String table = Names.check("table", tempTableName).toUpperCase(Locale.ROOT);
    List<Object[]> rows = read(() -> {
      List<Object[]> all = new ArrayList<>();
      Buf list = new Buf();
      for (int i = 0; i < nextNode; i++) {
        if (!store.get(keyOf(bk, N, i), bv)) {
          continue;
        }
        String from = bv.getString();
        listRead(OUT, i, ADJ, list);
        for (int at = 0; at < list.len; at += ADJ) {
          all.add(new Object[] {from, keyOfId(list.getInt(at)), symbols.get(list.getInt(at + 4))});
        }
      }
      return all;
    });
    session.session().createTempTable(table, "SOURCE VARCHAR, TARGET VARCHAR, TYPE VARCHAR");
    String insert = "INSERT INTO \"" + table.toUpperCase(Locale.ROOT) + "\" VALUES (?, ?, ?)";
    for (int i = 0; i < rows.size(); i += 1000) {
      session.session().executeBatch(insert, rows.subList(i, Math.min(rows.size(), i + 1000)));
    }
    return rows.size();
  }

  /** The map's off-heap bytes and those of the traversal snapshots, if any. */
  @Override
  public long offHeapBytes() {
    return read(() -> store.offHeapBytes() + (outSnapshot == null ? 0 : outSnapshot.bytes())
        + (inSnapshot == null ? 0 : inSnapshot.bytes()));
  }

  @Override
  public String toString() {
    GraphMap s = store;
    return "TempGraph[" + name + (s == null ? ", dropped" : ", nodes=" + nodes + ", edges=" + edges) + "]";
  }

  static ResourceLimitException overBudget(String graph, long limit, long used) {
    return new ResourceLimitException("the session's temporary graphs hold " + used + " off-heap bytes, at its limit of "
        + limit + " (maxGraphBytes): graph '" + graph + "' was not changed", "graph bytes", limit, used);
  }
}
