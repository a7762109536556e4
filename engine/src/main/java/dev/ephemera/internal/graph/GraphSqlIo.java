package dev.ephemera.internal.graph;

import dev.ephemera.Names;
import dev.ephemera.internal.util.Buf;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import static dev.ephemera.internal.graph.AdjacencyLists.ADJ;

/**
 * A temporary graph's way in and out of SQL: edges and nodes loaded from a query on the session's
 * connection (every row read and checked first, then the graph changed all at once), and edges
 * exported into one of the session's temporary tables.
 */
final class GraphSqlIo {
  private GraphSqlIo() {}

  static long loadEdges(GraphImpl graph, GraphOwner session, String sql, Object... params) {
    Objects.requireNonNull(sql, "sql");
    // lock order: the session's SQL lock, then the graph (a rollback undoes graph edits under the SQL lock)
    return session.withSqlLock(c -> loadEdgesLocked(graph, c, sql, params));
  }

  private static long loadEdgesLocked(GraphImpl graph, Connection c, String sql, Object... params) throws SQLException {
    // every row is read and checked first; then the edges go in at once, all or none
    EdgeBatchImpl batch = new EdgeBatchImpl(graph);
    readRows(c, "loadEdges", sql, params, 2, 3, "source, target [, type]", (rs, cols) -> {
        String from = rs.getString(1);
        String to = rs.getString(2);
        String type = cols == 3 ? rs.getString(3) : GraphImpl.DEFAULT_TYPE;
        long row = batch.size() + 1L;
        if (from == null || to == null || type == null) {
          throw new IllegalArgumentException("loadEdges: row " + row + " has a null "
              + (from == null ? "source" : to == null ? "target" : "type"));
        }
        try {
          batch.add(from, to, type);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("loadEdges: row " + row + ": " + e.getMessage(), e);
        }
    });
    return batch.load();
  }

  static long loadNodes(GraphImpl graph, GraphOwner session, String sql, Object... params) {
    Objects.requireNonNull(sql, "sql");
    List<String[]> rows = new ArrayList<>();
    // read and check every row first: the graph changes only when all of them are good
    session.withSqlLock(c -> {
      readRows(c, "loadNodes", sql, params, 1, 2, "key [, label]", (rs, cols) -> {
        String key = rs.getString(1);
        String label = cols == 2 ? rs.getString(2) : null;
        long row = rows.size() + 1L;
        if (key == null) {
          throw new IllegalArgumentException("loadNodes: row " + row + " has a null key");
        }
        try {
          GraphChecks.checkKey(key);
          if (label != null) {
            GraphChecks.checkSymbol("label", label);
          }
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("loadNodes: row " + row + ": " + e.getMessage(), e);
        }
        rows.add(new String[] {key, label});
      });
      return null;
    });
    for (String[] r : rows) {
      graph.addNode(r[0], r[1] == null ? Set.of() : Set.of(r[1]), Map.of());
    }
    return rows.size();
  }

  @FunctionalInterface
  private interface RowReader {
    void row(ResultSet rs, int columns) throws SQLException;
  }

  /** Runs a load's query on the session's connection and hands each row to {@code reader}. */
  private static void readRows(Connection c, String what, String sql, Object[] params, int minColumns, int maxColumns, String columns,
      RowReader reader) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; params != null && i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        int cols = rs.getMetaData().getColumnCount();
        if (cols < minColumns || cols > maxColumns) {
          throw new IllegalArgumentException(what + " needs a query returning " + minColumns + " or " + maxColumns
              + " columns (" + columns + "); it returned " + cols);
        }
        while (rs.next()) {
          reader.row(rs, cols);
        }
      }
    }
  }

  static long exportEdges(GraphImpl graph, GraphOwner session, String tempTableName) {
    String table = Names.check("table", tempTableName).toUpperCase(Locale.ROOT);
    List<Object[]> rows = graph.read(() -> {
      List<Object[]> all = new ArrayList<>();
      Buf list = new Buf();
      for (int i = 0; i < graph.nextNode; i++) {
        if (!graph.store.get(AdjacencyLists.keyOf(graph.bk, GraphImpl.N, i), graph.bv)) {
          continue;
        }
        String from = graph.bv.getString();
        graph.lists.read(GraphImpl.OUT, i, ADJ, list);
        for (int at = 0; at < list.len; at += ADJ) {
          all.add(new Object[] {from, graph.keyOfId(list.getInt(at)), graph.symbols.get(list.getInt(at + 4))});
        }
      }
      return all;
    });
    session.session().createTempTable(table, "SOURCE VARCHAR, TARGET VARCHAR, TYPE VARCHAR");
    String insert = "INSERT INTO \"" + table.toUpperCase(Locale.ROOT) + "\" VALUES (?, ?, ?)";
    for (int i = 0; i < rows.size(); i += 1000) {
      session.session().executeBatch(insert, rows.subList(i, Math.min(rows.size(), i + 1000)));
    }
    return rows.size();
  }
}
