package dev.ephemera.sql.internal;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Date;
import java.sql.SQLException;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Session-variable values as SQL sees them: converted from JDBC, shown as text, named by SQL type. */
public final class SqlValues {
  private SqlValues() {}

  /**
   * A value from JDBC (a parameter or what H2 computed) as a session variable value: instants
   * from timestamps with a time zone, lists from arrays, strings from UUIDs; the engine checks the
   * rest (and widens integers and floats).
   */
  public static Object toVariable(Object v) throws SQLException {
    if (v instanceof OffsetDateTime o) {
      return o.toInstant();
    }
    if (v instanceof ZonedDateTime z) {
      return z.toInstant();
    }
    if (v instanceof Timestamp t) {
      return t.toInstant();
    }
    if (v instanceof UUID u) {
      return u.toString();
    }
    if (v instanceof LocalDateTime || v instanceof LocalDate || v instanceof LocalTime
        || v instanceof Date || v instanceof Time) {
      throw new SQLException("a " + v.getClass().getSimpleName() + " has no time zone, so it is not an instant;"
          + " a session variable holds TIMESTAMP WITH TIME ZONE values (or use a string)", "22023");
    }
    if (v instanceof Object[] a) {
      List<Object> out = new ArrayList<>(a.length);
      for (Object x : a) {
        out.add(toVariable(x));
      }
      return out;
    }
    if (v instanceof Array a) {
      return toVariable(a.getArray());
    }
    return v;
  }

  /**
   * A variable's value as text, the form {@code CURRENT_SESSION_VAR} returns and {@code SHOW
   * SESSION VARIABLES} shows: numbers in plain notation, booleans as {@code TRUE}/{@code FALSE},
   * instants in ISO-8601 ({@code 2026-11-24T10:15:30Z}), bytes in Base64, lists and maps as JSON.
   * H2 converts this text to a column's type when the two are compared.
   */
  public static String text(Object v) {
    if (v == null) {
      return null;
    }
    if (v instanceof String s) {
      return s;
    }
    StringBuilder b = new StringBuilder();
    render(v, b, false);
    return b.toString();
  }

  private static void render(Object v, StringBuilder b, boolean json) {
    if (v == null) {
      b.append("null");
    } else if (v instanceof String || v instanceof byte[] || v instanceof Instant) {
      String s = v instanceof byte[] bytes ? Base64.getEncoder().encodeToString(bytes) : v.toString();
      if (json) {
        quoteJson(s, b);
      } else {
        b.append(s);
      }
    } else if (v instanceof Boolean x) {
      b.append(json ? x.toString() : x ? "TRUE" : "FALSE");
    } else if (v instanceof BigDecimal d) {
      b.append(d.toPlainString());
    } else if (v instanceof Double d && json && (d.isNaN() || d.isInfinite())) {
      quoteJson(d.toString(), b); // JSON has no NaN or infinity
    } else if (v instanceof List<?> l) {
      b.append('[');
      for (int i = 0; i < l.size(); i++) {
        if (i > 0) {
          b.append(", ");
        }
        render(l.get(i), b, true);
      }
      b.append(']');
    } else if (v instanceof Map<?, ?> m) {
      b.append('{');
      boolean firstEntry = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!firstEntry) {
          b.append(", ");
        }
        firstEntry = false;
        quoteJson(String.valueOf(e.getKey()), b);
        b.append(": ");
        render(e.getValue(), b, true);
      }
      b.append('}');
    } else {
      b.append(v); // Long
    }
  }

  private static void quoteJson(String s, StringBuilder b) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }

  /** The SQL type name of a variable's value, as {@code SHOW SESSION VARIABLES} shows it. */
  public static String typeName(Object v) {
    if (v == null) {
      return "NULL";
    }
    if (v instanceof String) {
      return "VARCHAR";
    }
    if (v instanceof Long) {
      return "BIGINT";
    }
    if (v instanceof Double) {
      return "DOUBLE PRECISION";
    }
    if (v instanceof BigDecimal) {
      return "NUMERIC";
    }
    if (v instanceof Boolean) {
      return "BOOLEAN";
    }
    if (v instanceof byte[]) {
      return "VARBINARY";
    }
    if (v instanceof Instant) {
      return "TIMESTAMP WITH TIME ZONE";
    }
    if (v instanceof List) {
      return "ARRAY";
    }
    if (v instanceof Map) {
      return "JSON";
    }
    return v.getClass().getSimpleName();
  }
}
