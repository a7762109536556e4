package dev.ephemera.internal.graph;

import dev.ephemera.graph.Path;
import dev.ephemera.graph.Traversal;
import dev.ephemera.graph.Visit;
import dev.ephemera.internal.util.Buf;
import dev.ephemera.internal.util.IntMap;
import dev.ephemera.internal.util.ValueCodec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.IntUnaryOperator;

import static dev.ephemera.internal.graph.AdjacencyLists.ADJ;
import static dev.ephemera.internal.graph.AdjacencyLists.BLOCK;
import static dev.ephemera.internal.graph.AdjacencyLists.HDR;

/**
 * The algorithms on one temporary graph — breadth-first traversal (on the map, or on a CSR
 * snapshot once reads pay for one), shortest paths by hops (BFS) and by weight (Dijkstra),
 * connected components (union-find) — apart from the storage they read. Each runs inside one of
 * its graph's read calls, under the graph's lock.
 */
final class GraphAlgorithms {
  private final GraphImpl g;
  // scratch buffers, used under the graph's lock
  private final Buf bk = new Buf();
  private final Buf bv = new Buf();

  GraphAlgorithms(GraphImpl g) {
    this.g = g;
  }

  List<Visit> traverse(String start, Traversal traversal) {
    Walk w = bfs(g.require(start), traversal);
    List<Visit> out = new ArrayList<>(w.size);
    for (int i = 0; i < w.size; i++) {
      out.add(new Visit(g.keyOfId(w.ids[i]), w.depths[i]));
    }
    return Collections.unmodifiableList(out);
  
  }

  long reachCount(String start, Traversal traversal) {
    int from = g.require(start);
    CsrSnapshot[] snaps = g.snapshots(GraphImpl.tags(traversal.direction()));
    if (snaps != null) { // only the count: no list of the reached nodes
      return (long) CsrSnapshot.bfs(from, traversal.maxDepth(), snaps, typeIds(traversal), GraphCheckpoint.current());
    }
    return (long) bfs(from, traversal).size;
  
  }

  Optional<Path> shortestPath(String from, String to) {
    int a = g.require(from);
    int b = g.require(to);
    IntMap parent = new IntMap(64);
    parent.putIfAbsent(a, a);
    int[] queue = new int[64];
    int qs = 0;
    int qe = 0;
    queue[qe++] = a;
    Buf list = new Buf();
    Runnable check = GraphCheckpoint.current();
    while (qs < qe && !parent.contains(b)) {
      GraphCheckpoint.at(check, qs);
      int node = queue[qs++];
      g.lists.read(GraphImpl.OUT, node, ADJ, list);
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
  
  }

  Optional<Path> shortestPath(String from, String to, String weightProperty) {
    int a = g.require(from);
    int b = g.require(to);
    HashMap<Integer, Double> dist = new HashMap<>();
    HashMap<Integer, Integer> parent = new HashMap<>();
    PriorityQueue<double[]> queue = new PriorityQueue<>((x, y) -> Double.compare(x[0], y[0]));
    dist.put(a, 0.0);
    queue.add(new double[] {0, a});
    Buf list = new Buf();
    Runnable check = GraphCheckpoint.current();
    int expanded = 0;
    while (!queue.isEmpty()) {
      GraphCheckpoint.at(check, expanded++);
      double[] top = queue.poll();
      int node = (int) top[1];
      if (top[0] > dist.get(node)) {
        continue; // a stale entry
      }
      if (node == b) {
        break;
      }
      g.lists.read(GraphImpl.OUT, node, ADJ, list);
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
  
  }

  List<Set<String>> connectedComponents() {
    int n = g.nextNode;
    int[] parent = new int[n];
    boolean[] alive = new boolean[n];
    Buf list = new Buf();
    for (int i = 0; i < n; i++) {
      parent[i] = i;
    }
    Runnable check = GraphCheckpoint.current();
    for (int i = 0; i < n; i++) {
      GraphCheckpoint.at(check, i);
      if (!g.store.get(AdjacencyLists.keyOf(bk, GraphImpl.N, i), bv)) {
        continue;
      }
      alive[i] = true;
      g.lists.read(GraphImpl.OUT, i, ADJ, list);
      for (int at = 0; at < list.len; at += ADJ) {
        union(parent, i, list.getInt(at));
      }
    }
    Map<Integer, Set<String>> groups = new HashMap<>();
    for (int i = 0; i < n; i++) {
      if (alive[i]) {
        groups.computeIfAbsent(find(parent, i), r -> new LinkedHashSet<>()).add(g.keyOfId(i));
      }
    }
    List<Set<String>> out = new ArrayList<>();
    for (Set<String> g : groups.values()) {
      out.add(Collections.unmodifiableSet(g));
    }
    out.sort((x, y) -> Integer.compare(y.size(), x.size()));
    return Collections.unmodifiableList(out);
  
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
    byte[] tags = GraphImpl.tags(t.direction());
    int[] types = typeIds(t);
    int max = t.maxDepth();
    CsrSnapshot[] snaps = g.snapshots(tags);
    Runnable check = GraphCheckpoint.current();
    if (snaps != null) {
      int n = CsrSnapshot.bfs(start, max, snaps, types, check);
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
      GraphCheckpoint.at(check, i);
      int depth = w.depths[i];
      if (depth >= max) {
        break; // depths only grow along the queue
      }
      int node = w.ids[i];
      for (byte tag : tags) {
        g.mapReads++;
        if (!g.store.get(AdjacencyLists.keyOf(key, tag, node, 0), head)) {
          continue;
        }
        int total = head.getInt(0);
        int inHead = head.getInt(4);
        int full = (total - inHead) / BLOCK;
        g.mapReads += full;
        visit(head.b, HDR, inHead, types, seen, w, depth + 1);
        for (int b = 1; b <= full; b++) {
          if (g.store.get(AdjacencyLists.keyOf(key, tag, node, b), blk)) {
            visit(blk.b, 0, BLOCK, types, seen, w, depth + 1);
          }
        }
      }
    }
    return w;
  }

  /**
   * The nodes a breadth-first walk reaches from {@code start}, the start first, and their depths:
   * for the query language's distinct var-length expansions. On the CSR snapshots when reads have
   * paid for them, as {@link #reachCount}.
   */
  int[][] reach(int start, Traversal t) {
    Walk w = bfs(start, t);
    return new int[][] {java.util.Arrays.copyOf(w.ids, w.size), java.util.Arrays.copyOf(w.depths, w.size)};
  }

  /** The ids of the traversal's edge types that exist, or {@code null} for any type. */
  private int[] typeIds(Traversal t) {
    return t.edgeTypes().isEmpty() ? null
        : t.edgeTypes().stream().mapToInt(g::symbolIfKnown).filter(x -> x >= 0).toArray();
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

  /** The keys from {@code a} to {@code b}, following {@code parent} back from {@code b}. */
  private List<String> pathTo(int a, int b, IntUnaryOperator parent) {
    List<String> path = new ArrayList<>();
    for (int x = b; ; x = parent.applyAsInt(x)) {
      path.add(g.keyOfId(x));
      if (x == a) {
        break;
      }
    }
    Collections.reverse(path);
    return path;
  }

  private double weight(int from, int to, int type, int edge, String property) {
    Object w = g.store.get(AdjacencyLists.keyOf(bk, GraphImpl.PROPS, edge), bv) ? ValueCodec.readMap(bv).get(property) : null;
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
    return "'" + g.keyOfId(from) + "' -[" + g.symbols.get(type) + "]-> '" + g.keyOfId(to) + "'";
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
}
