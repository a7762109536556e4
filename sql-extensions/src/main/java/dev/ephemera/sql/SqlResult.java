package dev.ephemera.sql;

import dev.ephemera.QueryResult;
import java.util.List;

/**
 * What {@link SessionSql#execute} returns: the rows of a query (or of a {@code SHOW} statement),
 * or the update count of anything else.
 */
public final class SqlResult {
  private final QueryResult rows;
  private final List<Integer> columnTypes;
  private final long updateCount;

  SqlResult(QueryResult rows, List<Integer> columnTypes, long updateCount) {
    this.rows = rows;
    this.columnTypes = columnTypes;
    this.updateCount = updateCount;
  }

  /** Whether the statement returned rows. */
  public boolean isQuery() {
    return rows != null;
  }

  /**
   * The rows.
   *
   * @throws IllegalStateException if the statement returned an update count instead
   */
  public QueryResult rows() {
    if (rows == null) {
      throw new IllegalStateException("the statement returned an update count (" + updateCount + "), not rows");
    }
    return rows;
  }

  /** The columns' types ({@link java.sql.Types}), empty for an update count. */
  public List<Integer> columnTypes() {
    return columnTypes;
  }

  /** The update count (rows changed, or 0 for statements that change none), or -1 for a query. */
  public long updateCount() {
    return updateCount;
  }

  @Override
  public String toString() {
    return rows != null ? "SqlResult[" + rows.columns() + ", " + rows.size() + " rows]"
        : "SqlResult[update count " + updateCount + "]";
  }
}
