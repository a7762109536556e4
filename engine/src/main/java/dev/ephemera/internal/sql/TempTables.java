package dev.ephemera.internal.sql;

import dev.ephemera.OnCommit;
import dev.ephemera.ResourceLimitException;
import dev.ephemera.TransactionException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.h2.engine.SessionLocal;
import org.h2.table.Table;

/**
 * One session's temporary tables: H2 {@code LOCAL TEMPORARY} tables on its own connection, so no
 * other session can see them, created {@code TRANSACTIONAL} (creating one does not commit an open
 * transaction), counted against {@code maxTempTables}, dropped with the connection when the session
 * ends. Their names and row counts come from H2's session object, not from INFORMATION_SCHEMA
 * (which can return a stale cached result for local temporary tables).
 */
final class TempTables {
  private final SessionConnection sql;
  private final long maxTempTables;

  TempTables(SessionConnection sql, long maxTempTables) {
    this.sql = sql;
    this.maxTempTables = maxTempTables;
  }

  void create(String name, String columns, OnCommit onCommit) {
    String table = SqlText.tableName(name);
    SqlText.checkColumns(columns);
    String definitions = SqlText.portableColumns(columns);
    Objects.requireNonNull(onCommit, "onCommit");
    sql.lock.lock();
    try {
      sql.conn();
      if (maxTempTables != Long.MAX_VALUE) {
        long have = 0;
        for (SessionLocal h2 : sql.h2Sessions()) { // those kept in databases selected before count too
          have += h2.getLocalTempTables().size();
        }
        if (have >= maxTempTables) {
          throw new ResourceLimitException("session " + sql.owner.id() + " has " + have + " temporary tables; the limit is "
              + maxTempTables, "temp tables", maxTempTables, have + 1);
        }
      }
      // TRANSACTIONAL: creating the table does not commit an open transaction (H2 otherwise would)
      String ddl = "CREATE LOCAL TEMPORARY TABLE " + H2Database.quote(table) + " (" + definitions + ")"
          + switch (onCommit) {
            case PRESERVE_ROWS -> "";
            case DELETE_ROWS -> " ON COMMIT DELETE ROWS";
            case DROP -> " ON COMMIT DROP";
          }
          + " TRANSACTIONAL";
      sql.exec(x -> sql.update(x, ddl));
    } finally {
      sql.lock.unlock();
    }
  }

  /** The session's temporary tables; opens no connection when there is none (then there are none). */
  List<String> names() {
    sql.lock.lock();
    try {
      if (sql.isClosedLocked()) {
        throw sql.owner.closed();
      }
      return sql.hasConnectionLocked() ? sortedNames() : List.of();
    } finally {
      sql.lock.unlock();
    }
  }

  /** The names of the session's temporary tables, sorted, from H2's session object. Callers hold the sql.lock. */
  private List<String> sortedNames() {
    List<String> out = new ArrayList<>();
    for (Table t : sql.h2().getLocalTempTables()) {
      out.add(t.getName());
    }
    out.sort(null);
    return List.copyOf(out);
  }

  boolean drop(String name) {
    String table = SqlText.tableName(name);
    sql.lock.lock();
    try {
      if (sql.isClosedLocked()) {
        throw sql.owner.closed();
      }
      if (!sql.hasConnectionLocked() || !sortedNames().contains(table)) {
        return false;
      }
      if (sql.tx != null) {
        throw new TransactionException("session " + sql.owner.id() + ": dropping temporary table " + table
            + " would commit the open transaction (H2 commits before DROP TABLE); drop it after the transaction");
      }
      sql.exec(c -> sql.update(c, "DROP TABLE " + H2Database.quote(table)));
      return true;
    } finally {
      sql.lock.unlock();
    }
  }

  /**
   * The exact number of rows in the session's temporary tables, from H2's session object (SQL over
   * INFORMATION_SCHEMA can return a stale cached result for local temporary tables).
   */
  /** The rows in them now, in every database the session keeps a connection to; callers hold the sql.lock. */
  long rows() {
    long rows = 0;
    for (SessionLocal h2 : sql.h2Sessions()) {
      for (Table t : h2.getLocalTempTables()) {
        rows += t.getRowCount(h2);
      }
    }
    return rows;
  }
}
