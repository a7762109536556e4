package dev.ephemera.internal.sql;

import dev.ephemera.Names;
import dev.ephemera.QueryResult;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Checks and shapes of what passes between users and H2 as text and rows: table names, column
 * definitions, statements cut short for messages, a result set read into a {@link QueryResult}.
 */
public final class SqlText {
  private SqlText() {}

  /** Validates a table name and returns it as H2 stores an unquoted one (upper case). */
  public static String tableName(String name) {
    return Names.check("table", name).toUpperCase(Locale.ROOT);
  }

  /**
   * Refuses column definitions that would leave the parentheses they go in: an unbalanced
   * {@code )}, a {@code ;}, or an unterminated quote or comment (text inside quotes and comments
   * is skipped).
   */
  static void checkColumns(String columns) {
    Objects.requireNonNull(columns, "columns");
    if (columns.isBlank()) {
      throw new IllegalArgumentException("column definitions must not be empty");
    }
    int depth = 0;
    int n = columns.length();
    for (int i = 0; i < n; i++) {
      char ch = columns.charAt(i);
      if (ch == '\'' || ch == '"' || ch == '`') {
        int end = columns.indexOf(ch, i + 1);
        while (end >= 0 && end + 1 < n && columns.charAt(end + 1) == ch) { // doubled quote
          end = columns.indexOf(ch, end + 2);
        }
        if (end < 0) {
          throw badColumns(columns, "an unterminated quote");
        }
        i = end;
      } else if (ch == '-' && i + 1 < n && columns.charAt(i + 1) == '-') {
        throw badColumns(columns, "a comment");
      } else if (ch == '/' && i + 1 < n && columns.charAt(i + 1) == '*') {
        throw badColumns(columns, "a comment");
      } else if (ch == '(') {
        depth++;
      } else if (ch == ')') {
        if (--depth < 0) {
          throw badColumns(columns, "a ')' that closes the column list");
        }
      } else if (ch == ';') {
        throw badColumns(columns, "a ';'");
      }
    }
    if (depth != 0) {
      throw badColumns(columns, "an unclosed '('");
    }
  }

  private static IllegalArgumentException badColumns(String columns, String what) {
    return new IllegalArgumentException("column definitions '" + abbreviate(columns) + "' contain " + what
        + "; give only what goes between the parentheses of CREATE TABLE");
  }

  /** The text, stripped, cut to 80 characters for a message. */
  static String abbreviate(String sql) {
    String s = sql.strip();
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }

  /** A result set read whole into the engine's {@link QueryResult} (and closed). */
  static QueryResult read(ResultSet rs) throws SQLException {
    try (rs) {
      ResultSetMetaData md = rs.getMetaData();
      int n = md.getColumnCount();
      List<String> columns = new ArrayList<>(n);
      for (int i = 1; i <= n; i++) {
        columns.add(md.getColumnLabel(i));
      }
      List<List<Object>> rows = new ArrayList<>();
      while (rs.next()) {
        List<Object> row = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
          row.add(rs.getObject(i));
        }
        rows.add(row);
      }
      return new QueryResult(columns, rows);
    }
  }

  /** Refuses a batch row that is null or does not hold one value per parameter (before anything runs). */
  static void checkRows(String session, String sql, List<Object[]> rows, int params) {
    for (int i = 0, n = rows.size(); i < n; i++) {
      Object[] row = rows.get(i);
      if (row == null) {
        throw new NullPointerException("session " + session + ": row " + i + " of the batch is null");
      }
      if (row.length != params) {
        throw new IllegalArgumentException("session " + session + ": row " + i + " of the batch has " + row.length
            + " values; '" + SqlText.abbreviate(sql) + "' has " + params + " parameters (nothing was run)");
      }
    }
  }

  /** Portable type names H2 does not know, and H2's for them (the seed's {@code STRING}, BigQuery's, MySQL's). */
  private static final java.util.Map<String, String> PORTABLE_TYPES = java.util.Map.of(
      "STRING", "VARCHAR", "INT64", "BIGINT", "FLOAT64", "DOUBLE PRECISION", "DATETIME", "TIMESTAMP");

  /** Words that start a table constraint, not a column, in a column list. */
  private static final java.util.Set<String> CONSTRAINT_WORDS = java.util.Set.of(
      "CONSTRAINT", "PRIMARY", "UNIQUE", "FOREIGN", "CHECK");

  /**
   * Column definitions (already {@link #checkColumns checked}) as H2 takes them: a column named
   * with one of H2's keywords ({@code key}, {@code value}, …) is quoted in upper case, as an
   * unquoted name would be stored; a portable type name H2 lacks ({@link #PORTABLE_TYPES}) becomes
   * H2's. So the Geode seed's {@code (key STRING, value STRING)} runs as written.
   */
  static String portableColumns(String columns) {
    StringBuilder out = new StringBuilder(columns.length() + 16);
    int depth = 0;
    int start = 0;
    int n = columns.length();
    for (int i = 0; i <= n; i++) {
      char ch = i < n ? columns.charAt(i) : ',';
      if (ch == '\'' || ch == '"' || ch == '`') {
        int end = columns.indexOf(ch, i + 1);
        while (end >= 0 && end + 1 < n && columns.charAt(end + 1) == ch) {
          end = columns.indexOf(ch, end + 2);
        }
        i = end < 0 ? n - 1 : end;
      } else if (ch == '(') {
        depth++;
      } else if (ch == ')') {
        depth--;
      } else if (ch == ',' && depth == 0) {
        if (start > 0) {
          out.append(',');
        }
        out.append(portableColumn(columns.substring(start, i)));
        start = i + 1;
      }
    }
    return out.toString();
  }

  private static final java.util.regex.Pattern COLUMN_HEAD = java.util.regex.Pattern.compile(
      "^(\\s*)([A-Za-z_][A-Za-z0-9_]*)(\\s+)([A-Za-z_][A-Za-z0-9_]*)\\b");

  private static String portableColumn(String definition) {
    java.util.regex.Matcher m = COLUMN_HEAD.matcher(definition);
    if (!m.find()) {
      return definition;
    }
    String name = m.group(2);
    String upper = name.toUpperCase(Locale.ROOT);
    if (CONSTRAINT_WORDS.contains(upper)) {
      return definition;
    }
    String type = PORTABLE_TYPES.getOrDefault(m.group(4).toUpperCase(Locale.ROOT), m.group(4));
    String column = org.h2.util.ParserUtil.isKeyword(name, true) ? '"' + upper + '"' : name;
    return m.group(1) + column + m.group(3) + type + definition.substring(m.end());
  }
}
