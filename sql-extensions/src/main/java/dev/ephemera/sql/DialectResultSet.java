package dev.ephemera.sql;

import dev.ephemera.graph.Edge;
import dev.ephemera.graph.GraphPath;
import dev.ephemera.graph.Node;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.Types;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.h2.tools.SimpleResultSet;

/**
 * The rows of a statement of the dialect, held in memory: H2's {@link SimpleResultSet}, with the
 * values of graph queries read as they should be. {@code getObject} gives the value as it is (a
 * {@link Node}, a {@code List} …, also through {@code getObject(i, Node.class)});
 * {@code getString} of a node, edge, path, list or map gives its openCypher text ({@link
 * GraphText}), of bytes their hexadecimal; the numeric and boolean getters read numbers, booleans
 * and text, and refuse anything else with SQLState {@code 22018} instead of a runtime exception;
 * the metadata's class of a {@code JAVA_OBJECT} or {@code OTHER} column is {@code java.lang.Object}.
 */
final class DialectResultSet extends SimpleResultSet {
  @FunctionalInterface
  private interface Getter<T> {
    T get() throws SQLException;
  }

  @Override
  public String getString(int column) throws SQLException {
    Object v = getObject(column);
    if (GraphText.isComposite(v)) {
      return GraphText.of(v);
    }
    if (v instanceof byte[] bytes) {
      return HexFormat.of().formatHex(bytes);
    }
    return super.getString(column);
  }

  @Override
  public <T> T getObject(int column, Class<T> type) throws SQLException {
    Object v = getObject(column);
    return type.isInstance(v) ? type.cast(v) : super.getObject(column, type);
  }

  /** {@code java.lang.Object} for a column of nodes, lists … ({@code JAVA_OBJECT}) or of no one type ({@code OTHER}). */
  @Override
  public String getColumnClassName(int column) throws SQLException {
    int type = getColumnType(column);
    return type == Types.JAVA_OBJECT || type == Types.OTHER ? Object.class.getName() : super.getColumnClassName(column);
  }

  @Override
  public boolean getBoolean(int column) throws SQLException {
    return scalar(column, "a boolean", () -> super.getBoolean(column));
  }

  @Override
  public byte getByte(int column) throws SQLException {
    return scalar(column, "a number", () -> super.getByte(column));
  }

  @Override
  public short getShort(int column) throws SQLException {
    return scalar(column, "a number", () -> super.getShort(column));
  }

  @Override
  public int getInt(int column) throws SQLException {
    return scalar(column, "a number", () -> super.getInt(column));
  }

  @Override
  public long getLong(int column) throws SQLException {
    return scalar(column, "a number", () -> super.getLong(column));
  }

  @Override
  public float getFloat(int column) throws SQLException {
    return scalar(column, "a number", () -> super.getFloat(column));
  }

  @Override
  public double getDouble(int column) throws SQLException {
    return scalar(column, "a number", () -> super.getDouble(column));
  }

  /** {@code getter}'s value of a number, boolean or text (H2's conversions), else SQLState 22018. */
  private <T> T scalar(int column, String what, Getter<T> getter) throws SQLException {
    Object v = getObject(column);
    if (v != null && !(v instanceof Number) && !(v instanceof Boolean) && !(v instanceof String)) {
      throw new SQLDataException("column " + getColumnLabel(column) + " holds " + describe(v) + ", not " + what
          + " (getObject or getString read it)", "22018");
    }
    try {
      return getter.get();
    } catch (IllegalArgumentException e) { // H2's parsing of text: NumberFormatException and the like
      throw new SQLDataException("column " + getColumnLabel(column) + " holds " + GraphText.of(v) + ", not " + what,
          "22018", e);
    }
  }

  private static String describe(Object v) {
    if (v instanceof Node) {
      return "a node";
    } else if (v instanceof Edge) {
      return "an edge";
    } else if (v instanceof GraphPath) {
      return "a path";
    } else if (v instanceof List) {
      return "a list";
    } else if (v instanceof Map) {
      return "a map";
    } else if (v instanceof byte[]) {
      return "bytes";
    }
    return "a value of type " + v.getClass().getSimpleName();
  }
}
