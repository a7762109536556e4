package dev.ephemera.graph.tck;

import java.util.List;

/**
 * One step of a scenario: its keyword ({@code Given}, {@code When}, {@code Then}, {@code And},
 * {@code But} or {@code *}), its text after the keyword, and its argument: a docstring, a data
 * table (rows of trimmed, unescaped cells), or neither.
 *
 * @param docString the docstring's text, or {@code null} if the step has none
 * @param table the data table's rows, empty if the step has none
 * @param line the step's 1-based line in its feature file
 */
record Step(String keyword, String text, String docString, List<List<String>> table, int line) {
  Step {
    table = table.stream().map(List::copyOf).toList();
  }

  @Override
  public String toString() {
    return keyword + " " + text;
  }
}
