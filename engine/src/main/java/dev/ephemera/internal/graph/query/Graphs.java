package dev.ephemera.internal.graph.query;

import dev.ephemera.graph.Edge;
import dev.ephemera.graph.GraphPath;
import dev.ephemera.graph.Node;
import dev.ephemera.internal.graph.GraphData;
import dev.ephemera.internal.graph.query.Refs.NodeRef;
import dev.ephemera.internal.graph.query.Refs.PathRef;
import dev.ephemera.internal.graph.query.Refs.RelRef;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/** Reading graph elements inside a run, and turning runtime values into the API's values. */
final class Graphs {
  private Graphs() {}

  static boolean deleted(Ctx c, NodeRef n) {
    return c.deletedNodes.containsKey(n.id()) || !c.graph().nodeExists(n.id());
  }

  static String key(Ctx c, NodeRef n) {
    Node d = c.deletedNodes.get(n.id());
    return d != null ? d.key() : c.graph().key(n.id());
  }

  static List<Object> labels(Ctx c, NodeRef n) {
    Node d = c.deletedNodes.get(n.id());
    if (d != null) {
      throw QueryError.runtime("the node was deleted by this query: its labels are gone");
    }
    GraphData g = c.graph();
    List<Object> out = new ArrayList<>();
    for (int s : g.labels(n.id())) {
      out.add(g.symbolName(s));
    }
    return out;
  }

  /** The properties of a node, an edge or a map. */
  static Map<String, Object> properties(Ctx c, Object v, String fn) {
    if (v instanceof NodeRef n) {
      if (c.deletedNodes.containsKey(n.id())) {
        throw QueryError.runtime("the node was deleted by this query: its properties are gone");
      }
      return c.graph().properties(n.id());
    }
    if (v instanceof RelRef r) {
      if (c.deletedEdges.containsKey(r.id())) {
        throw QueryError.runtime("the relationship was deleted by this query: its properties are gone");
      }
      return c.graph().edgeProperties(r.id());
    }
    if (v instanceof Map<?, ?> m) {
      @SuppressWarnings("unchecked")
      Map<String, Object> x = (Map<String, Object>) m;
      return x;
    }
    throw QueryError.type(fn + "() expects a node, a relationship or a map, got " + Vals.typeName(v));
  }

  static Node node(Ctx c, NodeRef n) {
    Node d = c.deletedNodes.get(n.id());
    if (d != null) {
      return d;
    }
    GraphData g = c.graph();
    LinkedHashSet<String> labels = new LinkedHashSet<>();
    for (int s : g.labels(n.id())) {
      labels.add(g.symbolName(s));
    }
    return new Node(g.key(n.id()), labels, g.properties(n.id()));
  }

  static Edge edge(Ctx c, RelRef r) {
    Edge d = c.deletedEdges.get(r.id());
    if (d != null) {
      return d;
    }
    GraphData g = c.graph();
    return new Edge(r.id(), key(c, new NodeRef(r.from())), key(c, new NodeRef(r.to())), g.symbolName(r.type()),
        g.edgeProperties(r.id()));
  }

  /** The API value of a runtime value: nodes, edges and paths become {@link Node}, {@link Edge}, {@link GraphPath}. */
  static Object export(Ctx c, Object v) {
    if (v instanceof NodeRef n) {
      return node(c, n);
    }
    if (v instanceof RelRef r) {
      return edge(c, r);
    }
    if (v instanceof PathRef p) {
      List<Node> nodes = new ArrayList<>();
      for (NodeRef n : p.nodes()) {
        nodes.add(node(c, n));
      }
      List<Edge> edges = new ArrayList<>();
      for (RelRef r : p.rels()) {
        edges.add(edge(c, r));
      }
      return new GraphPath(nodes, edges);
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      for (Object e : l) {
        out.add(export(c, e));
      }
      return Collections.unmodifiableList(out);
    }
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        out.put((String) e.getKey(), export(c, e.getValue()));
      }
      return Collections.unmodifiableMap(out);
    }
    return v;
  }

  /** A value that may be stored as a property: no nodes, edges, paths or maps (lists of simple values only). */
  static Object storable(Object v, String what) {
    if (v instanceof NodeRef || v instanceof RelRef || v instanceof PathRef || v instanceof Map) {
      throw QueryError.type(what + " cannot be " + Vals.typeName(v) + ": a property holds a number, string, boolean or a list of them");
    }
    if (v instanceof List<?> l) {
      for (Object e : l) {
        if (e instanceof List || e instanceof Map || e instanceof NodeRef || e instanceof RelRef || e instanceof PathRef) {
          throw QueryError.type(what + " cannot be a list of " + Vals.typeName(e));
        }
      }
    }
    return v;
  }
}
