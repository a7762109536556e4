package dev.ephemera.graph.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The runner against the TCK's own text, without running a query: every feature file reads, and
 * every step of the scenarios in scope is a form the runner knows, with the argument it needs and
 * values it can read (expected rows, parameters, side effects, errors).
 */
class TckCorpusTest {
  @Test
  void everyFeatureReads() {
    List<Feature> features = TckResources.features();
    assertTrue(features.size() > 200, features.size() + " feature files");
    assertTrue(TckResources.graphScript("binary-tree-1").startsWith("CREATE"));
  }

  @Test
  void everyInScopeStepIsUnderstood() {
    List<String> problems = new ArrayList<>();
    for (Scenario scenario : OpenCypherTckTest.inScopeScenarios()) {
      for (Step step : scenario.steps()) {
        try {
          check(step);
        } catch (RuntimeException e) {
          problems.add(scenario + " line " + step.line() + " '" + step + "': " + e.getMessage());
        }
      }
    }
    assertEquals(List.of(), problems);
  }

  private static void check(Step step) {
    Optional<StepKind> kind = StepKind.of(step.text());
    if (kind.isEmpty()) {
      throw new IllegalArgumentException("unknown step");
    }
    switch (kind.get()) {
      case NAMED_GRAPH -> TckResources.graphScript(kind.get().match(step.text()).group(1));
      case SETUP_QUERY, QUERY -> require(step.docString() != null, "no docstring");
      case PARAMETERS -> step.table().forEach(row -> {
        require(row.size() == 2, "a row of " + row.size() + " cells");
        TckValueParser.parseParameter(row.get(1));
      });
      case RESULT_IN_ANY_ORDER, RESULT_IN_ORDER, RESULT_IN_ANY_ORDER_LISTS_UNORDERED, RESULT_IN_ORDER_LISTS_UNORDERED -> {
        require(!step.table().isEmpty(), "no table");
        int width = step.table().get(0).size();
        for (List<String> row : step.table().subList(1, step.table().size())) {
          require(row.size() == width, "a row of " + row.size() + " cells under " + width + " columns");
          row.forEach(TckValueParser::parse);
        }
      }
      case SIDE_EFFECTS -> SideEffects.fromTable(step.table());
      case ERROR -> ExpectedError.of(step.text());
      case EMPTY_GRAPH, PROCEDURE, EMPTY_RESULT, NO_SIDE_EFFECTS -> require(step.docString() == null && step.table().isEmpty(),
          "an argument the step does not take");
    }
  }

  private static void require(boolean condition, String problem) {
    if (!condition) {
      throw new IllegalArgumentException(problem);
    }
  }
}
