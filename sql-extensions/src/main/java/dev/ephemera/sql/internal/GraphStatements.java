package dev.ephemera.sql.internal;

import dev.ephemera.QueryResult;
import dev.ephemera.Session;
import dev.ephemera.graph.Edge;
import dev.ephemera.graph.GraphPath;
import dev.ephemera.graph.Node;
import dev.ephemera.graph.TempGraph;
import dev.ephemera.internal.spi.SqlBridge;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dialect's graph statements on a session: a query of the graph query language on the
 * session's current graph ({@code USE GRAPH g}), or on none for a query that needs none, and
 * {@code INSERT INTO g MATCH …}. The query's text goes to the language as written; JDBC parameter
 * {@code i} is the query's {@code $i}. Updates join the session's transaction like any other
 * change of a graph: the engine journals them.
 */
final class GraphStatements {
  private GraphStatements() {}

  /** Runs a graph query; its rows, or (without {@code RETURN}) an update count of 0. */
  static Result query(Session session, Stmt.GraphQuery q, Object[] p) throws SQLException {
    Map<String, Object> params = parameters(p);
    String current = SqlBridge.currentGraph(session);
    QueryResult r;
    if (current != null) {
      TempGraph g = session.tempGraph(current);
      r = SqlBridge.graphStatement(session, () -> g.query(q.query(), params));
    } else if (q.needsGraph()) {
      throw noGraph();
    } else {
      r = SqlBridge.graphStatement(session, () -> SqlBridge.graphQueryWithoutGraph(session, q.query(), params));
    }
    return result(r);
  }

  /** Copies what the query returns from the current graph into the target; the count is nodes and edges copied. */
  static Result insertInto(Session session, Stmt.InsertFromGraph i, Object[] p) throws SQLException {
    String current = SqlBridge.currentGraph(session);
    if (current == null) {
      throw noGraph();
    }
    TempGraph target = session.tempGraph(i.target());
    TempGraph source = session.tempGraph(current);
    Map<String, Object> params = parameters(p);
    return Result.count(SqlBridge.graphStatement(session, () -> source.insertInto(target, i.query(), params)));
  }

  private static SQLException noGraph() {
    // MySQL's "No database selected" has this SQLState
    return new SQLException("no graph selected: USE GRAPH name first (MATCH, CREATE and MERGE run on the session's"
        + " current graph)", "3D000");
  }

  /** JDBC's parameters as the query's: the value of {@code ?} number {@code i} (1-based) under the name {@code "i"}. */
  static Map<String, Object> parameters(Object[] p) throws SQLException {
    Map<String, Object> out = new LinkedHashMap<>();
    for (int i = 0; i < p.length; i++) {
      out.put(Integer.toString(i + 1), value(p[i]));
    }
    return out;
  }

  /**
   * A JDBC value as a value of the graph language: integers widened to {@code Long}, floats to
   * {@code Double}, timestamps with a zone to {@code Instant}, arrays to lists (and so on inside
   * lists and maps); the engine refuses what is still not one of its value types.
   */
  static Object value(Object v) throws SQLException {
    Object x = SqlValues.toVariable(v);
    if (x instanceof Integer || x instanceof Short || x instanceof Byte) {
      return ((Number) x).longValue();
    }
    if (x instanceof Float f) {
      return f.doubleValue();
    }
    if (x instanceof BigInteger b) {
      return new BigDecimal(b);
    }
    if (x instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      for (Object e : l) {
        out.add(value(e));
      }
      return out;
    }
    if (x instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        out.put(String.valueOf(e.getKey()), value(e.getValue()));
      }
      return out;
    }
    return x;
  }

  /** A query's result as the dialect's: each column's type from its first non-null value. */
  static Result result(QueryResult r) {
    List<String> columns = r.columns();
    if (columns.isEmpty()) {
      return Result.graphUpdate();
    }
    List<Object[]> rows = new ArrayList<>(r.size());
    for (List<Object> row : r.rows()) {
      rows.add(row.toArray());
    }
    int[] types = new int[columns.size()];
    for (int c = 0; c < types.length; c++) {
      types[c] = Types.OTHER;
      for (Object[] row : rows) {
        if (row[c] != null) {
          types[c] = sqlType(row[c]);
          break;
        }
      }
    }
    return Result.rows(columns, types, rows);
  }

  /** The {@link Types} a column of such values is given. */
  static int sqlType(Object v) {
    if (v instanceof Boolean) {
      return Types.BOOLEAN;
    }
    if (v instanceof Long) {
      return Types.BIGINT;
    }
    if (v instanceof Double) {
      return Types.DOUBLE;
    }
    if (v instanceof String) {
      return Types.VARCHAR;
    }
    if (v instanceof BigDecimal) {
      return Types.NUMERIC;
    }
    if (v instanceof byte[]) {
      return Types.VARBINARY;
    }
    if (v instanceof Node || v instanceof Edge || v instanceof GraphPath || v instanceof List || v instanceof Map) {
      return Types.JAVA_OBJECT;
    }
    return Types.OTHER; // an Instant, as stored
  }
}
