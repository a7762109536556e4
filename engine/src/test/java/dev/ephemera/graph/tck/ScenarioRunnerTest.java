package dev.ephemera.graph.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ephemera.FakeTicker;
import dev.ephemera.QueryResult;
import dev.ephemera.SessionEngine;
import dev.ephemera.graph.GraphQueryException;
import dev.ephemera.graph.GraphQueryException.Kind;
import dev.ephemera.graph.TempGraph;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ScenarioRunner} on inline scenarios against a real graph whose {@code query} is stood in
 * for by canned answers (the language is built elsewhere): results, side effects and errors are
 * judged as the TCK means them.
 */
class ScenarioRunnerTest {
  final SessionEngine engine = SessionEngine.builder().ticker(new FakeTicker()).build();
  final TempGraph real = engine.open().createTempGraph("g");
  /** The canned answers, by query text: a result, or an exception thrown. */
  final Map<String, Function<Map<String, ?>, QueryResult>> answers = new HashMap<>();
  final TempGraph graph = (TempGraph) Proxy.newProxyInstance(TempGraph.class.getClassLoader(),
      new Class<?>[] {TempGraph.class}, (proxy, method, args) -> {
        if (method.getName().equals("query") && args.length == 2) {
          Function<Map<String, ?>, QueryResult> answer = answers.get((String) args[0]);
          if (answer == null) {
            throw new GraphQueryException(Kind.SYNTAX, "no canned answer", 1, 1);
          }
          @SuppressWarnings("unchecked")
          Map<String, ?> params = (Map<String, ?>) args[1];
          return answer.apply(params);
        }
        try {
          return method.invoke(real, args);
        } catch (InvocationTargetException e) {
          throw e.getCause();
        }
      });

  @AfterEach
  void close() {
    engine.close();
  }

  private Verdict run(String steps) {
    String feature = "Feature: F\n  Scenario: S\n" + steps.indent(4);
    Scenario scenario = GherkinReader.read("features/clauses/x/F.feature", feature).scenarios().get(0);
    return new ScenarioRunner(graph, name -> "SCRIPT " + name).run(scenario);
  }

  private static QueryResult result(List<String> columns, List<?>... rows) {
    return new QueryResult(columns, Arrays.stream(rows).map(r -> List.<Object>copyOf(r)).toList());
  }

  private static final String WHEN = """
      When executing query:
        \"""
        Q
        \"""
      """;

  @Test
  void passesOnTheExpectedRowsInAnyOrderAndSideEffects() {
    answers.put("SETUP", p -> result(List.of()));
    answers.put("Q", p -> {
      real.addNode("n1", Set.of("A", "B"), Map.of("k", 1L));
      return new QueryResult(List.of("n", "x"),
          List.of(Arrays.asList(null, 1.0), List.of(real.node("n1").orElseThrow(), p.get("p"))));
    });
    Verdict v = run("""
        Given an empty graph
        And having executed:
          \"""
          SETUP
          \"""
        And parameters are:
          | p | [1, 'a'] |
        """ + WHEN + """
        Then the result should be, in any order:
          | n             | x        |
          | (:B:A {k: 1}) | [1, 'a'] |
          | null          | 1.0      |
        And the side effects should be:
          | +nodes      | 1 |
          | +labels     | 2 |
          | +properties | 1 |
        """);
    assertEquals(Verdict.passed(), v);
  }

  @Test
  void failsOnRowsInAnotherOrderColumnsOrValues() {
    answers.put("Q", p -> result(List.of("x"), List.of(2L), List.of(1L)));
    String inOrder = WHEN + "Then the result should be, in order:\n  | x |\n  | 1 |\n  | 2 |\n";
    Verdict v = run(inOrder);
    assertEquals(Verdict.Status.FAILED, v.status());
    assertEquals("the rows differ (line 7: Then the result should be, in order:)", v.reason());
    assertEquals("| x |\n| 1 |\n| 2 |", v.expected());
    assertEquals("| x |\n| 2 |\n| 1 |\n(2 rows)", v.actual());
    assertEquals("Q", v.query());
    assertEquals(Verdict.passed(), run(inOrder.replace("in order", "in any order")));
    assertTrue(run(WHEN + "Then the result should be, in any order:\n  | y |\n  | 1 |\n  | 2 |\n").reason()
        .startsWith("the columns differ"));
    assertTrue(run(WHEN + "Then the result should be, in any order:\n  | x |\n  | 1.0 |\n  | 2 |\n").reason()
        .startsWith("the rows differ"));
    assertTrue(run(WHEN + "Then the result should be empty\n").reason().startsWith("the result is not empty"));
  }

  @Test
  void listsIgnoringElementOrder() {
    answers.put("Q", p -> result(List.of("l"), List.of(List.of("Foo", "Bar"))));
    assertEquals(Verdict.passed(), run(WHEN + "Then the result should be (ignoring element order for lists):\n"
        + "  | l |\n  | ['Bar', 'Foo'] |\n"));
    assertEquals(Verdict.Status.FAILED, run(WHEN + "Then the result should be, in any order:\n"
        + "  | l |\n  | ['Bar', 'Foo'] |\n").status());
  }

  @Test
  void errorsByKind() {
    answers.put("Q", p -> {
      throw new GraphQueryException(Kind.SEMANTIC, "undefined variable", 1, 8);
    });
    assertEquals(Verdict.passed(), run(WHEN + "Then a SyntaxError should be raised at compile time: UndefinedVariable\n"));
    assertEquals(Verdict.passed(), run(WHEN + "Then a TypeError should be raised at any time: *\n"));
    Verdict wrongKind = run(WHEN + "Then a TypeError should be raised at runtime: InvalidArgumentType\n");
    assertEquals("the error is of kind SEMANTIC, not one of [TYPE] (line 7: Then a TypeError should be raised at runtime: "
        + "InvalidArgumentType)", wrongKind.reason());
    assertEquals("a TypeError at runtime (InvalidArgumentType)", wrongKind.expected());
    assertTrue(wrongKind.actual().startsWith("dev.ephemera.graph.GraphQueryException [SEMANTIC]: undefined variable"));

    answers.put("Q", p -> result(List.of()));
    assertTrue(run(WHEN + "Then a ArgumentError should be raised at runtime: NumberOutOfRange\n").reason()
        .startsWith("the query succeeded"));
  }

  @Test
  void anyExceptionFailsTheScenarioWithItsClassAndMessage() {
    answers.put("Q", p -> {
      throw new IllegalStateException("boom");
    });
    Verdict v = run(WHEN + "Then the result should be empty\n");
    assertEquals("the query failed (line 7: Then the result should be empty)", v.reason());
    assertEquals("java.lang.IllegalStateException: boom", v.actual());
    Verdict setup = run("Given the binary-tree-1 graph\n" + WHEN);
    assertEquals("the setup query failed (line 3: Given the binary-tree-1 graph)", setup.reason());
    assertEquals("SCRIPT binary-tree-1", setup.query());
    assertTrue(run("Given a step nobody wrote\n").reason().startsWith("a step this runner does not know"));
    answers.put("Q", p -> result(List.of("x")));
    assertTrue(run(WHEN + "Then the result should be, in any order:\n  | x |\n  | (:A |\n").reason()
        .startsWith("exception: java.lang.IllegalArgumentException: cannot read the TCK value <(:A>"));
  }

  @Test
  void skipsProceduresAndIgnoredScenarios() {
    Scenario procedure = GherkinReader.read("f", "Feature: F\n  Scenario: S\n    And there exists a procedure test.x() :: ():\n      |\n")
        .scenarios().get(0);
    assertTrue(ScenarioRunner.skipReason(procedure).orElseThrow().startsWith("out of scope"));
    Scenario ignored = GherkinReader.read("f", "Feature: F\n  @ignore\n  Scenario: S\n    Given any graph\n").scenarios().get(0);
    assertEquals("tagged @ignore by the TCK", ScenarioRunner.skipReason(ignored).orElseThrow());
  }
}
