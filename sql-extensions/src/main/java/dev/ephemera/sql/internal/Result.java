package dev.ephemera.sql.internal;

import java.sql.Types;
import java.util.Collections;
import java.util.List;

/**
 * What one statement of the dialect produced: rows (column names, their {@link Types}, the
 * values) or an update count.
 */
public record Result(List<String> columns, int[] types, List<Object[]> rows, long updateCount) {
  static Result count(long n) {
    return new Result(List.of(), new int[0], List.of(), n);
  }

  static Result rows(List<String> columns, int[] types, List<Object[]> rows) {
    return new Result(List.copyOf(columns), types.clone(), List.copyOf(rows), -1);
  }

  static Result single(String column, int type, Object value) {
    return rows(List.of(column), new int[] {type}, Collections.singletonList(new Object[] {value}));
  }

  public boolean isQuery() {
    return updateCount < 0;
  }
}
