package dev.ephemera.sql.internal;

import java.sql.SQLException;

/**
 * Splits statement text into tokens on demand, so that telling a statement that passes through
 * to H2 from one of the dialect's costs only its first word or two. Knows SQL's quoting: string
 * literals ({@code '…'}, doubled quotes inside), quoted identifiers ({@code "…"}), H2's
 * dollar-quoted strings ({@code $$…$$}) and comments, so a keyword inside them is never taken
 * for one.
 */
final class Lexer {
  enum Kind { WORD, QUOTED, STRING, NUMBER, PARAM, VARIABLE, SYMBOL, END }

  /** A token: its kind, its text (for QUOTED and STRING the unquoted content) and where it starts. */
  record Token(Kind kind, String text, int pos) {
    boolean is(String keyword) {
      return kind == Kind.WORD && text.equalsIgnoreCase(keyword);
    }

    boolean isSymbol(char c) {
      return kind == Kind.SYMBOL && text.length() == 1 && text.charAt(0) == c;
    }

    String describe() {
      return switch (kind) {
        case END -> "the end of the statement";
        case STRING -> "'" + Parser.abbreviate(text) + "'";
        case QUOTED -> "\"" + Parser.abbreviate(text) + "\"";
        default -> "'" + Parser.abbreviate(text) + "'";
      };
    }
  }

  final String sql;
  private final int end;
  private int at;
  /** How many {@code ?} parameters were read so far. */
  int params;

  Lexer(String sql) {
    this.sql = sql;
    this.end = sql.length();
  }

  /** Where the next token would start (after skipping blanks and comments). */
  int position() throws SQLException {
    skipBlanks();
    return at;
  }

  Token next() throws SQLException {
    skipBlanks();
    int start = at;
    if (at >= end) {
      return new Token(Kind.END, "", end);
    }
    char c = sql.charAt(at);
    if (isWordStart(c)) {
      at++;
      while (at < end && isWordPart(sql.charAt(at))) {
        at++;
      }
      return new Token(Kind.WORD, sql.substring(start, at), start);
    }
    if (c >= '0' && c <= '9' || (c == '.' && at + 1 < end && isDigit(sql.charAt(at + 1)))) {
      return number(start);
    }
    switch (c) {
      case '\'':
        return new Token(Kind.STRING, quoted('\''), start);
      case '"':
        return new Token(Kind.QUOTED, quoted('"'), start);
      case '?':
        at++;
        params++;
        return new Token(Kind.PARAM, "?", start);
      case '$':
        if (at + 1 < end && sql.charAt(at + 1) == '$') {
          int close = sql.indexOf("$$", at + 2);
          if (close < 0) {
            throw Parser.syntax(sql, start, "a $$ string is not closed");
          }
          at = close + 2;
          return new Token(Kind.STRING, sql.substring(start + 2, close), start);
        }
        at++;
        if (at < end && isWordStart(sql.charAt(at))) {
          int s = at;
          while (at < end && isWordPart(sql.charAt(at))) {
            at++;
          }
          return new Token(Kind.VARIABLE, sql.substring(s, at), start);
        }
        return new Token(Kind.SYMBOL, "$", start);
      default:
        at++;
        if (at < end && (c == '<' || c == '>' || c == '!') && sql.charAt(at) == '=') {
          at++;
        } else if (c == '<' && at < end && sql.charAt(at) == '>') {
          at++;
        }
        return new Token(Kind.SYMBOL, sql.substring(start, at), start);
    }
  }

  private Token number(int start) {
    while (at < end && isDigit(sql.charAt(at))) {
      at++;
    }
    if (at < end && sql.charAt(at) == '.') {
      at++;
      while (at < end && isDigit(sql.charAt(at))) {
        at++;
      }
    }
    if (at < end && (sql.charAt(at) == 'e' || sql.charAt(at) == 'E')) {
      int mark = at;
      at++;
      if (at < end && (sql.charAt(at) == '+' || sql.charAt(at) == '-')) {
        at++;
      }
      if (at < end && isDigit(sql.charAt(at))) {
        while (at < end && isDigit(sql.charAt(at))) {
          at++;
        }
      } else {
        at = mark; // not an exponent: "1e" is 1 followed by a word
      }
    }
    return new Token(Kind.NUMBER, sql.substring(start, at), start);
  }

  /** The content of a quoted token starting at {@code at}, with doubled quotes undoubled. */
  private String quoted(char q) throws SQLException {
    int start = at;
    StringBuilder b = null;
    int from = at + 1;
    int i = from;
    while (true) {
      int close = sql.indexOf(q, i);
      if (close < 0) {
        throw Parser.syntax(sql, start, (q == '\'' ? "a string" : "a quoted name") + " is not closed");
      }
      if (close + 1 < end && sql.charAt(close + 1) == q) {
        if (b == null) {
          b = new StringBuilder();
        }
        b.append(sql, from, close + 1);
        from = close + 2;
        i = from;
        continue;
      }
      at = close + 1;
      if (b == null) {
        return sql.substring(start + 1, close);
      }
      return b.append(sql, from, close).toString();
    }
  }

  private void skipBlanks() throws SQLException {
    while (at < end) {
      char c = sql.charAt(at);
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
        at++;
      } else if (c == '-' && at + 1 < end && sql.charAt(at + 1) == '-') {
        int nl = sql.indexOf('\n', at);
        at = nl < 0 ? end : nl + 1;
      } else if (c == '/' && at + 1 < end && sql.charAt(at + 1) == '*') {
        int close = sql.indexOf("*/", at + 2);
        if (close < 0) {
          throw Parser.syntax(sql, at, "a comment is not closed");
        }
        at = close + 2;
      } else {
        return;
      }
    }
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isWordStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (c > 127 && Character.isLetter(c));
  }

  private static boolean isWordPart(char c) {
    return isWordStart(c) || isDigit(c) || (c > 127 && Character.isLetterOrDigit(c));
  }
}
