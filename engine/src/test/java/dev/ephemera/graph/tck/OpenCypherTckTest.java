package dev.ephemera.graph.tck;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Runs the openCypher TCK (org.opencypher:tck 1.0.0-M23) against the graph query language of
 * {@link dev.ephemera.graph.TempGraph#query}: every scenario of the folders in scope
 * ({@link #IN_SCOPE}), outlines expanded, each on a new graph (see {@link ScenarioHarness}, 10 s at
 * most each). It prints a table per folder, writes {@code target/tck-report.md} with every failure
 * and skip, and requires a share of the scenarios run to pass ({@link #MIN_PASS_RATE}).
 *
 * <p>How a scenario is judged (see {@link ScenarioRunner}): result tables by their column names, in
 * order, and rows as a multiset or in order ({@link TckValue} says when values are equal); side
 * effects by snapshots of the graph through the Java API ({@link SideEffects}); an expected error by
 * the kind of {@link dev.ephemera.graph.GraphQueryException} ({@link ExpectedError}). The TCK's error
 * detail codes (the text after the colon, e.g. {@code UndefinedVariable}) are not compared: the
 * engine has no such codes, only the four kinds. Scenarios that need a procedure are out of scope,
 * and those the TCK tags {@code @ignore} are not run either: both count as skipped, apart from the
 * pass rate.
 *
 * <p>{@code -Dtck.filter=<text>} runs only the scenarios whose feature path or name contains the
 * text (the pass rate is then not asserted), and {@code -Dtck.verbose=true} prints each failure.
 */
class OpenCypherTckTest {
  /**
   * The least share of the scenarios run (not skipped) that must pass: the measured rate (2,680 of
   * 2,735, 98.0%, when the language landed) rounded down, so that it only rises.
   */
  static final double MIN_PASS_RATE = 0.97;

  /** The folders under {@code features/} that the language covers. */
  static final List<String> IN_SCOPE = List.of(
      "clauses/match", "clauses/match-where", "clauses/create", "clauses/delete", "clauses/merge", "clauses/remove",
      "clauses/set", "clauses/return", "clauses/return-orderby", "clauses/return-skip-limit", "clauses/with",
      "clauses/with-where", "clauses/with-orderBy", "clauses/with-skip-limit", "clauses/unwind", "clauses/union",
      "expressions/aggregation", "expressions/boolean", "expressions/comparison", "expressions/conditional",
      "expressions/graph", "expressions/list", "expressions/literals", "expressions/map", "expressions/mathematical",
      "expressions/null", "expressions/path", "expressions/pattern", "expressions/precedence", "expressions/string",
      "expressions/typeConversion", "expressions/quantifier");

  private static final Duration SCENARIO_TIMEOUT = Duration.ofSeconds(10);

  /** Every scenario of the folders in scope, outlines expanded, in feature path order. */
  static List<Scenario> inScopeScenarios() {
    return TckResources.features().stream()
        .flatMap(f -> f.scenarios().stream())
        .filter(s -> IN_SCOPE.contains(s.folder()))
        .toList();
  }

  @Test
  void inScopeScenariosPass() throws IOException, InterruptedException {
    String filter = System.getProperty("tck.filter", "");
    boolean verbose = Boolean.getBoolean("tck.verbose");
    List<Scenario> scenarios = inScopeScenarios().stream()
        .filter(s -> s.featurePath().contains(filter) || s.name().contains(filter))
        .toList();
    TckReport report = new TckReport(IN_SCOPE);
    long start = System.nanoTime();
    try (ScenarioHarness harness = new ScenarioHarness(SCENARIO_TIMEOUT)) {
      for (Scenario scenario : scenarios) {
        Verdict verdict = harness.run(scenario);
        report.add(scenario, verdict);
        if (verbose && verdict.status() == Verdict.Status.FAILED) {
          System.out.println(TckReport.describe(scenario, verdict));
        }
      }
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    System.out.printf(Locale.ROOT, "openCypher TCK: %d scenarios in %.1f s%n%s", scenarios.size(),
        elapsed.toMillis() / 1000.0, report.table());
    Path file = Path.of(System.getProperty("basedir", "."), "target", "tck-report.md");
    Files.createDirectories(file.getParent());
    Files.writeString(file, report.markdown(elapsed));
    if (filter.isEmpty()) {
      assertTrue(report.passRate() >= MIN_PASS_RATE, String.format(Locale.ROOT,
          "%.1f%% of the TCK's scenarios passed, under the %.1f%% required; see %s", 100 * report.passRate(),
          100 * MIN_PASS_RATE, file));
    }
  }
}
