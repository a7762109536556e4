package dev.ephemera.internal.graph.query;

import dev.ephemera.internal.graph.GraphData;
import dev.ephemera.internal.graph.query.Match.NodeSpec;
import dev.ephemera.internal.graph.query.Match.Part;
import dev.ephemera.internal.graph.query.Match.RelSpec;
import dev.ephemera.internal.graph.query.Refs.NodeRef;
import dev.ephemera.internal.graph.query.Refs.PathRef;
import dev.ephemera.internal.graph.query.Refs.RelRef;
import dev.ephemera.internal.graph.query.Stages.Sink;
import dev.ephemera.internal.graph.query.Stages.Stage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The updating clauses. Each is eager: it takes every row from upstream before it changes the
 * graph (so a {@code MATCH} before a {@code CREATE} never sees what the {@code CREATE} makes),
 * then changes the graph row by row (so a {@code MERGE} sees what it created for earlier rows)
 * and passes the rows on.
 */
final class Updates {
  private Updates() {}

  /** What an updating clause does to one row: it may emit several rows (MERGE that matched). */
  interface Action {
    boolean apply(Object[] row, Ctx c, Sink down);
  }

  static Stage eager(Action action, String text) {
    return new Stage() {
      @Override
      public Sink open(Sink down, Ctx c) {
        return new Sink() {
          final List<Object[]> rows = new ArrayList<>();

          @Override
          boolean push(Object[] row) {
            rows.add(row);
            return true;
          }

          @Override
          void end() {
            c.graph();
            boolean more = true;
            for (Object[] row : rows) {
              c.tick();
              // every row is changed even when downstream wants no more rows
              more = action.apply(row, c, more ? down : DISCARD) && more;
            }
            down.end();
          }
        };
      }

      @Override
      public String describe() {
        return text;
      }
    };
  }

  private static final Sink DISCARD = new Sink() {
    @Override
    boolean push(Object[] row) {
      return false;
    }
  };

  // ---- CREATE -----------------------------------------------------------------------------------

  static void create(List<Part> parts, Object[] row, Ctx c) {
    GraphData g = c.graph();
    for (Part p : parts) {
      for (NodeSpec n : p.nodes()) {
        if (n.bound() && row[n.slot()] != null) {
          if (!(row[n.slot()] instanceof NodeRef)) {
            throw QueryError.type("CREATE expects a node in `" + n.name() + "`, got " + Vals.typeName(row[n.slot()]));
          }
          continue;
        }
        if (n.bound()) {
          throw QueryError.runtime("cannot create a relationship to or from a null node (`" + n.name() + "`)");
        }
        int[] labels = new int[n.labels().names.length];
        for (int i = 0; i < labels.length; i++) {
          labels[i] = g.symbol(n.labels().names[i]);
        }
        Map<String, Object> props = n.props() == null ? Map.of() : n.props().evaluate(row, c, "a node");
        row[n.slot()] = new NodeRef(g.createNode(null, dedupe(labels), props));
        c.symbolsChanged();
      }
      for (int i = 0; i < p.rels().size(); i++) {
        RelSpec r = p.rels().get(i);
        NodeRef left = (NodeRef) row[p.nodes().get(i).slot()];
        NodeRef right = (NodeRef) row[p.nodes().get(i + 1).slot()];
        NodeRef from = r.dir() == -1 ? right : left;
        NodeRef to = r.dir() == -1 ? left : right;
        int type = g.symbol(r.types().names[0]);
        Map<String, Object> props = r.props() == null ? Map.of() : r.props().evaluate(row, c, "a relationship");
        int id = g.createEdge(from.id(), to.id(), type, props);
        row[r.slot()] = new RelRef(id, from.id(), to.id(), type);
        c.symbolsChanged();
      }
      if (p.pathSlot() >= 0) {
        row[p.pathSlot()] = new Steps.BuildPath(p.pathSlot(), p.nodes().stream().mapToInt(NodeSpec::slot).toArray(),
            p.rels().stream().mapToInt(RelSpec::slot).toArray()).build(row);
      }
    }
  }

  private static int[] dedupe(int[] labels) {
    return java.util.Arrays.stream(labels).distinct().toArray();
  }

  // ---- SET and REMOVE ---------------------------------------------------------------------------

  /** {@code target.name = value} (a null value removes the property). */
  static void setProperty(Ctx c, Object target, String name, Object value) {
    if (target == null) {
      return;
    }
    Object v = Graphs.storable(value, "property '" + name + "'");
    if (target instanceof NodeRef n) {
      checkAlive(c, n);
      Map<String, Object> props = new LinkedHashMap<>(c.graph().properties(n.id()));
      if (v == null) {
        props.remove(name);
      } else {
        props.put(name, v);
      }
      c.graph().setProperties(n.id(), props);
    } else if (target instanceof RelRef r) {
      Map<String, Object> props = new LinkedHashMap<>(c.graph().edgeProperties(r.id()));
      if (v == null) {
        props.remove(name);
      } else {
        props.put(name, v);
      }
      c.graph().setEdgeProperties(r.id(), props);
    } else {
      throw QueryError.type("SET expects a node or a relationship, got " + Vals.typeName(target));
    }
  }

  /** {@code target = map} ({@code replace}) or {@code target += map}. */
  static void setAll(Ctx c, Object target, Object value, boolean replace) {
    if (target == null) {
      return;
    }
    Map<String, Object> from;
    if (value == null) {
      from = Map.of();
    } else if (value instanceof NodeRef || value instanceof RelRef) {
      from = Graphs.properties(c, value, "SET");
    } else if (value instanceof Map<?, ?> m) {
      from = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        from.put((String) e.getKey(), e.getValue());
      }
    } else {
      throw QueryError.type("SET expects a map, got " + Vals.typeName(value));
    }
    Map<String, Object> props = new LinkedHashMap<>();
    if (!replace) {
      props.putAll(Graphs.properties(c, target, "SET"));
    } else if (!(target instanceof NodeRef) && !(target instanceof RelRef)) {
      throw QueryError.type("SET expects a node or a relationship, got " + Vals.typeName(target));
    }
    for (Map.Entry<String, Object> e : from.entrySet()) {
      if (e.getValue() == null) {
        props.remove(e.getKey());
      } else {
        props.put(e.getKey(), Graphs.storable(e.getValue(), "property '" + e.getKey() + "'"));
      }
    }
    if (target instanceof NodeRef n) {
      checkAlive(c, n);
      c.graph().setProperties(n.id(), props);
    } else if (target instanceof RelRef r) {
      c.graph().setEdgeProperties(r.id(), props);
    } else {
      throw QueryError.type("SET expects a node or a relationship, got " + Vals.typeName(target));
    }
  }

  static void labels(Ctx c, Object target, String[] names, boolean add) {
    if (target == null) {
      return;
    }
    if (!(target instanceof NodeRef n)) {
      throw QueryError.type((add ? "SET" : "REMOVE") + " of a label expects a node, got " + Vals.typeName(target));
    }
    checkAlive(c, n);
    GraphData g = c.graph();
    for (String name : names) {
      if (add) {
        g.addLabel(n.id(), g.symbol(name));
      } else {
        int s = g.symbolIfKnown(name);
        if (s >= 0) {
          g.removeLabel(n.id(), s);
        }
      }
    }
    c.symbolsChanged();
  }

  private static void checkAlive(Ctx c, NodeRef n) {
    if (c.deletedNodes.containsKey(n.id())) {
      throw QueryError.runtime("the node was deleted by this query");
    }
  }

  // ---- DELETE -----------------------------------------------------------------------------------

  static void delete(Ctx c, Object v, boolean detach) {
    if (v == null) {
      return;
    }
    GraphData g = c.graph();
    if (v instanceof RelRef r) {
      deleteEdge(c, r);
    } else if (v instanceof NodeRef n) {
      if (c.deletedNodes.containsKey(n.id()) || !g.nodeExists(n.id())) {
        return;
      }
      if (detach) {
        for (boolean out : new boolean[] {true, false}) {
          int[] adj = g.adjacency(n.id(), out);
          for (int i = 0; i < adj.length; i += 3) {
            RelRef r = out ? new RelRef(adj[i + 2], n.id(), adj[i], adj[i + 1]) : new RelRef(adj[i + 2], adj[i], n.id(), adj[i + 1]);
            deleteEdge(c, r);
          }
        }
      }
      c.deletedNodes.put(n.id(), Graphs.node(c, n));
      c.deleting.add(n.id());
    } else if (v instanceof PathRef p) {
      for (RelRef r : p.rels()) {
        deleteEdge(c, r);
      }
      for (NodeRef n : p.nodes()) {
        delete(c, n, detach);
      }
    } else {
      throw QueryError.type("DELETE expects a node, a relationship or a path, got " + Vals.typeName(v));
    }
  }

  private static void deleteEdge(Ctx c, RelRef r) {
    if (c.deletedEdges.containsKey(r.id())) {
      return;
    }
    c.deletedEdges.put(r.id(), Graphs.edge(c, r));
    c.graph().deleteEdge(r.from(), r.to(), r.id());
  }

  /** At the end of a run: removes the nodes it deleted, which must have no edges left. */
  static void finishDeletes(Ctx c) {
    GraphData g = c.g;
    for (int id : c.deleting) {
      if (!g.nodeExists(id)) {
        continue;
      }
      if (g.degree(id, true) > 0 || g.degree(id, false) > 0) {
        throw QueryError.runtime("cannot delete node '" + c.deletedNodes.get(id).key()
            + "': it still has relationships (DETACH DELETE removes them too)");
      }
      g.deleteNode(id);
    }
  }
}
