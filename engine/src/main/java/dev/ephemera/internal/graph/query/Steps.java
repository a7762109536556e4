package dev.ephemera.internal.graph.query;

import dev.ephemera.internal.graph.GraphData;
import dev.ephemera.internal.graph.query.Refs.NodeRef;
import dev.ephemera.internal.graph.query.Refs.PathRef;
import dev.ephemera.internal.graph.query.Refs.RelRef;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The steps a pattern match runs, depth first: each binds a slot of the working row for every
 * candidate and hands the row to the next step ({@link Runner#go}); the last hands it on. A step
 * returns {@code false} when whoever consumes the rows wants no more (a {@code LIMIT} was met).
 */
final class Steps {
  private Steps() {}

  /** Takes a complete match. */
  @FunctionalInterface
  interface Emit {
    boolean emit(Object[] row);
  }

  abstract static class Step {
    abstract boolean run(Object[] row, Ctx c, Runner r, int next);

    abstract String describe();
  }

  /** The steps of one pattern, and where the matches go. */
  static final class Runner {
    final Step[] steps;
    final Emit out;

    Runner(Step[] steps, Emit out) {
      this.steps = steps;
      this.out = out;
    }

    boolean go(int i, Object[] row, Ctx c) {
      return i == steps.length ? out.emit(row) : steps[i].run(row, c, this, i + 1);
    }
  }

  /** Property equalities of a node or relationship pattern ({@code {name: 'x'}} or {@code $map}). */
  static final class Props {
    final String[] names;
    final byte[][] utf8;
    final Ev[] values;
    /** A parameter map instead of a literal one, or {@code null}. */
    final Ev whole;

    Props(String[] names, Ev[] values, Ev whole) {
      this.names = names;
      this.values = values;
      this.whole = whole;
      this.utf8 = new byte[names.length][];
      for (int i = 0; i < names.length; i++) {
        utf8[i] = names[i].getBytes(StandardCharsets.UTF_8);
      }
    }

    boolean matchesNode(GraphData g, int id, Object[] row, Ctx c) {
      for (int i = 0; i < names.length; i++) {
        if (!Boolean.TRUE.equals(Vals.eq(g.property(id, names[i], utf8[i]), values[i].ev(row, c)))) {
          return false;
        }
      }
      return whole == null || matchesMap(Graphs.properties(c, new NodeRef(id), "properties"), row, c);
    }

    boolean matchesEdge(GraphData g, int edge, Object[] row, Ctx c) {
      for (int i = 0; i < names.length; i++) {
        if (!Boolean.TRUE.equals(Vals.eq(g.edgeProperty(edge, utf8[i]), values[i].ev(row, c)))) {
          return false;
        }
      }
      return whole == null || matchesMap(g.edgeProperties(edge), row, c);
    }

    private boolean matchesMap(Map<String, Object> have, Object[] row, Ctx c) {
      Object want = whole.ev(row, c);
      if (want == null) {
        return false;
      }
      if (!(want instanceof Map<?, ?> m)) {
        throw QueryError.type("a pattern's properties must be a map, got " + Vals.typeName(want));
      }
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!Boolean.TRUE.equals(Vals.eq(have.get((String) e.getKey()), e.getValue()))) {
          return false;
        }
      }
      return true;
    }

    /** The properties to create with (null values left out). */
    Map<String, Object> evaluate(Object[] row, Ctx c, String what) {
      Map<String, Object> out = new java.util.LinkedHashMap<>();
      for (int i = 0; i < names.length; i++) {
        Object v = values[i].ev(row, c);
        if (v != null) {
          out.put(names[i], Graphs.storable(v, "property '" + names[i] + "'"));
        }
      }
      if (whole != null) {
        Object m = whole.ev(row, c);
        if (m instanceof Map<?, ?> map) {
          for (Map.Entry<?, ?> e : map.entrySet()) {
            if (e.getValue() != null) {
              out.put((String) e.getKey(), Graphs.storable(e.getValue(), "property '" + e.getKey() + "'"));
            }
          }
        } else if (m != null) {
          throw QueryError.type(what + "'s properties must be a map, got " + Vals.typeName(m));
        }
      }
      return out;
    }

    boolean isEmpty() {
      return names.length == 0 && whole == null;
    }
  }

  /** The node a pattern's variable holds, or {@code null} (a null from OPTIONAL MATCH matches nothing). */
  static NodeRef boundNode(Object v) {
    if (v == null || v instanceof NodeRef) {
      return (NodeRef) v;
    }
    throw QueryError.type("a node pattern's variable holds " + Vals.typeName(v) + ", not a node");
  }

  /** Whether node {@code id} has the labels and properties a node pattern asks for. */
  static boolean nodeFits(Ctx c, int id, Syms labels, Props props, Object[] row) {
    GraphData g = c.g;
    if (!c.deleting.isEmpty() && c.deleting.contains(id)) {
      return false;
    }
    if (!labels.isEmpty()) {
      int[] s = labels.resolve(c);
      if (Syms.anyUnknown(s) || !g.hasLabels(id, s)) {
        return false;
      }
    }
    return props == null || props.isEmpty() || props.matchesNode(g, id, row, c);
  }

  /** Finds the start node of a pattern: by key or id, by label, or every node. */
  static final class Scan extends Step {
    final int slot;
    final Syms labels;
    final Props props;
    final Ev byKey;
    final Ev byId;

    Scan(int slot, Syms labels, Props props, Ev byKey, Ev byId) {
      this.slot = slot;
      this.labels = labels;
      this.props = props;
      this.byKey = byKey;
      this.byId = byId;
    }

    @Override
    boolean run(Object[] row, Ctx c, Runner r, int next) {
      GraphData g = c.g;
      if (g == null) {
        return true;
      }
      if (byKey != null || byId != null) {
        Object k = (byKey != null ? byKey : byId).ev(row, c);
        int id = -1;
        if (byKey != null && k instanceof String s) {
          id = g.nodeId(s);
        } else if (byId != null && k instanceof Long l && l >= 0 && l < Integer.MAX_VALUE) {
          id = g.nodeExists(l.intValue()) ? l.intValue() : -1;
        }
        return id < 0 || !nodeFits(c, id, labels, props, row) || bind(row, c, r, next, id);
      }
      if (!labels.isEmpty()) {
        int[] s = labels.resolve(c);
        if (Syms.anyUnknown(s)) {
          return true;
        }
        int best = s[0];
        for (int x : s) {
          if (g.labelSize(x) < g.labelSize(best)) {
            best = x;
          }
        }
        for (int id : g.labelMembers(best)) {
          if ((s.length == 1 || g.hasLabels(id, s)) && (props == null || props.isEmpty() || props.matchesNode(g, id, row, c))
              && !bind(row, c, r, next, id)) {
            return false;
          }
        }
        return true;
      }
      int limit = g.nodeIdLimit();
      for (int id = 0; id < limit; id++) {
        if (g.nodeExists(id) && (props == null || props.isEmpty() || props.matchesNode(g, id, row, c))
            && !bind(row, c, r, next, id)) {
          return false;
        }
      }
      return true;
    }

    private boolean bind(Object[] row, Ctx c, Runner r, int next, int id) {
      if (!c.deleting.isEmpty() && c.deleting.contains(id)) {
        return true;
      }
      c.tick();
      row[slot] = new NodeRef(id);
      return r.go(next, row, c);
    }

    @Override
    String describe() {
      return (byKey != null ? "NodeByKey" : byId != null ? "NodeById" : labels.isEmpty() ? "AllNodesScan" : "NodeByLabelScan")
          + (labels.isEmpty() ? "" : " :" + labels);
    }
  }

  /** Checks a node bound earlier against a node pattern. */
  static final class Check extends Step {
    final int slot;
    final Syms labels;
    final Props props;

    Check(int slot, Syms labels, Props props) {
      this.slot = slot;
      this.labels = labels;
      this.props = props;
    }

    @Override
    boolean run(Object[] row, Ctx c, Runner r, int next) {
      NodeRef n = boundNode(row[slot]);
      if (n == null || c.g == null) {
        return true;
      }
      if (!c.g.nodeExists(n.id()) || !nodeFits(c, n.id(), labels, props, row)) {
        return true;
      }
      return r.go(next, row, c);
    }

    @Override
    String describe() {
      return "Argument";
    }
  }

  /** A condition on what is bound so far. */
  static final class Filter extends Step {
    final Ev predicate;
    final String text;

    Filter(Ev predicate, String text) {
      this.predicate = predicate;
      this.text = text;
    }

    @Override
    boolean run(Object[] row, Ctx c, Runner r, int next) {
      Object v = predicate.ev(row, c);
      if (v != null && !(v instanceof Boolean)) {
        throw QueryError.type("WHERE expects a boolean, got " + Vals.typeName(v));
      }
      return !Boolean.TRUE.equals(v) || r.go(next, row, c);
    }

    @Override
    String describe() {
      return "Filter " + text;
    }
  }

  /** Whether an edge is bound already in one of these slots (relationship uniqueness within a MATCH). */
  static boolean used(Object[] row, int[] relSlots, int edge) {
    for (int s : relSlots) {
      Object v = row[s];
      if (v instanceof RelRef x) {
        if (x.id() == edge) {
          return true;
        }
      } else if (v instanceof List<?> l) {
        for (Object e : l) {
          if (e instanceof RelRef x && x.id() == edge) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** One edge from a bound node to a node that is bound or becomes bound. */
  static final class Expand extends Step {
    final int from;
    final int rel;
    final int to;
    final Syms types;
    /** 1: follow outgoing edges, -1: incoming, 0: both. */
    final int dir;
    final Props relProps;
    final boolean relBound;
    final boolean toBound;
    final Syms toLabels;
    final Props toProps;
    final int[] unique;
    /** Whether the edge is bound in its slot: not for an anonymous edge nothing after reads. */
    final boolean bindRel;

    Expand(int from, int rel, int to, Syms types, int dir, Props relProps, boolean relBound, boolean toBound,
        Syms toLabels, Props toProps, int[] unique) {
      this(from, rel, to, types, dir, relProps, relBound, toBound, toLabels, toProps, unique, true);
    }

    Expand(int from, int rel, int to, Syms types, int dir, Props relProps, boolean relBound, boolean toBound,
        Syms toLabels, Props toProps, int[] unique, boolean bindRel) {
      this.bindRel = bindRel;
      this.from = from;
      this.rel = rel;
      this.to = to;
      this.types = types;
      this.dir = dir;
      this.relProps = relProps;
      this.relBound = relBound;
      this.toBound = toBound;
      this.toLabels = toLabels;
      this.toProps = toProps;
      this.unique = unique;
    }

    @Override
    boolean run(Object[] row, Ctx c, Runner r, int next) {
      NodeRef fn = boundNode(row[from]);
      if (fn == null || c.g == null) {
        return true;
      }
      int[] ts = types.isEmpty() ? null : types.resolve(c);
      int self = fn.id();
      GraphData g = c.g;
      for (int pass = 0; pass < 2; pass++) {
        boolean out;
        if (pass == 0) {
          if (dir == -1) {
            continue;
          }
          out = true;
        } else {
          if (dir == 1) {
            break;
          }
          out = false;
        }
        int from = g.csrStart(self, out);
        if (from >= 0) { // the snapshot's ints, read in place
          for (int j = from, end = g.csrEnd(self, out); j < end; j++) {
            if (!edge(row, c, r, next, ts, self, out, g.csrTarget(out, j), g.csrType(out, j), g.csrEdge(out, j))) {
              return false;
            }
          }
          continue;
        }
        int[] adj = g.adjacency(self, out);
        for (int i = 0; i < adj.length; i += 3) {
          if (!edge(row, c, r, next, ts, self, out, adj[i], adj[i + 1], adj[i + 2])) {
            return false;
          }
        }
      }
      return true;
    }

    /** One edge of the expanded node: matched, bound and handed on, or skipped; false to stop. */
    private boolean edge(Object[] row, Ctx c, Runner r, int next, int[] ts, int self, boolean out, int other, int type,
        int edge) {
      if (!out && dir == 0 && other == self) {
        return true; // a self-loop was met going out
      }
      if (ts != null && !typeIn(ts, type)) {
        return true;
      }
      if (used(row, unique, edge)) {
        return true;
      }
      if (relBound && (!(row[rel] instanceof RelRef b) || b.id() != edge)) {
        return true;
      }
      if (relProps != null && !relProps.isEmpty() && !relProps.matchesEdge(c.g, edge, row, c)) {
        return true;
      }
      if (toBound) {
        if (!(row[to] instanceof NodeRef t) || t.id() != other) {
          return true;
        }
      } else if (!nodeFits(c, other, toLabels, toProps, row)) {
        return true;
      }
      c.tick();
      if (!relBound && bindRel) {
        row[rel] = out ? new RelRef(edge, self, other, type) : new RelRef(edge, other, self, type);
      }
      if (!toBound) {
        row[to] = new NodeRef(other);
      }
      return r.go(next, row, c);
    }

    /** The same step, not binding its edge. */
    Expand unbound() {
      return new Expand(from, rel, to, types, dir, relProps, relBound, toBound, toLabels, toProps, unique, false);
    }

    @Override
    String describe() {
      return "Expand" + (toBound ? "(Into)" : "(All)") + " " + (dir == 1 ? "->" : dir == -1 ? "<-" : "--")
          + (types.isEmpty() ? "" : " :" + types);
    }
  }

  static boolean typeIn(int[] types, int type) {
    for (int t : types) {
      if (t == type) {
        return true;
      }
    }
    return false;
  }

  /** A variable-length relationship {@code *min..max}: every path of distinct edges in range. */
  static final class VarExpand extends Step {
    final Expand e;
    final int min;
    final int max;
    /** The step walks the pattern from right to left: the bound list is reversed into pattern order. */
    final boolean reversed;

    VarExpand(Expand e, int min, int max, boolean reversed) {
      this.e = e;
      this.min = min;
      this.max = max;
      this.reversed = reversed;
    }

    @Override
    boolean run(Object[] row, Ctx c, Runner r, int next) {
      NodeRef fn = boundNode(row[e.from]);
      if (fn == null || c.g == null) {
        return true;
      }
      int[] ts = e.types.isEmpty() ? null : e.types.resolve(c);
      return walk(row, c, r, next, fn.id(), new ArrayList<>(), ts);
    }

    private boolean walk(Object[] row, Ctx c, Runner r, int next, int at, ArrayList<RelRef> path, int[] ts) {
      GraphData g = c.g;
      if (path.size() >= min && arrive(row, c, at)) {
        List<RelRef> bound = new ArrayList<>(path);
        if (reversed) {
          Collections.reverse(bound);
        }
        Object keepRel = row[e.rel];
        Object keepTo = row[e.to];
        row[e.rel] = Collections.unmodifiableList(bound);
        if (!e.toBound) {
          row[e.to] = new NodeRef(at);
        }
        c.tick();
        boolean more = r.go(next, row, c);
        row[e.rel] = keepRel;
        if (!e.toBound) {
          row[e.to] = keepTo;
        }
        if (!more) {
          return false;
        }
      }
      if (path.size() >= max) {
        return true;
      }
      for (int pass = 0; pass < 2; pass++) {
        boolean out = pass == 0;
        if ((out && e.dir == -1) || (!out && e.dir == 1)) {
          continue;
        }
        int[] adj = g.adjacency(at, out);
        for (int i = 0; i < adj.length; i += 3) {
          int other = adj[i];
          int type = adj[i + 1];
          int edge = adj[i + 2];
          if (!out && e.dir == 0 && other == at) {
            continue;
          }
          if (ts != null && !typeIn(ts, type)) {
            continue;
          }
          if (onPath(path, edge) || used(row, e.unique, edge)) {
            continue;
          }
          if (e.relProps != null && !e.relProps.isEmpty() && !e.relProps.matchesEdge(g, edge, row, c)) {
            continue;
          }
          path.add(out ? new RelRef(edge, at, other, type) : new RelRef(edge, other, at, type));
          boolean more = walk(row, c, r, next, other, path, ts);
          path.remove(path.size() - 1);
          if (!more) {
            return false;
          }
        }
      }
      return true;
    }

    private boolean arrive(Object[] row, Ctx c, int at) {
      if (e.toBound) {
        return row[e.to] instanceof NodeRef t && t.id() == at;
      }
      return nodeFits(c, at, e.toLabels, e.toProps, row);
    }

    private static boolean onPath(ArrayList<RelRef> path, int edge) {
      for (RelRef x : path) {
        if (x.id() == edge) {
          return true;
        }
      }
      return false;
    }

    @Override
    String describe() {
      return "VarLengthExpand" + (e.toBound ? "(Into)" : "(All)") + " *" + min + ".." + (max == Integer.MAX_VALUE ? "" : max)
          + (e.types.isEmpty() ? "" : " :" + e.types);
    }
  }

  /**
   * A variable-length expansion whose rows are only counted or collected as distinct end nodes
   * ({@code RETURN DISTINCT b}, {@code count(DISTINCT b)}): each node reachable once, breadth
   * first, instead of every path. Exact for {@code min <= 1} in one direction: a node at distance
   * d has a path of d distinct edges (a shortest one); the start is reached again only along a
   * cycle, which exists within {@code max} edges when an edge into the start leaves a node at
   * depth {@code max - 1} or less.
   */
  static final class Reach extends Step {
    final int from;
    final int to;
    final Syms types;
    final boolean out;
    final int min;
    final int max;
    final Syms toLabels;
    final Props toProps;

    Reach(int from, int to, Syms types, boolean out, int min, int max, Syms toLabels, Props toProps) {
      this.from = from;
      this.to = to;
      this.types = types;
      this.out = out;
      this.min = min;
      this.max = max;
      this.toLabels = toLabels;
      this.toProps = toProps;
    }

    @Override
    boolean run(Object[] row, Ctx c, Runner r, int next) {
      NodeRef f = boundNode(row[from]);
      if (f == null || c.g == null) {
        return true;
      }
      int[][] reach = c.g.reach(f.id(), max, out, types.names);
      int[] ids = reach[0];
      if ((min == 0 || cycleBack(c, f.id(), reach)) && !emit(row, c, r, next, f.id())) {
        return false;
      }
      for (int i = 1; i < ids.length; i++) {
        if (!emit(row, c, r, next, ids[i])) {
          return false;
        }
      }
      return true;
    }

    private boolean emit(Object[] row, Ctx c, Runner r, int next, int id) {
      if (!nodeFits(c, id, toLabels, toProps, row)) {
        return true;
      }
      c.tick();
      row[to] = new NodeRef(id);
      return r.go(next, row, c);
    }

    private boolean cycleBack(Ctx c, int start, int[][] reach) {
      if (max < 1) {
        return false;
      }
      int[] ts = types.isEmpty() ? null : types.resolve(c);
      int[] in = c.g.adjacency(start, !out);
      int[] ids = reach[0];
      int[] depths = reach[1];
      for (int i = 0; i < in.length; i += 3) {
        if (ts != null && !typeIn(ts, in[i + 1])) {
          continue;
        }
        int u = in[i];
        // the walk lists nodes by depth: those within max - 1 edges are a prefix
        for (int j = 0; j < ids.length && depths[j] <= max - 1; j++) {
          if (ids[j] == u) {
            return true;
          }
        }
      }
      return false;
    }

    @Override
    String describe() {
      return "DistinctReach " + (out ? "->" : "<-") + " *" + min + ".." + (max == Integer.MAX_VALUE ? "" : max)
          + (types.isEmpty() ? "" : " :" + types);
    }
  }

  /** Binds a named path from the node and relationship slots of its pattern, left to right. */
  static final class BuildPath extends Step {
    final int slot;
    final int[] nodes;
    final int[] rels;

    BuildPath(int slot, int[] nodes, int[] rels) {
      this.slot = slot;
      this.nodes = nodes;
      this.rels = rels;
    }

    @Override
    boolean run(Object[] row, Ctx c, Runner r, int next) {
      row[slot] = build(row);
      return r.go(next, row, c);
    }

    Object build(Object[] row) {
      if (!(row[nodes[0]] instanceof NodeRef start)) {
        return null;
      }
      List<NodeRef> ns = new ArrayList<>();
      List<RelRef> rs = new ArrayList<>();
      ns.add(start);
      NodeRef at = start;
      for (int i = 0; i < rels.length; i++) {
        Object v = row[rels[i]];
        if (v instanceof RelRef x) {
          rs.add(x);
          at = (NodeRef) row[nodes[i + 1]];
          ns.add(at);
        } else if (v instanceof List<?> l) {
          for (Object o : l) {
            RelRef x = (RelRef) o;
            rs.add(x);
            at = new NodeRef(x.other(at.id()));
            ns.add(at);
          }
        } else {
          return null;
        }
      }
      return new PathRef(ns.toArray(new NodeRef[0]), rs.toArray(new RelRef[0]));
    }

    @Override
    String describe() {
      return "ProjectPath";
    }
  }

  /** {@code shortestPath} / {@code allShortestPaths} between two bound nodes (breadth first). */
  static final class Shortest extends Step {
    final int from;
    final int to;
    final int rel;
    final int path;
    final Syms types;
    final int dir;
    final int min;
    final int max;
    final boolean all;

    Shortest(int from, int to, int rel, int path, Syms types, int dir, int min, int max, boolean all) {
      this.from = from;
      this.to = to;
      this.rel = rel;
      this.path = path;
      this.types = types;
      this.dir = dir;
      this.min = min;
      this.max = max;
      this.all = all;
    }

    @Override
    boolean run(Object[] row, Ctx c, Runner r, int next) {
      if (!(row[from] instanceof NodeRef a) || !(row[to] instanceof NodeRef b) || c.g == null) {
        return true;
      }
      for (List<RelRef> p : paths(c, a.id(), b.id())) {
        row[rel] = Collections.unmodifiableList(p);
        if (path >= 0) {
          List<NodeRef> ns = new ArrayList<>();
          ns.add(a);
          int at = a.id();
          for (RelRef x : p) {
            at = x.other(at);
            ns.add(new NodeRef(at));
          }
          row[path] = new PathRef(ns.toArray(new NodeRef[0]), p.toArray(new RelRef[0]));
        }
        if (!r.go(next, row, c)) {
          return false;
        }
        if (!all) {
          break;
        }
      }
      return true;
    }

    List<List<RelRef>> paths(Ctx c, int a, int b) {
      if (a == b) {
        return min == 0 ? List.of(List.of()) : List.of();
      }
      GraphData g = c.g;
      int[] ts = types.isEmpty() ? null : types.resolve(c);
      Map<Integer, List<RelRef>> preds = new HashMap<>();
      Map<Integer, Integer> depth = new HashMap<>();
      depth.put(a, 0);
      ArrayDeque<Integer> queue = new ArrayDeque<>();
      queue.add(a);
      int found = -1;
      while (!queue.isEmpty()) {
        int at = queue.poll();
        int d = depth.get(at);
        if (found >= 0 && d >= found) {
          break;
        }
        if (d >= max) {
          continue;
        }
        c.tick();
        for (int pass = 0; pass < 2; pass++) {
          boolean out = pass == 0;
          if ((out && dir == -1) || (!out && dir == 1)) {
            continue;
          }
          int[] adj = g.adjacency(at, out);
          for (int i = 0; i < adj.length; i += 3) {
            int other = adj[i];
            if (ts != null && !typeIn(ts, adj[i + 1])) {
              continue;
            }
            RelRef x = out ? new RelRef(adj[i + 2], at, other, adj[i + 1]) : new RelRef(adj[i + 2], other, at, adj[i + 1]);
            Integer od = depth.get(other);
            if (od == null) {
              depth.put(other, d + 1);
              preds.computeIfAbsent(other, k -> new ArrayList<>()).add(x);
              queue.add(other);
              if (other == b) {
                found = d + 1;
              }
            } else if (od == d + 1 && other != a) {
              preds.get(other).add(x);
            }
          }
        }
      }
      if (found < 0 || found < min) {
        return List.of();
      }
      List<List<RelRef>> out = new ArrayList<>();
      collect(b, a, preds, new ArrayList<>(), out);
      return out;
    }

    private void collect(int at, int a, Map<Integer, List<RelRef>> preds, ArrayList<RelRef> suffix, List<List<RelRef>> out) {
      if (at == a) {
        List<RelRef> p = new ArrayList<>(suffix);
        Collections.reverse(p);
        out.add(p);
        return;
      }
      for (RelRef x : preds.getOrDefault(at, List.of())) {
        suffix.add(x);
        collect(x.other(at), a, preds, suffix, out);
        suffix.remove(suffix.size() - 1);
        if (!all && !out.isEmpty()) {
          return;
        }
      }
    }

    @Override
    String describe() {
      return all ? "AllShortestPaths" : "ShortestPath";
    }
  }
}
