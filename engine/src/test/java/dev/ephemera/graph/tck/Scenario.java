package dev.ephemera.graph.tck;

import java.util.List;
import java.util.Set;

/**
 * A runnable scenario: a plain scenario, or one example row of a scenario outline with its
 * placeholders filled in. The feature's background steps come first in {@link #steps()}.
 *
 * @param featurePath the feature file's path in the TCK jar, e.g. {@code features/clauses/match/Match1.feature}
 * @param name the scenario's name; for an outline's example, followed by the example's row
 * @param tags the scenario's tags (with the examples' tags for an outline), e.g. {@code @ignore}
 * @param line the 1-based line of the scenario (of the example row for an outline)
 */
record Scenario(String featurePath, String name, Set<String> tags, List<Step> steps, int line) {
  Scenario {
    tags = Set.copyOf(tags);
    steps = List.copyOf(steps);
  }

  /** The folder of the feature file below {@code features/}, e.g. {@code clauses/match}. */
  String folder() {
    String below = featurePath.substring(featurePath.indexOf('/') + 1);
    return below.substring(0, below.lastIndexOf('/'));
  }

  @Override
  public String toString() {
    return featurePath + ":" + line + " " + name;
  }
}
