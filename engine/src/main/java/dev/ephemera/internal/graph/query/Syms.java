package dev.ephemera.internal.graph.query;

import java.util.List;

/**
 * Label or edge-type names of a pattern, resolved to the graph's symbols once per run ({@code -1}
 * for a name the graph has never seen, which nothing can match).
 */
final class Syms {
  final String[] names;
  final int index;

  Syms(List<String> names, int index) {
    this.names = names.toArray(new String[0]);
    this.index = index;
  }

  boolean isEmpty() {
    return names.length == 0;
  }

  int[] resolve(Ctx c) {
    int[] r = c.syms[index];
    if (r == null) {
      r = new int[names.length];
      for (int i = 0; i < r.length; i++) {
        r[i] = c.g == null ? -1 : c.g.symbolIfKnown(names[i]);
      }
      c.syms[index] = r;
    }
    return r;
  }

  /** Whether some name is unknown to the graph (so an all-of match finds nothing). */
  static boolean anyUnknown(int[] symbols) {
    for (int s : symbols) {
      if (s < 0) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return String.join("|", names);
  }
}
