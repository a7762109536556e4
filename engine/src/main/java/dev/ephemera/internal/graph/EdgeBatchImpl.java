package dev.ephemera.internal.graph;

import dev.ephemera.graph.EdgeBatch;
import dev.ephemera.internal.util.Buf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;

import static dev.ephemera.internal.graph.AdjacencyLists.ADJ;
import static dev.ephemera.internal.graph.AdjacencyLists.BLOCK;

/**
 * {@link EdgeBatch}: each edge's ends and type as indexes into the batch's distinct keys and
 * types. A key is hashed and deduplicated by {@link #add}, while the caller's string is at hand;
 * {@link #load} then looks each distinct key up (or creates its node) once and touches no string
 * per edge.
 */
final class EdgeBatchImpl implements EdgeBatch {
  /** The most edges one batch holds (its arrays are Java arrays). */
  static final int MAX_BATCH = Integer.MAX_VALUE - 16;

  /** A string no caller can pass (a new object): a batch's "no type checked yet". */
  @SuppressWarnings("StringOperationCanBeSimplified")
  private static final String NO_TYPE = new String("no type yet");

  private final GraphImpl graph;
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

  EdgeBatchImpl(GraphImpl graph) {
    this.graph = graph;
  }

  @Override
  public EdgeBatch add(String f, String t) {
    return add(f, t, GraphImpl.DEFAULT_TYPE);
  }

  @Override
  public EdgeBatch add(String f, String t, String edgeType) {
    if (f == null || t == null) {
      GraphChecks.checkKey(f);
      GraphChecks.checkKey(t);
    }
    // a key the batch already holds passed the check when it was new: only new keys are read
    int hf = f.hashCode();
    int ht = t.hashCode();
    int a = keys.find(f, hf);
    int b = keys.find(t, ht);
    if (a < 0) {
      GraphChecks.checkKey(f);
    }
    if (b < 0) {
      GraphChecks.checkKey(t);
    }
    int ti = lastTypeIndex;
    if (edgeType != lastType) { // batches mostly repeat one type object: checked once
      GraphChecks.checkSymbol("edge type", edgeType);
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
    long added = graph.write(n > 0, () -> n == 0 ? 0L : loadLocked(n));
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
    return "EdgeBatch[graph " + graph.name() + ", " + size + " edges]";
  }

  /**
   * Adds {@code n} checked graph.edges at once: each distinct key is looked up (or created) once, and
   * each node's outgoing and incoming lists are written once, with all their new entries (the
   * graph.edges sorted by node), instead of once per edge. All or none: on a failure part-way (the
   * off-heap limit) the map's changes are put back from a journal and the counters restored.
   */
  private long loadLocked(int n) {
    if ((long) graph.nextEdge + n >= Integer.MAX_VALUE) {
      throw new IllegalStateException("graph '" + graph.name() + "' has room for " + (Integer.MAX_VALUE - 1L - graph.nextEdge)
          + " more edge ids; the batch has " + n + " edges");
    }
    int nodesAtStart = graph.nextNode;
    long nodesBefore = graph.nodes;
    long capacityBefore = graph.store.capacity();
    long bytesBefore = graph.store.offHeapBytes();
    ArrayList<Buf[]> outer = graph.store.journal; // set inside a transaction
    // an empty graph outside a transaction needs no journal: a failure empties it again
    boolean fromEmpty = outer == null && graph.store.isEmpty();
    int mark = outer == null ? 0 : outer.size();
    if (outer == null && !fromEmpty) {
      graph.store.journal = new ArrayList<>();
    }
    try {
      boolean allNew = fromEmpty || graph.store.isEmpty(); // no key is in an empty map: no look-ups
      String[] names = keys.keys;
      int[] node = new int[keys.size];
      for (int j = 0; j < node.length; j++) { // in order of first appearance, as addEdge would create them
        String key = names[j];
        node[j] = allNew ? graph.createNode(key, key.getBytes(StandardCharsets.UTF_8)) : graph.ensureNode(key);
        if ((j & 4095) == 4095) {
          graph.checkBudgetNow();
        }
      }
      int[] symbol = new int[types.size()];
      for (int j = 0; j < symbol.length; j++) {
        symbol[j] = graph.symbol(types.get(j));
      }
      // the batch's own arrays, read through node[] and symbol[]: no per-edge copy on the heap
      appendToLists(GraphImpl.OUT, from, to, node, type, symbol, n);
      appendToLists(GraphImpl.IN, to, from, node, type, symbol, n);
      graph.nextEdge += n;
      graph.edges += n;
      return n;
    } catch (RuntimeException | Error e) {
      if (fromEmpty) {
        graph.store.reset();
      } else {
        ArrayList<Buf[]> journal = graph.store.journal;
        List<Buf[]> mine = journal.subList(mark, journal.size());
        graph.store.undo(new ArrayList<>(mine));
        mine.clear();
        // the entries are back; the memory the map grew by is not, until it is rebuilt at its old size
        if (graph.store.offHeapBytes() > bytesBefore) {
          graph.store.rebuild(capacityBefore);
        }
      }
      graph.nextNode = nodesAtStart;
      graph.nodes = nodesBefore;
      graph.refreshSize();
      throw e;
    } finally {
      if (outer == null) {
        graph.store.journal = null;
      }
    }
  }

  /**
   * Appends the batch's entries to one direction's lists: node {@code node[owners[i]]} gets
   * ({@code node[other[i]]}, {@code symbol[type[i]]}, edge id), {@code type} null meaning type 0
   * for all; grouped by owner, each group in edge-id order, so each list is written once and its
   * entries keep the order {@code addEdge} would give them.
   */
  private void appendToLists(byte tag, int[] owners, int[] other, int[] node, int[] type, int[] symbol, int n) {
    int[] order = byOwner(owners, node.length, n);
    Buf entries = new Buf(ADJ * BLOCK);
    int only = symbol[0];
    int written = 0;
    for (int i = 0; i < n;) {
      int o = owners[order[i]];
      entries.clear();
      int j = i;
      for (; j < n && owners[order[j]] == o; j++) {
        int e = order[j];
        entries.putInt(node[other[e]]).putInt(type == null ? only : symbol[type[e]]).putInt(graph.nextEdge + e);
      }
      graph.lists.appendAll(tag, node[o], ADJ, entries, j - i);
      i = j;
      if (++written % 4096 == 0) {
        graph.checkBudgetNow();
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
}
