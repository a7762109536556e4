package dev.ephemera.graph.tck;

import dev.ephemera.graph.GraphQueryException.Kind;
import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * The error a scenario expects, e.g. {@code Then a TypeError should be raised at runtime:
 * InvalidArgumentType}, and the {@link Kind}s of {@link dev.ephemera.graph.GraphQueryException}
 * that satisfy it: a {@code SyntaxError} is {@code SYNTAX} or {@code SEMANTIC} (the TCK files
 * semantic errors such as an unbound variable as syntax errors); a {@code SemanticError} is
 * {@code SEMANTIC}; a {@code TypeError} is {@code TYPE}, or {@code SEMANTIC} when it may be found
 * at compile time; any other ({@code ArgumentError}, {@code EntityNotFound},
 * {@code ConstraintVerificationFailed}, …) is {@code TYPE} or {@code RUNTIME}. The detail code
 * after the colon is kept for the report but not compared: the engine has no such codes.
 *
 * @param type the TCK's error type, e.g. {@code TypeError}
 * @param phase {@code compile time}, {@code runtime} or {@code any time}
 * @param detail the TCK's detail code, e.g. {@code InvalidArgumentType}
 */
record ExpectedError(String type, String phase, String detail) {
  /** Reads an {@link StepKind#ERROR} step's text. */
  static ExpectedError of(String stepText) {
    Matcher m = StepKind.ERROR.match(stepText);
    return new ExpectedError(m.group(1), m.group(2), m.group(3));
  }

  /** Whether nothing after the error matters: it is expected before the query runs. */
  boolean atCompileTime() {
    return phase.equals("compile time");
  }

  /** The kinds that satisfy this expectation. */
  Set<Kind> acceptedKinds() {
    return switch (type) {
      case "SyntaxError" -> EnumSet.of(Kind.SYNTAX, Kind.SEMANTIC);
      case "SemanticError" -> EnumSet.of(Kind.SEMANTIC);
      case "TypeError" -> phase.equals("runtime") ? EnumSet.of(Kind.TYPE) : EnumSet.of(Kind.TYPE, Kind.SEMANTIC);
      default -> EnumSet.of(Kind.TYPE, Kind.RUNTIME);
    };
  }

  @Override
  public String toString() {
    return "a " + type + " at " + phase + " (" + detail + ")";
  }
}
