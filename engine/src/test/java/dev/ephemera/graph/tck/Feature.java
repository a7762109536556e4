package dev.ephemera.graph.tck;

import java.util.List;

/**
 * A feature file, read: its name and its scenarios with outlines expanded.
 *
 * @param path the file's path in the TCK jar, e.g. {@code features/clauses/match/Match1.feature}
 */
record Feature(String path, String name, List<Scenario> scenarios) {
  Feature {
    scenarios = List.copyOf(scenarios);
  }
}
