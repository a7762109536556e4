package dev.ephemera.internal.graph;

import dev.ephemera.internal.util.Buf;
import dev.ephemera.internal.util.ValueCodec;
import java.util.HashMap;
import java.util.HashSet;

/**
 * A graph's {@link PropertyColumn}s, by property name, and what decides when one is built: once
 * reads of the property by reading queries since the last change have cost about as many map
 * look-ups as building it (one per node), if it fits the session's off-heap limit, at most
 * {@value #MAX} at a time. Dropped whole by every change of the graph.
 */
final class PropertyColumns {
  static final int MAX = 8;
  private final HashMap<String, PropertyColumn> columns = new HashMap<>();
  private final HashMap<String, Long> reads = new HashMap<>();
  /** Properties that hold a type no column holds, since the last change. */
  private final HashSet<String> none = new HashSet<>();

  PropertyColumn get(GraphImpl g, String name, byte[] utf8) {
    PropertyColumn c = columns.get(name);
    if (c != null || none.contains(name)) {
      return c;
    }
    long n = reads.merge(name, 1L, Long::sum);
    if (n <= g.nodes || columns.size() >= MAX || !g.fits(PropertyColumn.bytes(g.nextNode))) {
      return null;
    }
    PropertyColumn col = new PropertyColumn(g.nextNode);
    Buf key = new Buf(16);
    Buf rec = new Buf();
    try {
      for (int id = 0; id < g.nextNode; id++) {
        if (g.store.get(AdjacencyLists.keyOf(key, GraphImpl.N, id), rec)
            && !col.set(id, ValueCodec.findInMap(toProperties(rec), utf8))) {
          col.close();
          none.add(name);
          return null;
        }
      }
    } catch (RuntimeException | Error e) {
      col.close();
      throw e;
    }
    columns.put(name, col);
    return col;
  }

  int size() {
    return columns.size();
  }

  long bytes() {
    long b = 0;
    for (PropertyColumn c : columns.values()) {
      b += c.bytes();
    }
    return b;
  }

  /** Frees every column (the graph changed, or is closing). */
  void drop() {
    for (PropertyColumn c : columns.values()) {
      c.close();
    }
    columns.clear();
    reads.clear();
    none.clear();
  }

  /** Positions a node record read at 0 at its property map: past its key and labels. */
  static Buf toProperties(Buf rec) {
    rec.pos = 0;
    int n = rec.getVar();
    rec.pos += n;
    int labels = rec.getVar();
    for (int i = 0; i < labels; i++) {
      rec.getVar();
    }
    return rec;
  }
}
