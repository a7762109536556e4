package dev.ephemera.graph.tck;

import dev.ephemera.QueryResult;
import dev.ephemera.graph.GraphQueryException;
import dev.ephemera.graph.TempGraph;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Runs one scenario's steps, in order, on a fresh graph and decides the scenario's {@link Verdict}.
 * A {@code When} step runs its query with the parameters given so far and keeps its result or its
 * exception, with snapshots of the graph before and after; the {@code Then} and {@code And} steps
 * after it check that outcome. Any exception, from the engine or from reading the scenario, fails
 * the scenario with the exception's class and message. One runner runs one scenario.
 */
final class ScenarioRunner {
  private final TempGraph graph;
  private final Function<String, String> graphScripts;
  private final Map<String, Object> parameters = new LinkedHashMap<>();
  /** The query running or last run, for the report (read by the thread that times the scenario out). */
  private volatile String query = "";
  private QueryResult result;
  private Throwable failure;
  private GraphSnapshot before;
  private GraphSnapshot after;
  private boolean errorMatched;

  /**
   * @param graph the scenario's graph, new and empty
   * @param graphScripts the script that builds a named graph, by name
   */
  ScenarioRunner(TempGraph graph, Function<String, String> graphScripts) {
    this.graph = graph;
    this.graphScripts = graphScripts;
  }

  /** A call of a temporal function: the language has no temporal types (README, "Graph queries"). */
  private static final java.util.regex.Pattern TEMPORAL = java.util.regex.Pattern.compile(
      "(?i)\\b(date|datetime|localdatetime|time|localtime|duration)\\s*\\(");

  /**
   * Why the scenario is not to be run, or empty: it needs a procedure or a temporal value (both
   * out of scope), or the TCK tags it {@code @ignore}.
   */
  static Optional<String> skipReason(Scenario scenario) {
    if (scenario.tags().contains("@ignore")) {
      return Optional.of("tagged @ignore by the TCK");
    }
    for (Step step : scenario.steps()) {
      if (StepKind.of(step.text()).orElse(null) == StepKind.PROCEDURE) {
        return Optional.of("out of scope: needs a procedure (" + step.text() + ")");
      }
      if (step.docString() != null && TEMPORAL.matcher(step.docString()).find()) {
        return Optional.of("out of scope: temporal values (" + step.docString().strip().lines().findFirst().orElse("") + ")");
      }
    }
    return Optional.empty();
  }

  /** The query running now, or the last one run. */
  String currentQuery() {
    return query;
  }

  /** Runs the scenario's steps until one fails or an expected compile-time error ends it. */
  Verdict run(Scenario scenario) {
    try {
      for (Step step : scenario.steps()) {
        if (!perform(step)) {
          break;
        }
      }
      return Verdict.passed();
    } catch (StepFailure f) {
      return Verdict.failed(f.getMessage() + " (line " + f.step.line() + ": " + f.step + ")", query, f.expected, f.actual);
    } catch (Throwable t) { // the runner's own failure (a value it cannot read, say) fails the scenario too
      return Verdict.failed("exception: " + describe(t), query, "", "");
    }
  }

  /** Performs one step; returns whether the scenario goes on. */
  private boolean perform(Step step) {
    StepKind kind = StepKind.of(step.text()).orElseThrow(() -> new StepFailure(step, "a step this runner does not know", "", ""));
    switch (kind) {
      case EMPTY_GRAPH -> {
        // every scenario gets a new, empty graph
      }
      case NAMED_GRAPH -> setUp(step, graphScripts.apply(kind.match(step.text()).group(1)));
      case SETUP_QUERY -> setUp(step, docString(step));
      case PARAMETERS -> readParameters(step);
      case PROCEDURE -> throw new StepFailure(step, "procedures are out of scope (see skipReason)", "", "");
      case QUERY -> execute(docString(step));
      case RESULT_IN_ANY_ORDER -> checkRows(step, false, false);
      case RESULT_IN_ORDER -> checkRows(step, true, false);
      case RESULT_IN_ANY_ORDER_LISTS_UNORDERED -> checkRows(step, false, true);
      case RESULT_IN_ORDER_LISTS_UNORDERED -> checkRows(step, true, true);
      case EMPTY_RESULT -> checkEmpty(step);
      case NO_SIDE_EFFECTS -> checkSideEffects(step, SideEffects.NONE);
      case SIDE_EFFECTS -> checkSideEffects(step, SideEffects.fromTable(step.table()));
      case ERROR -> {
        ExpectedError expected = ExpectedError.of(step.text());
        checkError(step, expected);
        return !expected.atCompileTime();
      }
    }
    return true;
  }

  private static String docString(Step step) {
    if (step.docString() == null) {
      throw new StepFailure(step, "the step has no query (docstring)", "", "");
    }
    return step.docString();
  }

  /** Runs a query that prepares the graph, without parameters: it must succeed. */
  private void setUp(Step step, String text) {
    query = text;
    try {
      graph.query(text, Map.of());
    } catch (Throwable t) {
      throw new StepFailure(step, "the setup query failed", "success", describe(t));
    }
  }

  private void readParameters(Step step) {
    for (List<String> row : step.table()) {
      if (row.size() != 2) {
        throw new StepFailure(step, "a parameter row of " + row.size() + " cells", "| name | value |", row.toString());
      }
      parameters.put(row.get(0), TckValueParser.parseParameter(row.get(1)));
    }
  }

  /** Runs the scenario's query, keeping its result or exception and the graph before and after. */
  private void execute(String text) {
    query = text;
    errorMatched = false;
    before = GraphSnapshot.of(graph);
    try {
      result = graph.query(text, parameters);
      failure = null;
    } catch (Throwable t) { // whatever the engine throws is the outcome the next steps check
      result = null;
      failure = t;
    }
    after = GraphSnapshot.of(graph);
  }

  /** The last query's result; fails the step if there is none. */
  private QueryResult requireResult(Step step, String expected) {
    if (before == null) {
      throw new StepFailure(step, "no query was executed before this step", expected, "");
    }
    if (failure != null) {
      throw new StepFailure(step, "the query failed", expected, describe(failure));
    }
    return result;
  }

  private void checkRows(Step step, boolean ordered, boolean listsUnordered) {
    String expectedText = render(step.table());
    QueryResult actual = requireResult(step, expectedText);
    if (step.table().isEmpty()) {
      throw new StepFailure(step, "the step has no table of expected rows", "", "");
    }
    List<List<TckValue>> expectedRows = new ArrayList<>();
    for (List<String> row : step.table().subList(1, step.table().size())) {
      expectedRows.add(row.stream().map(TckValueParser::parse).toList());
    }
    List<List<TckValue>> actualRows = actual.rows().stream().map(ResultValues::row).toList();
    String actualText = render(actual);
    if (!step.table().get(0).equals(actual.columns())) {
      throw new StepFailure(step, "the columns differ", expectedText, actualText);
    }
    if (listsUnordered) {
      expectedRows = withUnorderedLists(expectedRows);
      actualRows = withUnorderedLists(actualRows);
    }
    boolean same = ordered ? expectedRows.equals(actualRows) : counts(expectedRows).equals(counts(actualRows));
    if (!same) {
      throw new StepFailure(step, "the rows differ", expectedText, actualText);
    }
  }

  private void checkEmpty(Step step) {
    QueryResult actual = requireResult(step, "no rows");
    if (actual.size() != 0) {
      throw new StepFailure(step, "the result is not empty", "no rows", render(actual));
    }
  }

  private void checkSideEffects(Step step, SideEffects expected) {
    if (errorMatched) {
      return; // the query failed as expected: a failed query changes nothing, and the TCK does not ask
    }
    if (before == null) {
      throw new StepFailure(step, "no query was executed before this step", expected.toString(), "");
    }
    SideEffects actual = SideEffects.between(before, after);
    if (!actual.equals(expected)) {
      throw new StepFailure(step, "the side effects differ", expected.toString(), actual.toString());
    }
  }

  private void checkError(Step step, ExpectedError expected) {
    if (before == null) {
      throw new StepFailure(step, "no query was executed before this step", expected.toString(), "");
    }
    if (failure == null) {
      throw new StepFailure(step, "the query succeeded", expected.toString(), render(result));
    }
    if (!(failure instanceof GraphQueryException e)) {
      throw new StepFailure(step, "the query failed with an exception other than GraphQueryException", expected.toString(),
          describe(failure));
    }
    if (!expected.acceptedKinds().contains(e.kind())) {
      throw new StepFailure(step, "the error is of kind " + e.kind() + ", not one of " + expected.acceptedKinds(),
          expected.toString(), describe(failure));
    }
    errorMatched = true;
  }

  private static List<List<TckValue>> withUnorderedLists(List<List<TckValue>> rows) {
    return rows.stream().map(r -> r.stream().map(TckValue::withUnorderedLists).toList()).toList();
  }

  private static Map<List<TckValue>, Integer> counts(List<List<TckValue>> rows) {
    Map<List<TckValue>, Integer> counts = new HashMap<>();
    for (List<TckValue> row : rows) {
      counts.merge(row, 1, Integer::sum);
    }
    return counts;
  }

  private static String render(List<List<String>> table) {
    return table.stream().map(r -> "| " + String.join(" | ", r) + " |").collect(Collectors.joining("\n"));
  }

  private static String render(QueryResult result) {
    List<List<String>> table = new ArrayList<>();
    table.add(result.columns());
    for (List<Object> row : result.rows()) {
      table.add(row.stream().map(v -> ResultValues.of(v).toString()).toList());
    }
    return render(table) + "\n(" + result.size() + " rows)";
  }

  private static String describe(Throwable t) {
    String kind = t instanceof GraphQueryException e ? " [" + e.kind() + "]" : "";
    return t.getClass().getName() + kind + ": " + t.getMessage();
  }

  /** A step whose check failed: what it expected and what it found. */
  private static final class StepFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient Step step;
    final String expected;
    final String actual;

    StepFailure(Step step, String message, String expected, String actual) {
      super(message, null, false, false);
      this.step = step;
      this.expected = expected;
      this.actual = actual;
    }
  }
}
