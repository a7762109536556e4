package dev.ephemera.internal.sql;

import org.h2.engine.SessionLocal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import org.h2.table.Table;

/**
 * A prepared statement, whether H2 can run it inside a transaction without committing, and for
 * a one-row {@code INSERT … VALUES (?, …)} what a batch needs to run it as multi-row inserts.
 */
final class CachedStatement {
  final PreparedStatement ps;
  final boolean transactional;
  /** The table a one-row parameter-only INSERT writes to, else {@code null}. */
  final Table insertTable;
  /** The text before the VALUES row's parenthesis (with insertTable). */
  final String insertHead;
  /** The statement's parameter count, as H2 counts them. */
  final int params;
  /** The multi-row form, prepared on the first batch that can use it; refused: it cannot. */
  PreparedStatement multi;
  String multiSql;
  boolean multiRefused;

  CachedStatement(PreparedStatement ps, boolean transactional, Table insertTable, String insertHead, int params) {
    this.ps = ps;
    this.transactional = transactional;
    this.insertTable = insertTable;
    this.insertHead = insertHead;
    this.params = params;
  }

  void close() throws SQLException {
    try {
      ps.close();
    } finally {
      if (multi != null) {
        multi.close();
      }
    }
  }

  /**
   * The multi-row form ({@link SessionConnection#MULTI_ROWS} rows) of a cached one-row INSERT, or {@code null}
   * when a batch must run row by row: not such an INSERT, or its table has triggers now (a
   * statement trigger would fire once per statement, not per row). Callers hold the lock and
   * have made sure the table is {@link SessionConnection#current}.
   */
  PreparedStatement multiInsert(Connection conn) throws SQLException {
    Table t = insertTable;
    if (t == null || multiRefused) {
      return null;
    }
    ArrayList<?> triggers = t.getTriggers();
    if (triggers != null && !triggers.isEmpty()) {
      return null;
    }
    if (multi == null) {
      StringBuilder row = new StringBuilder(params * 3).append('(');
      for (int i = 0; i < params; i++) {
        row.append(i == 0 ? "?" : ", ?");
      }
      row.append(')');
      StringBuilder text = new StringBuilder(insertHead.length() + SessionConnection.MULTI_ROWS * (row.length() + 2)).append(insertHead);
      for (int i = 0; i < SessionConnection.MULTI_ROWS; i++) {
        text.append(i == 0 ? "" : ", ").append(row);
      }
      PreparedStatement m = conn.prepareStatement(text.toString());
      if (m.getParameterMetaData().getParameterCount() != params * SessionConnection.MULTI_ROWS) { // the text fooled insertHead
        m.close();
        multiRefused = true;
        return null;
      }
      multi = m;
      multiSql = text.toString();
    }
    multi.clearParameters();
    return multi;
  }

  /** H2's error for a multi-row statement, with the text the caller wrote in place of the engine's. */
  static SQLException asWritten(SQLException e, String multiSql, String sql) {
    String message = e.getMessage();
    if (message == null || !message.contains(multiSql)) {
      return e;
    }
    SQLException out = new SQLException(message.replace(multiSql, sql), e.getSQLState(), e.getErrorCode(), e);
    out.setStackTrace(e.getStackTrace());
    return out;
  }

  /** Whether an H2 table is still the one its name finds (not dropped, or dropped and created again). */
  static boolean current(Table t, SessionLocal h2) {
    String name = t.getName(); // null once dropped
    return name != null && t.getSchema().findTableOrView(h2, name) == t;
  }
}
