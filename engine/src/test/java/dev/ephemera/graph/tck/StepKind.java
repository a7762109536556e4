package dev.ephemera.graph.tck;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The step forms the TCK uses (the text after the keyword), each recognized by a pattern. */
enum StepKind {
  /** {@code Given an empty graph}, {@code Given any graph}: the fresh graph every scenario starts with. */
  EMPTY_GRAPH("an empty graph|any graph"),
  /** {@code Given the binary-tree-1 graph}: the TCK's script {@code graphs/<name>/<name>.cypher}. */
  NAMED_GRAPH("the (\\S+) graph"),
  /** {@code And having executed:} a docstring query that must succeed. */
  SETUP_QUERY("having executed:"),
  /** {@code And parameters are:} a table of names and values. */
  PARAMETERS("parameters are:"),
  /** {@code And there exists a procedure …}: procedures are out of scope. */
  PROCEDURE("there exists a procedure .*"),
  /** {@code When executing query:} or {@code When executing control query:} a docstring query. */
  QUERY("executing (?:control )?query:"),
  RESULT_IN_ANY_ORDER("the result should be, in any order:"),
  RESULT_IN_ORDER("the result should be, in order:"),
  RESULT_IN_ANY_ORDER_LISTS_UNORDERED("the result should be \\(ignoring element order for lists\\):"),
  RESULT_IN_ORDER_LISTS_UNORDERED("the result should be, in order \\(ignoring element order for lists\\):"),
  EMPTY_RESULT("the result should be empty"),
  NO_SIDE_EFFECTS("no side effects"),
  SIDE_EFFECTS("the side effects should be:"),
  /** {@code Then a TypeError should be raised at runtime: InvalidArgumentType}. */
  ERROR("an? (\\w+) should be raised at (compile time|runtime|any time): (.*)");

  private final Pattern pattern;

  StepKind(String regex) {
    this.pattern = Pattern.compile(regex);
  }

  /** The kind of a step's text, or empty if it is no form this runner knows. */
  static Optional<StepKind> of(String text) {
    for (StepKind kind : values()) {
      if (kind.pattern.matcher(text).matches()) {
        return Optional.of(kind);
      }
    }
    return Optional.empty();
  }

  /** A matched matcher of this kind's pattern on {@code text}, for its groups. */
  Matcher match(String text) {
    Matcher m = pattern.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a step of kind " + this + ": " + text);
    }
    return m;
  }
}
