package dev.ephemera;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The rows of a query, read in full: column labels as H2 reports them (unquoted names are upper
 * case) and each row's values as JDBC's {@code getObject} returns them. Immutable.
 */
public final class QueryResult {
  private final List<String> columns;
  private final List<List<Object>> rows;

  public QueryResult(List<String> columns, List<List<Object>> rows) {
    this.columns = List.copyOf(columns);
    List<List<Object>> copy = new ArrayList<>(rows.size());
    for (List<Object> r : rows) {
      copy.add(Collections.unmodifiableList(new ArrayList<>(r))); // values may be null
    }
    this.rows = Collections.unmodifiableList(copy);
  }

  /** The column labels, in order. */
  public List<String> columns() {
    return columns;
  }

  /** The rows, each a list of values in column order. */
  public List<List<Object>> rows() {
    return rows;
  }

  /** How many rows. */
  public int size() {
    return rows.size();
  }

  /** Row {@code row} as a map from column label to value, in column order. */
  public Map<String, Object> row(int row) {
    List<Object> r = rows.get(row);
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < columns.size(); i++) {
      m.put(columns.get(i), r.get(i));
    }
    return Collections.unmodifiableMap(m);
  }

  /**
   * The value in row {@code row} of the column labelled {@code column} (case-insensitive).
   *
   * @throws IllegalArgumentException if there is no such column
   */
  public Object value(int row, String column) {
    Objects.requireNonNull(column, "column");
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).equalsIgnoreCase(column)) {
        return rows.get(row).get(i);
      }
    }
    throw new IllegalArgumentException("no column '" + column + "' in " + columns);
  }

  /**
   * The only value of a one-row, one-column result (a {@code COUNT(*)}, say).
   *
   * @throws IllegalStateException if the result is not one row of one column
   */
  public Object single() {
    if (rows.size() != 1 || columns.size() != 1) {
      throw new IllegalStateException("expected one row of one column, got " + rows.size() + " rows of " + columns);
    }
    return rows.get(0).get(0);
  }

  @Override
  public String toString() {
    return "QueryResult[" + columns + ", " + rows.size() + " rows]";
  }
}
