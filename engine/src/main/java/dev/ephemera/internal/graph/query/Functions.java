package dev.ephemera.internal.graph.query;

import dev.ephemera.internal.graph.query.Refs.NodeRef;
import dev.ephemera.internal.graph.query.Refs.PathRef;
import dev.ephemera.internal.graph.query.Refs.RelRef;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The scalar functions of the language, by lower-case name: each with its arity and its body.
 * Functions return null for a null argument unless their definition says otherwise
 * ({@code coalesce}, {@code exists}, …); a value of the wrong type is a type error.
 */
final class Functions {
  private Functions() {}

  interface Body {
    Object apply(Ctx c, Object[] a);
  }

  record Fn(String name, int min, int max, boolean nullIn, Body body) {}

  private static final Map<String, Fn> ALL = new HashMap<>();

  /** {@code nullIn}: a null first argument gives null without calling the body. */
  private static void def(String name, int min, int max, boolean nullIn, Body body) {
    ALL.put(name.toLowerCase(Locale.ROOT), new Fn(name, min, max, nullIn, body));
  }

  static Fn find(String name) {
    return ALL.get(name.toLowerCase(Locale.ROOT));
  }

  static Object arg(Object[] a, int i) {
    return i < a.length ? a[i] : null;
  }

  static long toLong(String fn, Object v) {
    if (v instanceof Long l) {
      return l;
    }
    if (v instanceof Double d && d == Math.rint(d)) {
      return d.longValue();
    }
    throw QueryError.type(fn + "() expects an integer, got " + Vals.typeName(v));
  }

  static String str(String fn, Object v) {
    if (v instanceof String s) {
      return s;
    }
    throw QueryError.type(fn + "() expects a string, got " + Vals.typeName(v));
  }

  static double num(String fn, Object v) {
    if (Vals.isNumber(v)) {
      return Vals.dbl(v);
    }
    throw QueryError.type(fn + "() expects a number, got " + Vals.typeName(v));
  }

  static List<?> list(String fn, Object v) {
    if (v instanceof List<?> l) {
      return l;
    }
    throw QueryError.type(fn + "() expects a list, got " + Vals.typeName(v));
  }

  static {
    // ---- graph elements ----
    def("id", 1, 1, true, (c, a) -> {
      if (a[0] instanceof NodeRef n) {
        return (long) n.id();
      }
      if (a[0] instanceof RelRef r) {
        return (long) r.id();
      }
      throw QueryError.type("id() expects a node or a relationship, got " + Vals.typeName(a[0]));
    });
    def("key", 1, 1, true, (c, a) -> {
      if (a[0] instanceof NodeRef n) {
        return Graphs.key(c, n);
      }
      throw QueryError.type("key() expects a node, got " + Vals.typeName(a[0]));
    });
    def("labels", 1, 1, true, (c, a) -> {
      if (a[0] instanceof NodeRef n) {
        return Graphs.labels(c, n);
      }
      throw QueryError.type("labels() expects a node, got " + Vals.typeName(a[0]));
    });
    def("type", 1, 1, true, (c, a) -> {
      if (a[0] instanceof RelRef r) {
        return c.graph().symbolName(r.type());
      }
      throw QueryError.type("type() expects a relationship, got " + Vals.typeName(a[0]));
    });
    def("keys", 1, 1, true, (c, a) -> new ArrayList<>(Graphs.properties(c, a[0], "keys").keySet()));
    def("properties", 1, 1, true, (c, a) -> new LinkedHashMap<>(Graphs.properties(c, a[0], "properties")));
    def("startNode", 1, 1, true, (c, a) -> {
      if (a[0] instanceof RelRef r) {
        return new NodeRef(r.from());
      }
      throw QueryError.type("startNode() expects a relationship, got " + Vals.typeName(a[0]));
    });
    def("endNode", 1, 1, true, (c, a) -> {
      if (a[0] instanceof RelRef r) {
        return new NodeRef(r.to());
      }
      throw QueryError.type("endNode() expects a relationship, got " + Vals.typeName(a[0]));
    });
    def("nodes", 1, 1, true, (c, a) -> {
      if (a[0] instanceof PathRef p) {
        return Arrays.asList((Object[]) p.nodes());
      }
      throw QueryError.type("nodes() expects a path, got " + Vals.typeName(a[0]));
    });
    def("relationships", 1, 1, true, (c, a) -> {
      if (a[0] instanceof PathRef p) {
        return Arrays.asList((Object[]) p.rels());
      }
      throw QueryError.type("relationships() expects a path, got " + Vals.typeName(a[0]));
    });
    def("length", 1, 1, true, (c, a) -> {
      if (a[0] instanceof PathRef p) {
        return (long) p.rels().length;
      }
      if (a[0] instanceof String s) {
        return (long) s.codePointCount(0, s.length());
      }
      if (a[0] instanceof List<?> l) {
        return (long) l.size();
      }
      throw QueryError.type("length() expects a path, got " + Vals.typeName(a[0]));
    });
    def("size", 1, 1, true, (c, a) -> {
      if (a[0] instanceof List<?> l) {
        return (long) l.size();
      }
      if (a[0] instanceof String s) {
        return (long) s.codePointCount(0, s.length());
      }
      if (a[0] instanceof Map<?, ?> m) {
        return (long) m.size();
      }
      throw QueryError.type("size() expects a list or a string, got " + Vals.typeName(a[0]));
    });
    def("exists", 1, 1, false, (c, a) -> a[0] != null);

    // ---- lists ----
    def("head", 1, 1, true, (c, a) -> {
      List<?> l = list("head", a[0]);
      return l.isEmpty() ? null : l.get(0);
    });
    def("last", 1, 1, true, (c, a) -> {
      List<?> l = list("last", a[0]);
      return l.isEmpty() ? null : l.get(l.size() - 1);
    });
    def("tail", 1, 1, true, (c, a) -> {
      List<?> l = list("tail", a[0]);
      return l.isEmpty() ? List.of() : new ArrayList<>(l.subList(1, l.size()));
    });
    def("range", 2, 3, false, (c, a) -> {
      if (a[0] == null || a[1] == null || (a.length > 2 && a[2] == null)) {
        throw QueryError.type("range() expects integers, got null");
      }
      long from = toLong("range", a[0]);
      long to = toLong("range", a[1]);
      long step = a.length > 2 ? toLong("range", a[2]) : 1;
      if (step == 0) {
        throw QueryError.runtime("range() step must not be zero");
      }
      if (!(a[0] instanceof Long) || !(a[1] instanceof Long) || (a.length > 2 && !(a[2] instanceof Long))) {
        throw QueryError.type("range() expects integers");
      }
      List<Object> out = new ArrayList<>();
      for (long i = from; step > 0 ? i <= to : i >= to; i += step) {
        out.add(i);
        if (out.size() > 10_000_000) {
          throw QueryError.runtime("range() of more than 10,000,000 elements");
        }
      }
      return out;
    });
    def("reverse", 1, 1, true, (c, a) -> {
      if (a[0] instanceof String s) {
        return new StringBuilder(s).reverse().toString();
      }
      List<Object> l = new ArrayList<>(list("reverse", a[0]));
      Collections.reverse(l);
      return l;
    });
    def("coalesce", 1, Integer.MAX_VALUE, false, (c, a) -> {
      for (Object v : a) {
        if (v != null) {
          return v;
        }
      }
      return null;
    });

    // ---- conversion ----
    def("toString", 1, 1, true, (c, a) -> {
      Object v = a[0];
      if (v instanceof String) {
        return v;
      }
      if (v instanceof Long || v instanceof Boolean) {
        return v.toString();
      }
      if (v instanceof Double d) {
        return formatDouble(d);
      }
      if (v instanceof java.math.BigDecimal d) {
        return d.toPlainString();
      }
      throw QueryError.type("toString() cannot convert " + Vals.typeName(v));
    });
    def("toInteger", 1, 1, true, (c, a) -> {
      Object v = a[0];
      if (v instanceof Long) {
        return v;
      }
      if (v instanceof Double d) {
        return d.isNaN() || d.isInfinite() ? null : (long) d.doubleValue();
      }
      if (v instanceof java.math.BigDecimal d) {
        return d.longValue();
      }
      if (v instanceof String s) {
        try {
          return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
          try {
            double d = Double.parseDouble(s.trim());
            return Double.isNaN(d) || Double.isInfinite(d) ? null : (long) d;
          } catch (NumberFormatException e2) {
            return null;
          }
        }
      }
      throw QueryError.type("toInteger() cannot convert " + Vals.typeName(v));
    });
    def("toFloat", 1, 1, true, (c, a) -> {
      Object v = a[0];
      if (Vals.isNumber(v)) {
        return Vals.dbl(v);
      }
      if (v instanceof String s) {
        try {
          return Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
          return null;
        }
      }
      throw QueryError.type("toFloat() cannot convert " + Vals.typeName(v));
    });
    def("toBoolean", 1, 1, true, (c, a) -> {
      Object v = a[0];
      if (v instanceof Boolean) {
        return v;
      }
      if (v instanceof String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        return t.equals("true") ? Boolean.TRUE : t.equals("false") ? Boolean.FALSE : null;
      }
      if (v instanceof Long l) {
        return l != 0;
      }
      throw QueryError.type("toBoolean() cannot convert " + Vals.typeName(v));
    });

    // ---- numbers ----
    def("abs", 1, 1, true, (c, a) -> {
      if (a[0] instanceof Long l) {
        if (l == Long.MIN_VALUE) {
          throw QueryError.runtime("integer overflow in abs()");
        }
        return Math.abs(l);
      }
      return Math.abs(num("abs", a[0]));
    });
    def("ceil", 1, 1, true, (c, a) -> Math.ceil(num("ceil", a[0])));
    def("floor", 1, 1, true, (c, a) -> Math.floor(num("floor", a[0])));
    def("round", 1, 1, true, (c, a) -> {
      double d = num("round", a[0]);
      return Double.isNaN(d) || Double.isInfinite(d) ? d : (double) Math.round(d);
    });
    def("sqrt", 1, 1, true, (c, a) -> Math.sqrt(num("sqrt", a[0])));
    def("sign", 1, 1, true, (c, a) -> {
      if (a[0] instanceof Long l) {
        return (long) Long.signum(l);
      }
      return (long) Math.signum(num("sign", a[0]));
    });
    def("exp", 1, 1, true, (c, a) -> Math.exp(num("exp", a[0])));
    def("log", 1, 1, true, (c, a) -> Math.log(num("log", a[0])));
    def("log10", 1, 1, true, (c, a) -> Math.log10(num("log10", a[0])));
    def("sin", 1, 1, true, (c, a) -> Math.sin(num("sin", a[0])));
    def("cos", 1, 1, true, (c, a) -> Math.cos(num("cos", a[0])));
    def("tan", 1, 1, true, (c, a) -> Math.tan(num("tan", a[0])));
    def("pi", 0, 0, false, (c, a) -> Math.PI);
    def("e", 0, 0, false, (c, a) -> Math.E);
    def("rand", 0, 0, false, (c, a) -> java.util.concurrent.ThreadLocalRandom.current().nextDouble());

    // ---- strings ----
    def("toUpper", 1, 1, true, (c, a) -> str("toUpper", a[0]).toUpperCase(Locale.ROOT));
    def("toLower", 1, 1, true, (c, a) -> str("toLower", a[0]).toLowerCase(Locale.ROOT));
    def("trim", 1, 1, true, (c, a) -> str("trim", a[0]).strip());
    def("lTrim", 1, 1, true, (c, a) -> str("lTrim", a[0]).stripLeading());
    def("rTrim", 1, 1, true, (c, a) -> str("rTrim", a[0]).stripTrailing());
    def("left", 2, 2, true, (c, a) -> {
      String s = str("left", a[0]);
      long n = checkLength("left", a[1]);
      return s.substring(0, (int) Math.min(n, s.length()));
    });
    def("right", 2, 2, true, (c, a) -> {
      String s = str("right", a[0]);
      long n = checkLength("right", a[1]);
      return s.substring(s.length() - (int) Math.min(n, s.length()));
    });
    def("substring", 2, 3, true, (c, a) -> {
      String s = str("substring", a[0]);
      long from = checkLength("substring", a[1]);
      long len = a.length > 2 ? checkLength("substring", a[2]) : Long.MAX_VALUE;
      int start = (int) Math.min(from, s.length());
      return s.substring(start, (int) Math.min(s.length(), start + Math.min(len, s.length())));
    });
    def("replace", 3, 3, false, (c, a) -> {
      if (a[0] == null || a[1] == null || a[2] == null) {
        return null;
      }
      return str("replace", a[0]).replace(str("replace", a[1]), str("replace", a[2]));
    });
    def("split", 2, 2, false, (c, a) -> {
      if (a[0] == null || a[1] == null) {
        return null;
      }
      String s = str("split", a[0]);
      String sep = str("split", a[1]);
      List<Object> out = new ArrayList<>();
      if (sep.isEmpty()) {
        s.codePoints().forEach(cp -> out.add(new String(Character.toChars(cp))));
        return out;
      }
      int at = 0;
      for (int i = s.indexOf(sep); i >= 0; i = s.indexOf(sep, at)) {
        out.add(s.substring(at, i));
        at = i + sep.length();
      }
      out.add(s.substring(at));
      return out;
    });

    // ---- the session ----
    def("current_session_var", 1, 1, true, (c, a) -> c.session.get(str("current_session_var", a[0])));
    def("current_tenant_id", 0, 0, false, (c, a) -> {
      Object v = c.session.get("tenant_id");
      return v == null ? null : v.toString();
    });
    def("current_session_id", 0, 0, false, (c, a) -> c.session.id());
    def("current_session_user", 0, 0, false, (c, a) -> c.session.info().user());
    def("current_namespace", 0, 0, false, (c, a) -> c.session.info().namespace());
    def("current_database", 0, 0, false, (c, a) -> c.session.info().database());
  }

  private static long checkLength(String fn, Object v) {
    if (v == null) {
      throw QueryError.type(fn + "() expects an integer, got null");
    }
    long n = toLong(fn, v);
    if (n < 0) {
      throw QueryError.runtime(fn + "() expects a non-negative integer, got " + n);
    }
    return n;
  }

  /** A float as openCypher prints it: always with a decimal point or exponent. */
  static String formatDouble(double d) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "Infinity" : "-Infinity";
    }
    String s = Double.toString(d);
    return s.endsWith(".0") && s.length() > 2 ? s : s;
  }
}
