package dev.ephemera.internal.graph.query;

import dev.ephemera.internal.graph.query.Refs.NodeRef;
import dev.ephemera.internal.graph.query.Refs.RelRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Indexing and slicing of lists, and dynamic property access {@code x['name']}. */
final class Lists {
  private Lists() {}

  static Object index(Ctx c, Object base, Object index) {
    if (base == null || index == null) {
      return null;
    }
    if (base instanceof List<?> l) {
      if (!(index instanceof Long)) {
        throw QueryError.type("a list index must be an integer, got " + Vals.typeName(index));
      }
      long i = (Long) index;
      if (i < 0) {
        i += l.size();
      }
      return i < 0 || i >= l.size() ? null : l.get((int) i);
    }
    if (base instanceof Map<?, ?> m) {
      if (!(index instanceof String s)) {
        throw QueryError.type("a map key must be a string, got " + Vals.typeName(index));
      }
      return m.get(s);
    }
    if (base instanceof NodeRef || base instanceof RelRef) {
      if (!(index instanceof String s)) {
        throw QueryError.type("a property name must be a string, got " + Vals.typeName(index));
      }
      return Graphs.properties(c, base, "[]").get(s);
    }
    throw QueryError.type("cannot index " + Vals.typeName(base));
  }

  static Object slice(Object base, Object from, Object to, boolean noFrom, boolean noTo) {
    if (base == null || (!noFrom && from == null) || (!noTo && to == null)) {
      return null;
    }
    if (!(base instanceof List<?> l)) {
      throw QueryError.type("cannot slice " + Vals.typeName(base));
    }
    if (!(from instanceof Long) || !(to instanceof Long)) {
      throw QueryError.type("list slice bounds must be integers");
    }
    int n = l.size();
    long f = (Long) from;
    long t = (Long) to;
    if (f < 0) {
      f += n;
    }
    if (t < 0) {
      t += n;
    }
    f = Math.max(0, Math.min(n, f));
    t = Math.max(0, Math.min(n, t));
    return f >= t ? new ArrayList<>() : new ArrayList<>(l.subList((int) f, (int) t));
  }
}
