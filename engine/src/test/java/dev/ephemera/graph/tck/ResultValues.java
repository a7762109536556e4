package dev.ephemera.graph.tck;

import dev.ephemera.graph.Edge;
import dev.ephemera.graph.GraphPath;
import dev.ephemera.graph.Node;
import dev.ephemera.graph.tck.TckValue.BooleanValue;
import dev.ephemera.graph.tck.TckValue.FloatValue;
import dev.ephemera.graph.tck.TckValue.ForeignValue;
import dev.ephemera.graph.tck.TckValue.IntegerValue;
import dev.ephemera.graph.tck.TckValue.ListValue;
import dev.ephemera.graph.tck.TckValue.MapValue;
import dev.ephemera.graph.tck.TckValue.NodeValue;
import dev.ephemera.graph.tck.TckValue.PathStep;
import dev.ephemera.graph.tck.TckValue.PathValue;
import dev.ephemera.graph.tck.TckValue.RelationshipValue;
import dev.ephemera.graph.tck.TckValue.StringValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the Java values of a {@link dev.ephemera.QueryResult} of the graph query language into
 * {@link TckValue}s: a {@link Node} becomes its labels and properties, an {@link Edge} its type
 * and properties (keys and ids are left out, as the TCK does not show them), and a
 * {@link GraphPath} its nodes and edges in order, each edge pointing forward when it goes from the
 * node before it (a self-loop counts as forward). A value of any other type becomes a
 * {@link ForeignValue}, which matches no expected value.
 */
final class ResultValues {
  private ResultValues() {}

  /** A result row's values. */
  static List<TckValue> row(List<?> values) {
    List<TckValue> out = new ArrayList<>(values.size());
    for (Object v : values) {
      out.add(of(v));
    }
    return out;
  }

  /** One value. */
  static TckValue of(Object value) {
    if (value == null) {
      return TckValue.NULL;
    } else if (value instanceof Boolean b) {
      return new BooleanValue(b);
    } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return new IntegerValue(((Number) value).longValue());
    } else if (value instanceof Double || value instanceof Float) {
      return new FloatValue(((Number) value).doubleValue());
    } else if (value instanceof String s) {
      return new StringValue(s);
    } else if (value instanceof List<?> list) {
      return new ListValue(row(list));
    } else if (value instanceof Map<?, ?> map) {
      return properties(map);
    } else if (value instanceof Node n) {
      return node(n);
    } else if (value instanceof Edge e) {
      return relationship(e);
    } else if (value instanceof GraphPath p) {
      return path(p);
    }
    return new ForeignValue(value.getClass().getName() + " " + value);
  }

  private static MapValue properties(Map<?, ?> map) {
    Map<String, TckValue> out = new LinkedHashMap<>();
    map.forEach((k, v) -> out.put(String.valueOf(k), of(v)));
    return new MapValue(out);
  }

  private static NodeValue node(Node n) {
    return new NodeValue(n.labels(), properties(n.properties()));
  }

  private static RelationshipValue relationship(Edge e) {
    return new RelationshipValue(e.type(), properties(e.properties()));
  }

  private static PathValue path(GraphPath p) {
    List<PathStep> steps = new ArrayList<>();
    for (int i = 0; i < p.edges().size(); i++) {
      Edge e = p.edges().get(i);
      boolean forward = e.from().equals(p.nodes().get(i).key());
      steps.add(new PathStep(relationship(e), forward, node(p.nodes().get(i + 1))));
    }
    return new PathValue(node(p.start()), steps);
  }
}
