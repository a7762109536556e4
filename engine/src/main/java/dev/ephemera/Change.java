package dev.ephemera;

import java.util.Map;

/**
 * One changed row, delivered to a {@link LiveListener}.
 *
 * @param kind insert, update or delete
 * @param table the table's name as H2 knows it (upper case unless it was quoted)
 * @param before the row before the change (column name to value); {@code null} for an insert
 * @param after the row after the change; {@code null} for a delete
 */
public record Change(Kind kind, String table, Map<String, Object> before, Map<String, Object> after) {

  /** What happened to the row. */
  public enum Kind { INSERT, UPDATE, DELETE }
}
