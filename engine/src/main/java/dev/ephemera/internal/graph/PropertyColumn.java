package dev.ephemera.internal.graph;

import net.openhft.chronicle.core.UnsafeMemory;

/**
 * A read-only copy of one numeric or boolean node property, a tag byte and eight value bytes per
 * node id, in raw memory off the Java heap: a property filter of a reading graph query reads it
 * instead of each node's record from the map. Like {@link CsrSnapshot} it is a cache: built once
 * reads of the property since the last change have cost as many map look-ups as building it,
 * dropped by the next change, counted in the graph's off-heap bytes. A property that holds any
 * other type (a string, a list) on some node gets no column.
 */
final class PropertyColumn implements AutoCloseable {
  private static final UnsafeMemory M = UnsafeMemory.MEMORY;
  static final byte ABSENT = 0;
  static final byte LONG = 1;
  static final byte DOUBLE = 2;
  static final byte TRUE = 3;
  static final byte FALSE = 4;

  final int nodes;
  private final long tags;
  private final long values;
  private boolean closed;

  PropertyColumn(int nodes) {
    this.nodes = nodes;
    this.tags = M.allocate(Math.max(8, bytes(nodes)));
    this.values = tags + nodes;
    M.setMemory(tags, nodes, ABSENT);
  }

  static long bytes(int nodes) {
    return 9L * nodes;
  }

  long bytes() {
    return bytes(nodes);
  }

  /** Sets node {@code id}'s value; false if it is of a type a column does not hold. */
  boolean set(int id, Object v) {
    if (v == null) {
      return true;
    }
    if (v instanceof Long l) {
      M.writeByte(tags + id, LONG);
      M.writeLong(values + 8L * id, l);
    } else if (v instanceof Double d) {
      M.writeByte(tags + id, DOUBLE);
      M.writeLong(values + 8L * id, Double.doubleToRawLongBits(d));
    } else if (v instanceof Boolean b) {
      M.writeByte(tags + id, b ? TRUE : FALSE);
    } else {
      return false;
    }
    return true;
  }

  /** Node {@code id}'s value, or {@code null}. */
  Object get(int id) {
    switch (M.readByte(tags + id)) {
      case LONG:
        return M.readLong(values + 8L * id);
      case DOUBLE:
        return Double.longBitsToDouble(M.readLong(values + 8L * id));
      case TRUE:
        return Boolean.TRUE;
      case FALSE:
        return Boolean.FALSE;
      default:
        return null;
    }
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      M.freeMemory(tags, Math.max(8, bytes(nodes)));
    }
  }
}
