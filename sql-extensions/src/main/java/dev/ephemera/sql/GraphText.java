package dev.ephemera.sql;

import dev.ephemera.graph.Edge;
import dev.ephemera.graph.GraphPath;
import dev.ephemera.graph.Node;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The openCypher text form of the graph query language's values: what the driver's {@code
 * getString} gives for a node, an edge, a path, a list or a map, and how the shell prints them.
 *
 * <ul>
 *   <li>a node: {@code (:Admin:Person {name: 'Bob', age: 42})}, {@code ()} with neither labels
 *       nor properties; labels in alphabetical order ({@link Node#labels()} keeps none), properties
 *       in the order the node holds them; the key is not shown (openCypher has none);
 *   <li>an edge: {@code [:KNOWS {since: 2020}]};
 *   <li>a path: {@code (:A)-[:T]->(:B)<-[:S]-(:C)}, each edge pointing the way it goes: {@code ->}
 *       when it leaves the node before it in the path ({@link Edge#from()} is that node's key);
 *   <li>a list {@code [1, 'a']}, a map {@code {a: 1, `two words`: 2}};
 *   <li>{@code null}, {@code true}, {@code false}; whole numbers and decimals as written in Java
 *       ({@code 42}, {@code 2.5}, {@code 1.0E20}, {@code NaN}), exact decimals in plain notation;
 *   <li>a string in single quotes, with {@code \'}, {@code \\}, {@code \n}, {@code \r} and {@code
 *       \t} escaped;
 *   <li>an instant {@code datetime('2026-11-24T10:15:30Z')}, bytes in hexadecimal {@code 0x0aff}.
 * </ul>
 *
 * Labels, types, property names and map keys that are not plain identifiers (letters, digits and
 * {@code _}, not starting with a digit) are quoted in backticks, a backtick inside doubled.
 */
public final class GraphText {
  private GraphText() {}

  /** The text form of {@code value} (a string in quotes: {@code 'Bob'}). */
  public static String of(Object value) {
    StringBuilder b = new StringBuilder();
    append(value, b);
    return b.toString();
  }

  /** Whether {@code value} is a node, edge, path, list or map: one whose {@code toString} is not its text. */
  static boolean isComposite(Object value) {
    return value instanceof Node || value instanceof Edge || value instanceof GraphPath || value instanceof List
        || value instanceof Map;
  }

  private static void append(Object v, StringBuilder b) {
    if (v == null) {
      b.append("null");
    } else if (v instanceof String s) {
      string(s, b);
    } else if (v instanceof Node n) {
      node(n, b);
    } else if (v instanceof Edge e) {
      edge(e, b);
    } else if (v instanceof GraphPath p) {
      path(p, b);
    } else if (v instanceof List<?> l) {
      b.append('[');
      for (int i = 0; i < l.size(); i++) {
        b.append(i == 0 ? "" : ", ");
        append(l.get(i), b);
      }
      b.append(']');
    } else if (v instanceof Map<?, ?> m) {
      map(m, b);
    } else if (v instanceof BigDecimal d) {
      b.append(d.toPlainString());
    } else if (v instanceof Instant i) {
      b.append("datetime('").append(i).append("')");
    } else if (v instanceof byte[] bytes) {
      b.append("0x").append(HexFormat.of().formatHex(bytes));
    } else {
      b.append(v); // Boolean, Long, Double
    }
  }

  private static void node(Node n, StringBuilder b) {
    b.append('(');
    for (String label : new TreeSet<>(n.labels())) {
      b.append(':');
      name(label, b);
    }
    if (!n.properties().isEmpty()) {
      b.append(n.labels().isEmpty() ? "" : " ");
      map(n.properties(), b);
    }
    b.append(')');
  }

  private static void edge(Edge e, StringBuilder b) {
    b.append('[');
    if (e.type() != null) {
      b.append(':');
      name(e.type(), b);
    }
    if (!e.properties().isEmpty()) {
      b.append(e.type() == null ? "" : " ");
      map(e.properties(), b);
    }
    b.append(']');
  }

  private static void path(GraphPath p, StringBuilder b) {
    List<Node> nodes = p.nodes();
    node(nodes.get(0), b);
    for (int i = 0; i < p.edges().size(); i++) {
      Edge e = p.edges().get(i);
      boolean forward = e.from().equals(nodes.get(i).key());
      b.append(forward ? "-" : "<-");
      edge(e, b);
      b.append(forward ? "->" : "-");
      node(nodes.get(i + 1), b);
    }
  }

  private static void map(Map<?, ?> m, StringBuilder b) {
    b.append('{');
    boolean first = true;
    for (Map.Entry<?, ?> e : m.entrySet()) {
      b.append(first ? "" : ", ");
      first = false;
      name(String.valueOf(e.getKey()), b);
      b.append(": ");
      append(e.getValue(), b);
    }
    b.append('}');
  }

  private static void string(String s, StringBuilder b) {
    b.append('\'');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\'' -> b.append("\\'");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> b.append(c);
      }
    }
    b.append('\'');
  }

  /** A label, type or key: as it is when it is a plain identifier, else in backticks. */
  private static void name(String s, StringBuilder b) {
    boolean plain = !s.isEmpty() && !Character.isDigit(s.charAt(0));
    for (int i = 0; i < s.length() && plain; i++) {
      char c = s.charAt(i);
      plain = c == '_' || Character.isLetterOrDigit(c);
    }
    if (plain) {
      b.append(s);
    } else {
      b.append('`').append(s.replace("`", "``")).append('`');
    }
  }
}
