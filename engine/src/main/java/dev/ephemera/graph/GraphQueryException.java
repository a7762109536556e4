package dev.ephemera.graph;

import dev.ephemera.EphemeraException;

/**
 * A graph query ({@link TempGraph#query}) that could not run: its {@link #kind()}, where in the
 * query (1-based line and column, 0 when the error belongs to no one place) and a message that
 * ends with the query's line and a caret under the place. A query that throws it changed nothing.
 */
public final class GraphQueryException extends EphemeraException {
  private static final long serialVersionUID = 1L;

  /** What went wrong. */
  public enum Kind {
    /** The text is not a query of the language (a misspelled keyword, an unclosed bracket). */
    SYNTAX,
    /** A well-formed query that means nothing: an undefined variable, an aggregate where none may be. */
    SEMANTIC,
    /** A value of the wrong type for an operator or function, found while running. */
    TYPE,
    /** Any other failure while running: division by zero, deleting a node that still has edges, a limit. */
    RUNTIME
  }

  private final Kind kind;
  private final int line;
  private final int column;

  public GraphQueryException(Kind kind, String message, int line, int column) {
    super(message);
    this.kind = kind;
    this.line = line;
    this.column = column;
  }

  public Kind kind() {
    return kind;
  }

  /** The 1-based line of the error in the query, or 0. */
  public int line() {
    return line;
  }

  /** The 1-based column of the error in its line, or 0. */
  public int column() {
    return column;
  }
}
