package dev.ephemera.internal.graph.query;

import dev.ephemera.graph.GraphQueryException;
import dev.ephemera.graph.GraphQueryException.Kind;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;

/**
 * An error found while compiling or running a query, before it gets its place in the query's
 * text: {@link #toException} turns it into the public {@link GraphQueryException}.
 */
final class QueryError extends RuntimeException {
  private static final long serialVersionUID = 1L;
  final Kind kind;
  final int line;
  final int column;

  QueryError(Kind kind, String message, int line, int column) {
    super(message, null, false, false);
    this.kind = kind;
    this.line = line;
    this.column = column;
  }

  static QueryError semantic(ParserRuleContext at, String message) {
    return at(Kind.SEMANTIC, at == null ? null : at.getStart(), message);
  }

  static QueryError syntax(ParserRuleContext at, String message) {
    return at(Kind.SYNTAX, at == null ? null : at.getStart(), message);
  }

  static QueryError at(Kind kind, Token t, String message) {
    return t == null ? new QueryError(kind, message, 0, 0)
        : new QueryError(kind, message, t.getLine(), t.getCharPositionInLine() + 1);
  }

  /** A type error while running (no place: the value, not the text, is wrong). */
  static QueryError type(String message) {
    return new QueryError(Kind.TYPE, message, 0, 0);
  }

  static QueryError runtime(String message) {
    return new QueryError(Kind.RUNTIME, message, 0, 0);
  }

  /** The public exception, its message ending with the query's line and a caret under the place. */
  GraphQueryException toException(String query) {
    return new GraphQueryException(kind, message(kind, getMessage(), query, line, column), line, column);
  }

  static String message(Kind kind, String message, String query, int line, int column) {
    StringBuilder b = new StringBuilder();
    b.append(kind.name().charAt(0)).append(kind.name().substring(1).toLowerCase(java.util.Locale.ROOT))
        .append(" error: ").append(message);
    if (line > 0) {
      String[] lines = query.split("\r\n|\r|\n", -1);
      if (line <= lines.length) {
        String text = lines[line - 1];
        int col = Math.max(1, Math.min(column, text.length() + 1));
        int from = Math.max(0, col - 60);
        int to = Math.min(text.length(), from + 120);
        b.append(" (line ").append(line).append(", column ").append(column).append(")\n  ")
            .append(text, from, to).append("\n  ").append(" ".repeat(col - 1 - from)).append('^');
      }
    }
    return b.toString();
  }
}
