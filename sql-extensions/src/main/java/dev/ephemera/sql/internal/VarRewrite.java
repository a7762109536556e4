package dev.ephemera.sql.internal;

import dev.ephemera.InvalidNameException;
import dev.ephemera.Names;
import dev.ephemera.Session;
import dev.ephemera.internal.spi.SqlBridge;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Makes {@code CURRENT_SESSION_VAR('name')} in a comparison cost what a parameter costs, for the
 * driver's prepared statements.
 *
 * <p>H2 calls a Java function once per row it filters ({@code WHERE tenant_id =
 * CURRENT_SESSION_VAR('tenant_id')} over 100 matching rows: 101 calls, ~45% on top of the same
 * query with {@code tenant_id = ?}). A prepared statement of the driver is rewritten once, when it
 * is prepared: each call with a literal name that stands beside a comparison operator becomes
 * {@code CAST(@__EPHEMERA_VAR_n AS VARCHAR)}, an H2 session variable of the statement's own H2
 * session, and before each execution the driver stores the variable's current text
 * ({@link SqlValues#text}, NULL when unset) there. The value is the one the function would return
 * (nothing can change a session variable while one of the session's statements runs), and H2
 * still uses an index on the compared column.
 *
 * <p>Deliberately narrow: only statements that read or change rows (SELECT, WITH, INSERT, UPDATE,
 * DELETE, MERGE) and no text with a second statement, so that no view, table default or other
 * stored definition ever holds the H2 variable instead of the function; only a literal name
 * (never a column or a parameter), only where a comparison operator stands beside the call (so a
 * select list keeps the function's column label); nothing inside strings, quoted names or
 * comments (the dialect's {@link Lexer} reads the text). If H2 cannot prepare the rewritten text,
 * the driver prepares the text as written, so an error message shows the caller's own SQL.
 */
public final class VarRewrite {
  /** The prefix of the H2 variables (H2 upper-cases an unquoted variable name). */
  static final String PREFIX = "__EPHEMERA_VAR_";

  private static final String FUNCTION = "CURRENT_SESSION_VAR";
  private static final List<String> FIRST_WORDS = List.of("SELECT", "WITH", "INSERT", "UPDATE", "DELETE", "MERGE");

  /** A rewritten statement: its text, and the session variable behind each H2 variable ({@code h2Names[n]}). */
  public record Rewritten(String sql, String[] variables, String[] h2Names) {}

  private VarRewrite() {}

  /** The rewritten form of {@code sql}, or {@code null} when it has nothing to rewrite. */
  public static Rewritten of(String sql) {
    if (sql == null || !containsIgnoreCase(sql, FUNCTION)) {
      return null; // the common case: one scan, no tokens
    }
    try {
      return rewrite(sql);
    } catch (SQLException e) {
      return null; // text the lexer cannot read (an unclosed string): H2 reports it as written
    }
  }

  private static Rewritten rewrite(String sql) throws SQLException {
    Lexer lexer = new Lexer(sql);
    List<Lexer.Token> tokens = new ArrayList<>();
    for (Lexer.Token t = lexer.next(); t.kind() != Lexer.Kind.END; t = lexer.next()) {
      tokens.add(t);
    }
    if (tokens.isEmpty() || tokens.get(0).kind() != Lexer.Kind.WORD
        || !FIRST_WORDS.contains(tokens.get(0).text().toUpperCase(Locale.ROOT))) {
      return null;
    }
    for (int i = 0; i < tokens.size(); i++) {
      if (tokens.get(i).isSymbol(';') && i != tokens.size() - 1) {
        return null; // a second statement
      }
    }
    StringBuilder out = null;
    List<String> variables = new ArrayList<>();
    int copied = 0;
    for (int i = 0; i + 3 < tokens.size(); i++) {
      Lexer.Token word = tokens.get(i);
      if (!word.is(FUNCTION) || !tokens.get(i + 1).isSymbol('(') || tokens.get(i + 2).kind() != Lexer.Kind.STRING
          || !tokens.get(i + 3).isSymbol(')')) {
        continue;
      }
      if (i > 0 && tokens.get(i - 1).isSymbol('.')) {
        continue; // schema-qualified: left as written
      }
      boolean compared = (i > 0 && isComparison(tokens.get(i - 1)))
          || (i + 4 < tokens.size() && isComparison(tokens.get(i + 4)));
      String name = tokens.get(i + 2).text();
      if (!compared || !validName(name)) {
        continue;
      }
      int index = variables.indexOf(name);
      if (index < 0) {
        index = variables.size();
        variables.add(name);
      }
      if (out == null) {
        out = new StringBuilder(sql.length() + 16);
      }
      out.append(sql, copied, word.pos()).append("CAST(@").append(PREFIX).append(index).append(" AS VARCHAR)");
      copied = tokens.get(i + 3).pos() + 1;
      i += 3;
    }
    if (out == null) {
      return null;
    }
    out.append(sql, copied, sql.length());
    String[] h2Names = new String[variables.size()];
    for (int n = 0; n < h2Names.length; n++) {
      h2Names[n] = PREFIX + n;
    }
    return new Rewritten(out.toString(), variables.toArray(new String[0]), h2Names);
  }

  private static boolean isComparison(Lexer.Token t) {
    if (t.kind() != Lexer.Kind.SYMBOL) {
      return false;
    }
    return switch (t.text()) {
      case "=", "<>", "!=", "<", ">", "<=", ">=" -> true;
      default -> false;
    };
  }

  private static boolean validName(String name) {
    try {
      Names.check("variable", name);
      return true;
    } catch (InvalidNameException e) {
      return false; // left to the function, which reports it when it runs
    }
  }

  /**
   * Stores the current text of each variable in the statement's H2 variables; called before each
   * execution. Throws what reading the variables throws (the session has ended, for example).
   */
  public static void push(Session session, Rewritten statement) throws SQLException {
    String[] variables = statement.variables();
    String[] texts = new String[variables.length];
    try {
      for (int i = 0; i < variables.length; i++) {
        texts[i] = SqlValues.text(session.get(variables[i]));
      }
      SqlBridge.setH2Variables(session, statement.h2Names(), texts);
    } catch (RuntimeException e) {
      throw Errors.translate(e);
    }
  }

  private static boolean containsIgnoreCase(String s, String upper) {
    int n = upper.length();
    char first = upper.charAt(0);
    for (int i = 0, last = s.length() - n; i <= last; i++) {
      char c = s.charAt(i);
      if ((c == first || c == first + 32) && s.regionMatches(true, i, upper, 0, n)) {
        return true;
      }
    }
    return false;
  }
}
