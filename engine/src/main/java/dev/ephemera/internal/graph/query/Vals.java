package dev.ephemera.internal.graph.query;

import dev.ephemera.internal.graph.query.Refs.NodeRef;
import dev.ephemera.internal.graph.query.Refs.PathRef;
import dev.ephemera.internal.graph.query.Refs.RelRef;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * openCypher's value semantics: three-valued equality and comparison, equivalence (for
 * {@code DISTINCT} and grouping), the global sort order of {@code ORDER BY}, and type names.
 * Numbers are {@code Long} and {@code Double} (a stored {@code BigDecimal} counts as a float).
 */
final class Vals {
  private Vals() {}

  static boolean isNumber(Object v) {
    return v instanceof Long || v instanceof Double || v instanceof BigDecimal;
  }

  static double dbl(Object v) {
    return ((Number) v).doubleValue();
  }

  static String typeName(Object v) {
    if (v == null) {
      return "NULL";
    } else if (v instanceof Boolean) {
      return "BOOLEAN";
    } else if (v instanceof Long) {
      return "INTEGER";
    } else if (v instanceof Double || v instanceof BigDecimal) {
      return "FLOAT";
    } else if (v instanceof String) {
      return "STRING";
    } else if (v instanceof List) {
      return "LIST";
    } else if (v instanceof Map) {
      return "MAP";
    } else if (v instanceof NodeRef) {
      return "NODE";
    } else if (v instanceof RelRef) {
      return "RELATIONSHIP";
    } else if (v instanceof PathRef) {
      return "PATH";
    }
    return v.getClass().getSimpleName().toUpperCase(java.util.Locale.ROOT);
  }

  // ---- equality (three-valued) ----------------------------------------------------------------

  /** {@code a = b}: TRUE, FALSE or null (unknown). */
  static Boolean eq(Object a, Object b) {
    if (a == null || b == null) {
      return null;
    }
    if (isNumber(a) && isNumber(b)) {
      if (a instanceof Long x && b instanceof Long y) {
        return x.longValue() == y.longValue();
      }
      return numCompare(a, b) == 0 && !isNaN(a) && !isNaN(b);
    }
    if (a instanceof List<?> x && b instanceof List<?> y) {
      if (x.size() != y.size()) {
        return false;
      }
      boolean unknown = false;
      for (int i = 0; i < x.size(); i++) {
        Boolean e = eq(x.get(i), y.get(i));
        if (e == null) {
          unknown = true;
        } else if (!e) {
          return false;
        }
      }
      return unknown ? null : true;
    }
    if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
      if (!x.keySet().equals(y.keySet())) {
        return false;
      }
      boolean unknown = false;
      for (Map.Entry<?, ?> e : x.entrySet()) {
        Boolean r = eq(e.getValue(), y.get(e.getKey()));
        if (r == null) {
          unknown = true;
        } else if (!r) {
          return false;
        }
      }
      return unknown ? null : true;
    }
    if (a instanceof byte[] x && b instanceof byte[] y) {
      return java.util.Arrays.equals(x, y);
    }
    return a.equals(b);
  }

  private static boolean isNaN(Object v) {
    return v instanceof Double d && d.isNaN();
  }

  private static int numCompare(Object a, Object b) {
    if (a instanceof Long x && b instanceof Long y) {
      return Long.compare(x, y);
    }
    if (a instanceof BigDecimal || b instanceof BigDecimal) {
      return new BigDecimal(a.toString()).compareTo(new BigDecimal(b.toString()));
    }
    if (a instanceof Long x) {
      return -compareDoubleLong(dbl(b), x);
    }
    if (b instanceof Long y) {
      return compareDoubleLong(dbl(a), y);
    }
    return Double.compare(dbl(a), dbl(b));
  }

  /** Compares a double and a long exactly (large longs are not rounded through double). */
  private static int compareDoubleLong(double d, long l) {
    if (Double.isNaN(d)) {
      return 1;
    }
    if (d < -9.3e18) {
      return -1;
    }
    if (d > 9.3e18) {
      return 1;
    }
    long t = (long) d;
    if (t != l) {
      return Long.compare(t, l);
    }
    double frac = d - t;
    return frac > 0 ? 1 : frac < 0 ? -1 : 0;
  }

  // ---- comparison (three-valued) ---------------------------------------------------------------

  /** {@code a < b} etc.: the sign of the comparison, or null if the values are not comparable. */
  static Integer compare(Object a, Object b) {
    if (a == null || b == null) {
      return null;
    }
    if (isNumber(a) && isNumber(b)) {
      if (isNaN(a) || isNaN(b)) {
        return null;
      }
      return numCompare(a, b);
    }
    if (a instanceof String x && b instanceof String y) {
      return Integer.signum(x.compareTo(y));
    }
    if (a instanceof Boolean x && b instanceof Boolean y) {
      return Boolean.compare(x, y);
    }
    if (a instanceof List<?> x && b instanceof List<?> y) {
      int n = Math.min(x.size(), y.size());
      for (int i = 0; i < n; i++) {
        Object p = x.get(i);
        Object q = y.get(i);
        Boolean e = eq(p, q);
        if (e != null && e) {
          continue;
        }
        return compare(p, q);
      }
      return Integer.compare(x.size(), y.size());
    }
    return null;
  }

  // ---- equivalence and sort order ---------------------------------------------------------------

  /** Equivalence: equality where null equals null and NaN equals NaN (DISTINCT, grouping, IN of lists). */
  static boolean equivalent(Object a, Object b) {
    return order(a, b) == 0;
  }

  static int hash(Object v) {
    if (v == null) {
      return 0;
    }
    if (v instanceof Long l) {
      return Long.hashCode(l);
    }
    if (v instanceof Double || v instanceof BigDecimal) {
      double d = dbl(v);
      if (d == Math.rint(d) && Math.abs(d) < 9e18) {
        return Long.hashCode((long) d);
      }
      return Double.hashCode(d);
    }
    if (v instanceof List<?> l) {
      int h = 1;
      for (Object e : l) {
        h = h * 31 + hash(e);
      }
      return h;
    }
    if (v instanceof Map<?, ?> m) {
      int h = 0;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        h += e.getKey().hashCode() ^ hash(e.getValue());
      }
      return h;
    }
    if (v instanceof byte[] b) {
      return java.util.Arrays.hashCode(b);
    }
    return v.hashCode();
  }

  private static int rank(Object v) {
    if (v instanceof Map) {
      return 0;
    } else if (v instanceof NodeRef) {
      return 1;
    } else if (v instanceof RelRef) {
      return 2;
    } else if (v instanceof List) {
      return 3;
    } else if (v instanceof PathRef) {
      return 4;
    } else if (v instanceof String) {
      return 5;
    } else if (v instanceof Boolean) {
      return 6;
    } else if (isNumber(v)) {
      return 7;
    } else if (v == null) {
      return 9;
    }
    return 8; // other stored types (bytes, instants) sort between numbers and null
  }

  /** The total order of {@code ORDER BY} (ascending): maps, nodes, edges, lists, paths, strings, booleans, numbers (NaN last), null. */
  static int order(Object a, Object b) {
    int ra = rank(a);
    int rb = rank(b);
    if (ra != rb) {
      return Integer.compare(ra, rb);
    }
    switch (ra) {
      case 0: {
        Map<?, ?> x = (Map<?, ?>) a;
        Map<?, ?> y = (Map<?, ?>) b;
        TreeSet<String> kx = new TreeSet<>();
        x.keySet().forEach(k -> kx.add((String) k));
        TreeSet<String> ky = new TreeSet<>();
        y.keySet().forEach(k -> ky.add((String) k));
        int c = order(new ArrayList<>(kx), new ArrayList<>(ky));
        if (c != 0) {
          return c;
        }
        for (String k : kx) {
          c = order(x.get(k), y.get(k));
          if (c != 0) {
            return c;
          }
        }
        return 0;
      }
      case 1:
        return Integer.compare(((NodeRef) a).id(), ((NodeRef) b).id());
      case 2:
        return Integer.compare(((RelRef) a).id(), ((RelRef) b).id());
      case 3: {
        Iterator<?> x = ((List<?>) a).iterator();
        Iterator<?> y = ((List<?>) b).iterator();
        while (x.hasNext() && y.hasNext()) {
          int c = order(x.next(), y.next());
          if (c != 0) {
            return c;
          }
        }
        return Boolean.compare(x.hasNext(), y.hasNext());
      }
      case 4: {
        PathRef x = (PathRef) a;
        PathRef y = (PathRef) b;
        List<Object> lx = new ArrayList<>();
        List<Object> ly = new ArrayList<>();
        flatten(x, lx);
        flatten(y, ly);
        return order(lx, ly);
      }
      case 5:
        return ((String) a).compareTo((String) b);
      case 6:
        return Boolean.compare((Boolean) a, (Boolean) b);
      case 7: {
        boolean na = isNaN(a);
        boolean nb = isNaN(b);
        if (na || nb) {
          return Boolean.compare(na, nb);
        }
        return numCompare(a, b);
      }
      case 9:
        return 0;
      default:
        if (a instanceof byte[] x && b instanceof byte[] y) {
          return java.util.Arrays.compare(x, y);
        }
        if (a instanceof Comparable && a.getClass() == b.getClass()) {
          @SuppressWarnings("unchecked")
          Comparable<Object> c = (Comparable<Object>) a;
          return c.compareTo(b);
        }
        return a.getClass().getName().compareTo(b.getClass().getName());
    }
  }

  private static void flatten(PathRef p, List<Object> out) {
    for (int i = 0; i < p.nodes().length; i++) {
      out.add(p.nodes()[i]);
      if (i < p.rels().length) {
        out.add(p.rels()[i]);
      }
    }
  }

  /** A grouping / DISTINCT key: equal when its values are equivalent. */
  static final class Key {
    final Object[] values;
    private final int hash;

    Key(Object[] values) {
      this.values = values;
      int h = 1;
      for (Object v : values) {
        h = h * 31 + Vals.hash(v);
      }
      this.hash = h;
    }

    @Override
    public boolean equals(Object o) {
      if (!(o instanceof Key k) || k.hash != hash || k.values.length != values.length) {
        return false;
      }
      for (int i = 0; i < values.length; i++) {
        if (!equivalent(values[i], k.values[i])) {
          return false;
        }
      }
      return true;
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
