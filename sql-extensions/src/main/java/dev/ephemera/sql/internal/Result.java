package dev.ephemera.sql.internal;

import java.sql.Types;
import java.util.Collections;
import java.util.List;

/**
 * What one statement of the dialect produced: rows (column names, their {@link Types}, the
 * values) or an update count. {@code alsoRows}: an update count that {@code executeQuery} may
 * also take, as a result set without columns or rows (a graph query without {@code RETURN}: in
 * its language a query like any other).
 */
public record Result(List<String> columns, int[] types, List<Object[]> rows, long updateCount, boolean alsoRows) {
  static Result count(long n) {
    return new Result(List.of(), new int[0], List.of(), n, false);
  }

  /** A graph query that returned nothing: update count 0, or no rows to {@code executeQuery}. */
  static Result graphUpdate() {
    return new Result(List.of(), new int[0], List.of(), 0, true);
  }

  static Result rows(List<String> columns, int[] types, List<Object[]> rows) {
    return new Result(List.copyOf(columns), types.clone(), List.copyOf(rows), -1, false);
  }

  static Result single(String column, int type, Object value) {
    return rows(List.of(column), new int[] {type}, Collections.singletonList(new Object[] {value}));
  }

  public boolean isQuery() {
    return updateCount < 0;
  }
}
