package dev.ephemera.graph.tck;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The TCK's side effects of a query: how many nodes, relationships, labels and properties it added
 * ({@code +nodes}, …) and removed ({@code -nodes}, …). Nodes count by key and relationships by id;
 * labels count as the distinct label names present in the graph before and after; properties as
 * (element, name, value) triples, so a changed value is one removed and one added. Kinds not listed
 * are zero.
 *
 * @param counts the non-zero counts by kind, e.g. {@code +nodes}
 */
record SideEffects(Map<String, Integer> counts) {
  /** The kinds, in the order the TCK lists them. */
  static final List<String> KINDS =
      List.of("+nodes", "-nodes", "+relationships", "-relationships", "+labels", "-labels", "+properties", "-properties");
  static final SideEffects NONE = new SideEffects(Map.of());

  SideEffects {
    if (!KINDS.containsAll(counts.keySet())) {
      throw new IllegalArgumentException("unknown side effects " + counts.keySet() + "; the kinds are " + KINDS);
    }
    Map<String, Integer> nonZero = new LinkedHashMap<>();
    for (String kind : KINDS) {
      int n = counts.getOrDefault(kind, 0);
      if (n != 0) {
        nonZero.put(kind, n);
      }
    }
    counts = Map.copyOf(nonZero);
  }

  /** What changed from {@code before} to {@code after}. */
  static SideEffects between(GraphSnapshot before, GraphSnapshot after) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    counts.put("+nodes", added(before.nodes(), after.nodes()));
    counts.put("-nodes", added(after.nodes(), before.nodes()));
    counts.put("+relationships", added(before.relationships(), after.relationships()));
    counts.put("-relationships", added(after.relationships(), before.relationships()));
    counts.put("+labels", added(before.labels(), after.labels()));
    counts.put("-labels", added(after.labels(), before.labels()));
    counts.put("+properties", added(before.properties(), after.properties()));
    counts.put("-properties", added(after.properties(), before.properties()));
    return new SideEffects(counts);
  }

  /**
   * The side effects a step's table lists: rows of a kind and a count.
   *
   * @throws IllegalArgumentException if a row is not a known kind and an integer
   */
  static SideEffects fromTable(List<List<String>> rows) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (List<String> row : rows) {
      if (row.size() != 2 || counts.put(row.get(0), Integer.parseInt(row.get(1))) != null) {
        throw new IllegalArgumentException("not a side effects row, or a kind twice: " + row);
      }
    }
    return new SideEffects(counts);
  }

  private static <T> int added(Set<T> before, Set<T> after) {
    Set<T> added = new HashSet<>(after);
    added.removeAll(before);
    return added.size();
  }

  @Override
  public String toString() {
    if (counts.isEmpty()) {
      return "no side effects";
    }
    return KINDS.stream().filter(counts::containsKey).map(k -> k + " " + counts.get(k)).collect(Collectors.joining(", "));
  }
}
