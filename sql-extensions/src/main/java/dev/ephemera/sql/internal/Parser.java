package dev.ephemera.sql.internal;

import dev.ephemera.OnCommit;
import dev.ephemera.sql.internal.Lexer.Kind;
import dev.ephemera.sql.internal.Lexer.Token;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.sql.SQLSyntaxErrorException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The dialect's parser: hand-written recursive descent over {@link Lexer}'s tokens. A statement
 * whose first words are not one of the dialect's is {@link Stmt.PassThrough} (H2 gets the text
 * untouched) and costs one or two tokens to tell; a statement of the dialect that is malformed
 * fails with an {@link SQLSyntaxErrorException} (SQLState {@code 42601}) naming the position.
 *
 * <p>Words that are the dialect's only ({@code LET}, {@code PING}, {@code KILL}, {@code LIVE},
 * {@code BEGIN}, {@code SAVEPOINT}, {@code RELEASE}, {@code RESET SESSION}, {@code SET SESSION}
 * except H2's {@code SET SESSION CHARACTERISTICS}) are always parsed here; words H2 shares
 * ({@code SHOW}, {@code CREATE}, {@code DROP}, {@code INSERT}, {@code USE}, {@code COMMIT},
 * {@code ROLLBACK}, {@code START}) are the dialect's only when the words after them say so.
 *
 * <p>Statements of the graph query language ({@link Stmt.GraphQuery}) are told by their first
 * words only, and their text is kept as written (its strings and comments are not SQL's): {@code
 * MATCH}, {@code OPTIONAL MATCH}, {@code UNWIND}, {@code RETURN}; {@code CREATE} and {@code MERGE}
 * followed by a pattern, {@code (} or a named path {@code p = (…)} (so {@code CREATE TABLE} and
 * {@code MERGE INTO} stay H2's); {@code WITH} unless it opens a common table expression, {@code
 * WITH [RECURSIVE] name [(columns)] AS (} or {@code AS [NOT] MATERIALIZED} (which no graph query
 * can be: there a name follows {@code AS}); {@code EXPLAIN} and {@code PROFILE} followed by one of
 * these ({@code EXPLAIN SELECT} stays H2's).
 */
public final class Parser {
  private final Lexer lx;
  private Token tok;

  private Parser(String sql) {
    this.lx = new Lexer(sql);
  }

  /** Parses one statement. */
  public static Stmt parse(String sql) throws SQLException {
    if (sql == null) {
      throw new SQLException("the statement must not be null", "42601");
    }
    return new Parser(sql).statement();
  }

  private Token advance() throws SQLException {
    tok = lx.next();
    return tok;
  }

  private Stmt statement() throws SQLException {
    Token first = advance();
    if (first.kind() != Kind.WORD) {
      return Stmt.PassThrough.INSTANCE;
    }
    switch (first.text().toUpperCase(Locale.ROOT)) {
      case "SET": {
        if (!advance().is("SESSION")) {
          return Stmt.PassThrough.INSTANCE;
        }
        Token t = advance();
        if (t.is("CHARACTERISTICS")) {
          return Stmt.PassThrough.INSTANCE; // H2's SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL …
        }
        return finish(setVars(t));
      }
      case "LET": {
        Token t = advance();
        if (t.kind() != Kind.VARIABLE && t.kind() != Kind.WORD && t.kind() != Kind.QUOTED) {
          throw expected("a variable name ($name)");
        }
        String name = t.text();
        advance();
        expectAssign();
        return finish(new Stmt.SetVars(List.of(new Stmt.Assign(name, expr(false)))));
      }
      case "RESET": {
        if (!advance().is("SESSION")) {
          return Stmt.PassThrough.INSTANCE;
        }
        Token t = advance();
        if (t.is("ALL")) {
          advance();
          return finish(new Stmt.ResetAll());
        }
        String name = name("a variable name or ALL");
        return finish(new Stmt.ResetVar(name));
      }
      case "SHOW":
        return show();
      case "BEGIN": {
        Token t = advance();
        if (t.is("WORK") || t.is("TRANSACTION")) {
          advance();
        }
        return finish(new Stmt.Begin());
      }
      case "START": {
        if (!advance().is("TRANSACTION")) {
          return Stmt.PassThrough.INSTANCE;
        }
        advance();
        return finish(new Stmt.Begin());
      }
      case "COMMIT": {
        Token t = advance();
        if (t.is("TRANSACTION")) {
          return Stmt.PassThrough.INSTANCE; // H2's COMMIT TRANSACTION name (two-phase commit)
        }
        if (t.is("WORK")) {
          advance();
        }
        return finish(new Stmt.Commit());
      }
      case "ROLLBACK": {
        Token t = advance();
        if (t.is("TRANSACTION")) {
          return Stmt.PassThrough.INSTANCE; // H2's ROLLBACK TRANSACTION name (two-phase commit)
        }
        if (t.is("WORK")) {
          t = advance();
        }
        if (t.is("TO")) {
          if (advance().is("SAVEPOINT")) {
            advance();
          }
          return finish(new Stmt.RollbackTo(name("a savepoint name")));
        }
        return finish(new Stmt.Rollback());
      }
      case "SAVEPOINT":
        advance();
        return finish(new Stmt.SavepointStmt(name("a savepoint name")));
      case "RELEASE":
        if (advance().is("SAVEPOINT")) {
          advance();
        }
        return finish(new Stmt.Release(name("a savepoint name")));
      case "CREATE":
        return create(first);
      case "DROP":
        return drop();
      case "INSERT":
        return insert();
      case "PING":
        advance();
        return finish(new Stmt.Ping());
      case "MATCH", "OPTIONAL", "UNWIND", "RETURN", "WITH", "MERGE", "EXPLAIN", "PROFILE": {
        Start start = graphStart(first, true);
        return start == Start.SQL ? Stmt.PassThrough.INSTANCE
            : new Stmt.GraphQuery(graphText(first.pos()), start == Start.NEEDS_GRAPH);
      }
      case "DISCARD": // not H2's: PostgreSQL's DISCARD ALL
        if (!advance().is("ALL")) {
          throw expected("ALL (DISCARD ALL)");
        }
        advance();
        return finish(new Stmt.DiscardAll());
      case "USE": {
        Token t = advance();
        if (t.is("GRAPH")) {
          Token g = advance();
          if (g.kind() == Kind.END || g.isSymbol(';')) {
            return Stmt.PassThrough.INSTANCE; // H2's USE of a schema named GRAPH
          }
          return finish(new Stmt.UseGraph(name("a graph name")));
        }
        if (!t.is("NAMESPACE")) {
          return Stmt.PassThrough.INSTANCE; // H2's USE schema
        }
        advance();
        String ns = name("a namespace name");
        if (!tok.is("DATABASE")) {
          throw expected("DATABASE");
        }
        advance();
        String db = name("a database name");
        return finish(new Stmt.Use(ns, db));
      }
      case "KILL": {
        Token t = advance();
        if (t.is("SESSION")) {
          advance();
          return finish(new Stmt.KillSession(value("a session id")));
        }
        if (t.is("LIVE")) {
          advance();
          return finish(new Stmt.KillLive(value("a live query id")));
        }
        throw expected("SESSION or LIVE");
      }
      case "LIVE": {
        if (!advance().is("SELECT")) {
          throw expected("SELECT");
        }
        if (!advance().isSymbol('*')) {
          throw expected("* (LIVE SELECT delivers whole rows: LIVE SELECT * FROM table)");
        }
        if (!advance().is("FROM")) {
          throw expected("FROM");
        }
        advance();
        return finish(new Stmt.LiveSelect(name("a table name")));
      }
      default:
        return Stmt.PassThrough.INSTANCE;
    }
  }

  private Stmt setVars(Token t) throws SQLException {
    if (t.isSymbol('{')) {
      List<Stmt.Assign> all = new ArrayList<>();
      advance();
      if (tok.isSymbol('}')) {
        throw expected("a variable name (SET SESSION { name: value, … } sets at least one)");
      }
      while (true) {
        String name = name("a variable name");
        if (!tok.isSymbol(':') && !tok.isSymbol('=')) {
          throw expected("':'");
        }
        advance();
        all.add(new Stmt.Assign(name, expr(true)));
        if (tok.isSymbol(',')) {
          advance();
          continue;
        }
        if (tok.isSymbol('}')) {
          advance();
          break;
        }
        throw expected("',' or '}'");
      }
      return new Stmt.SetVars(List.copyOf(all));
    }
    String name = name("a variable name or '{'");
    expectAssign();
    return new Stmt.SetVars(List.of(new Stmt.Assign(name, expr(false))));
  }

  private void expectAssign() throws SQLException {
    if (!tok.isSymbol('=') && !tok.is("TO")) {
      throw expected("'='");
    }
    advance();
  }

  private Stmt show() throws SQLException {
    Token t = advance();
    if (t.is("SESSION")) {
      if (advance().is("VARIABLES")) {
        advance();
        return finish(new Stmt.ShowVars());
      }
      return finish(new Stmt.ShowSession());
    }
    if (t.is("SESSIONS")) {
      advance();
      Stmt.Expr user = null;
      Stmt.Expr idle = null;
      if (tok.is("WHERE")) {
        do {
          Token c = advance();
          if (c.is("USER") && user == null) {
            advance();
            if (!tok.isSymbol('=')) {
              throw expected("'='");
            }
            advance();
            user = value("a user name");
          } else if (c.is("IDLE") && idle == null) {
            advance();
            if (!tok.isSymbol('>')) {
              throw expected("'>'");
            }
            advance();
            idle = interval();
          } else {
            throw expected(user == null && idle == null ? "USER or IDLE" : user == null ? "USER" : "IDLE");
          }
        } while (tok.is("AND"));
      }
      return finish(new Stmt.ShowSessions(user, idle));
    }
    if (t.is("TEMPORARY") || t.is("TEMP")) {
      if (!advance().is("TABLES")) {
        throw expected("TABLES");
      }
      advance();
      return finish(new Stmt.ShowTempTables());
    }
    if (t.is("GRAPHS")) {
      advance();
      return finish(new Stmt.ShowGraphs());
    }
    return Stmt.PassThrough.INSTANCE; // SHOW TABLES, SHOW SCHEMAS, SHOW COLUMNS …: H2's
  }

  private Stmt create(Token first) throws SQLException {
    Token t = advance();
    if (t.isSymbol('(')) {
      return new Stmt.GraphQuery(graphText(first.pos()), true); // CREATE (:Person {name: 'Bob'})
    }
    if (t.kind() != Kind.WORD) {
      return Stmt.PassThrough.INSTANCE;
    }
    Token what = advance();
    if (what.isSymbol('=')) {
      return new Stmt.GraphQuery(graphText(first.pos()), true); // CREATE p = (a)-[:R]->(b)
    }
    if (!t.is("TEMPORARY") && !t.is("TEMP")) {
      return Stmt.PassThrough.INSTANCE;
    }
    if (what.is("GRAPH")) {
      advance();
      boolean ifNotExists = ifNotExists();
      return finish(new Stmt.CreateGraph(name("a graph name"), ifNotExists));
    }
    if (!what.is("TABLE")) {
      throw expected("TABLE or GRAPH");
    }
    advance();
    boolean ifNotExists = ifNotExists();
    String name = name("a table name");
    if (tok.is("AS")) {
      throw error(tok.pos(), "CREATE TEMPORARY TABLE … AS SELECT is not supported; create the table with its"
          + " columns, then INSERT INTO it … SELECT");
    }
    if (!tok.isSymbol('(')) {
      throw expected("'(' and the column definitions");
    }
    int open = tok.pos();
    int depth = 1;
    while (depth > 0) {
      Token c = advance();
      if (c.kind() == Kind.END) {
        throw error(open, "the column definitions' '(' is not closed");
      }
      if (c.isSymbol('(')) {
        depth++;
      } else if (c.isSymbol(')')) {
        depth--;
      } else if (c.isSymbol(';')) {
        throw error(c.pos(), "';' inside the column definitions");
      } else if (c.kind() == Kind.PARAM) {
        throw error(c.pos(), "parameters ('?') are not allowed in column definitions");
      }
    }
    String columns = lx.sql.substring(open + 1, tok.pos());
    if (columns.isBlank()) {
      throw error(open, "a temporary table needs at least one column");
    }
    advance();
    OnCommit onCommit = OnCommit.PRESERVE_ROWS;
    if (tok.is("ON")) {
      if (!advance().is("COMMIT")) {
        throw expected("COMMIT");
      }
      Token how = advance();
      if (how.is("PRESERVE") || how.is("DELETE")) {
        if (!advance().is("ROWS")) {
          throw expected("ROWS");
        }
        onCommit = how.is("PRESERVE") ? OnCommit.PRESERVE_ROWS : OnCommit.DELETE_ROWS;
      } else if (how.is("DROP")) {
        onCommit = OnCommit.DROP;
      } else {
        throw expected("PRESERVE ROWS, DELETE ROWS or DROP");
      }
      advance();
    }
    return finish(new Stmt.CreateTempTable(name, columns, onCommit, ifNotExists));
  }

  private boolean ifNotExists() throws SQLException {
    if (!tok.is("IF")) {
      return false;
    }
    if (!advance().is("NOT") || !advance().is("EXISTS")) {
      throw expected("IF NOT EXISTS");
    }
    advance();
    return true;
  }

  private Stmt drop() throws SQLException {
    Token t = advance();
    boolean table = t.is("TABLE");
    if (!table && !t.is("GRAPH")) {
      return Stmt.PassThrough.INSTANCE;
    }
    advance();
    boolean ifExists = false;
    if (tok.is("IF")) {
      if (!advance().is("EXISTS")) {
        if (table) {
          return Stmt.PassThrough.INSTANCE;
        }
        throw expected("EXISTS");
      }
      advance();
      ifExists = true;
    }
    if (table) {
      // only the plain form can be a temp table of the session; anything else is H2's
      if (tok.kind() != Kind.WORD && tok.kind() != Kind.QUOTED) {
        return Stmt.PassThrough.INSTANCE;
      }
      String name = tok.text();
      Token after = advance();
      if (after.isSymbol(';')) {
        after = advance();
      }
      return after.kind() == Kind.END ? new Stmt.DropTable(name, ifExists) : Stmt.PassThrough.INSTANCE;
    }
    return finish(new Stmt.DropGraph(name("a graph name"), ifExists));
  }

  /** What the first words of a statement make it. */
  private enum Start {
    /** Not a graph query: H2's, or another of the dialect's. */
    SQL,
    /** A graph query that reads or changes a graph ({@code MATCH}, {@code CREATE}, {@code MERGE} first). */
    NEEDS_GRAPH,
    /** A graph query that may run without a graph ({@code RETURN}, {@code UNWIND}, {@code WITH} first). */
    ANY_GRAPH
  }

  /**
   * Whether the statement whose first word is {@code t} is a graph query (see the class comment),
   * reading as many words after it as that takes; {@code explain}: {@code EXPLAIN} and {@code
   * PROFILE} may come first.
   */
  private Start graphStart(Token t, boolean explain) throws SQLException {
    if (t.kind() != Kind.WORD) {
      return Start.SQL;
    }
    switch (t.text().toUpperCase(Locale.ROOT)) {
      case "MATCH":
        return Start.NEEDS_GRAPH;
      case "OPTIONAL":
        return advance().is("MATCH") ? Start.NEEDS_GRAPH : Start.SQL;
      case "CREATE", "MERGE": {
        Token next = advance();
        boolean pattern = next.isSymbol('(') || (next.kind() == Kind.WORD && advance().isSymbol('='));
        return pattern ? Start.NEEDS_GRAPH : Start.SQL; // not CREATE TABLE …, MERGE INTO …
      }
      case "UNWIND", "RETURN":
        return Start.ANY_GRAPH;
      case "WITH":
        return commonTableExpression() ? Start.SQL : Start.ANY_GRAPH;
      case "EXPLAIN", "PROFILE":
        return explain ? graphStart(advance(), false) : Start.SQL;
      default:
        return Start.SQL;
    }
  }

  /**
   * After {@code WITH}: whether SQL's common table expression follows, {@code [RECURSIVE] name
   * [(columns)] AS (} or {@code AS [NOT] MATERIALIZED}. In a graph query a name follows {@code AS}.
   * Text that SQL's tokens cannot even split (a graph string with a {@code \'} in it) is no CTE.
   */
  private boolean commonTableExpression() throws SQLException {
    try {
      Token t = advance();
      if (t.is("RECURSIVE")) {
        t = advance();
      }
      if (t.kind() != Kind.WORD && t.kind() != Kind.QUOTED) {
        return false; // WITH 1 AS x, WITH [1, 2] AS l, WITH $p AS p, WITH {a: 1} AS m
      }
      Token next = advance();
      if (next.isSymbol('(')) { // a column list (or, in a graph query, a function's arguments)
        int depth = 1;
        while (depth > 0) {
          Token c = advance();
          if (c.kind() == Kind.END) {
            return false;
          }
          depth += c.isSymbol('(') ? 1 : c.isSymbol(')') ? -1 : 0;
        }
        next = advance();
      }
      if (!next.is("AS")) {
        return false;
      }
      Token after = advance();
      return after.isSymbol('(') || after.is("MATERIALIZED") || after.is("NOT");
    } catch (SQLSyntaxErrorException e) {
      return false;
    }
  }

  /**
   * A graph query's text from {@code start} (its first keyword) as written, without a final
   * {@code ;}: its own language reads it, with {@code //} comments and {@code \'} in strings that
   * SQL's tokens do not know.
   */
  private String graphText(int start) {
    String q = lx.sql.substring(start).strip();
    return q.endsWith(";") ? q.substring(0, q.length() - 1).stripTrailing() : q;
  }

  /**
   * The rest of the statement's text after the current token, up to an optional final {@code ;}
   * (its parameters counted by the lexer), stripped; {@code what} names what must be there.
   */
  private String rest(String what) throws SQLException {
    int start = lx.position();
    Token t = advance();
    if (t.kind() == Kind.END || t.isSymbol(';')) {
      throw expected(what);
    }
    int end = lx.sql.length();
    while (t.kind() != Kind.END) {
      if (t.isSymbol(';')) {
        end = t.pos();
        if (advance().kind() != Kind.END) {
          throw error(tok.pos(), "one statement at a time: text after ';'");
        }
        break;
      }
      t = advance();
    }
    return lx.sql.substring(start, end).strip();
  }

  /**
   * {@code INSERT INTO GRAPH g EDGES|NODES select}, {@code INSERT INTO g [OPTIONAL] MATCH …} (a graph
   * query whose results are copied into {@code g}), or H2's {@code INSERT}.
   */
  private Stmt insert() throws SQLException {
    if (!advance().is("INTO")) {
      return Stmt.PassThrough.INSTANCE;
    }
    Token target = advance();
    if (target.kind() != Kind.WORD && target.kind() != Kind.QUOTED) {
      return Stmt.PassThrough.INSTANCE;
    }
    Token next = advance();
    if (target.is("GRAPH") && (next.kind() == Kind.WORD || next.kind() == Kind.QUOTED)) {
      Token what = advance();
      if (what.is("EDGES") || what.is("NODES")) {
        return insertGraph(next, what);
      }
      // else a graph named GRAPH: INSERT INTO graph MATCH …
      boolean match = next.is("MATCH") || (next.is("OPTIONAL") && what.is("MATCH"));
      return match ? new Stmt.InsertFromGraph(target.text(), graphText(next.pos())) : Stmt.PassThrough.INSTANCE;
    }
    if (next.is("MATCH") || (next.is("OPTIONAL") && advance().is("MATCH"))) {
      return new Stmt.InsertFromGraph(target.text(), graphText(next.pos()));
    }
    return Stmt.PassThrough.INSTANCE; // INSERT INTO t VALUES …, … SELECT …, INSERT INTO GRAPH (…) …
  }

  /** {@code INSERT INTO GRAPH g EDGES|NODES select}, read up to {@code what}. */
  private Stmt insertGraph(Token g, Token what) throws SQLException {
    int firstParam = lx.params;
    String select = rest("a query (INSERT INTO GRAPH g " + what.text().toUpperCase(Locale.ROOT) + " SELECT …)");
    return new Stmt.InsertGraph(g.text(), what.is("EDGES"), select, firstParam, lx.params - firstParam);
  }

  // ---- pieces -----------------------------------------------------------------------------------

  /** A name (a word or a quoted name) at the current token; moves past it. */
  private String name(String what) throws SQLException {
    if (tok.kind() != Kind.WORD && tok.kind() != Kind.QUOTED) {
      throw expected(what);
    }
    String n = tok.text();
    advance();
    return n;
  }

  /** A string literal or a parameter (a session id, a user name); moves past it. */
  private Stmt.Expr value(String what) throws SQLException {
    Stmt.Expr e;
    if (tok.kind() == Kind.STRING) {
      e = new Stmt.Literal(tok.text());
    } else if (tok.kind() == Kind.PARAM) {
      e = new Stmt.Param(lx.params - 1);
    } else {
      throw expected(what + " as a 'string' or ?");
    }
    advance();
    return e;
  }

  /** {@code 30 MINUTES}, {@code '30m'} / {@code 'PT30M'}, or {@code ?}. */
  private Stmt.Expr interval() throws SQLException {
    if (tok.kind() == Kind.STRING) {
      Duration d = Durations.parse(tok.text());
      if (d == null) {
        throw error(tok.pos(), "'" + abbreviate(tok.text()) + "' is not a duration (try '30m', '2h', 'PT30M')");
      }
      advance();
      return new Stmt.Literal(d);
    }
    if (tok.kind() == Kind.PARAM) {
      advance();
      return new Stmt.Param(lx.params - 1);
    }
    if (tok.kind() == Kind.NUMBER) {
      Token n = tok;
      Token unit = advance();
      Duration d = unit.kind() == Kind.WORD ? Durations.parse(n.text() + " " + unit.text()) : null;
      if (d == null) {
        throw error(unit.pos(), "expected a unit (SECONDS, MINUTES, HOURS or DAYS) after " + n.text());
      }
      advance();
      return new Stmt.Literal(d);
    }
    throw expected("a duration (30 MINUTES, '30m' or ?)");
  }

  /**
   * A value: a literal or {@code ?} (no H2 round trip), else an SQL expression up to the next
   * top-level {@code ,} or {@code }} (in braces) or the end. Parentheses must balance, so the
   * text cannot leave the {@code SELECT (…)} it is evaluated in.
   */
  private Stmt.Expr expr(boolean inBraces) throws SQLException {
    Token first = tok;
    int start = first.pos();
    int firstParam = lx.params - (first.kind() == Kind.PARAM ? 1 : 0);
    if (first.kind() == Kind.END || (first.kind() == Kind.SYMBOL && !first.isSymbol('(') && !first.isSymbol('-')
        && !first.isSymbol('+'))) {
      throw expected("a value");
    }
    Token t = first;
    Token second = null;
    int tokens = 0;
    int depth = 0;
    int endPos;
    while (true) {
      if (t.kind() == Kind.END || (depth == 0 && (t.isSymbol(';') || (inBraces && (t.isSymbol(',') || t.isSymbol('}')))))) {
        endPos = t.pos();
        break;
      }
      if (t.isSymbol('(')) {
        depth++;
      } else if (t.isSymbol(')')) {
        if (--depth < 0) {
          throw error(t.pos(), "')' without a matching '('");
        }
      } else if (t.isSymbol(';')) {
        throw error(t.pos(), "';' inside a value");
      }
      if (tokens == 1) {
        second = t;
      }
      tokens++;
      t = advance();
    }
    if (depth > 0) {
      throw error(endPos, "a '(' is not closed");
    }
    if (tokens == 1) {
      Object lit = literal(first);
      if (lit != NOT_LITERAL) {
        return lit == PARAM ? new Stmt.Param(firstParam) : new Stmt.Literal(lit);
      }
    } else if (tokens == 2 && first.isSymbol('-') && second.kind() == Kind.NUMBER) {
      Object lit = literal(second);
      return new Stmt.Literal(lit instanceof Long l ? (Object) (-l) : lit instanceof BigDecimal b ? b.negate()
          : (Object) (-(Double) lit));
    }
    return new Stmt.SqlExpr(lx.sql.substring(start, endPos).strip(), firstParam, lx.params - firstParam);
  }

  private static final Object NOT_LITERAL = new Object();
  private static final Object PARAM = new Object();

  private static Object literal(Token t) {
    switch (t.kind()) {
      case STRING:
        return t.text();
      case PARAM:
        return PARAM;
      case NUMBER: {
        String s = t.text();
        if (s.indexOf('e') >= 0 || s.indexOf('E') >= 0) {
          return Double.parseDouble(s);
        }
        if (s.indexOf('.') >= 0) {
          return new BigDecimal(s);
        }
        if (s.length() <= 18) {
          return Long.parseLong(s);
        }
        return new BigDecimal(s);
      }
      case WORD:
        if (t.is("TRUE")) {
          return Boolean.TRUE;
        }
        if (t.is("FALSE")) {
          return Boolean.FALSE;
        }
        if (t.is("NULL")) {
          return null;
        }
        return NOT_LITERAL;
      default:
        return NOT_LITERAL;
    }
  }

  /** Ends a statement of ours: an optional {@code ;}, then nothing. */
  private Stmt finish(Stmt s) throws SQLException {
    if (tok.isSymbol(';')) {
      advance();
    }
    if (tok.kind() != Kind.END) {
      throw error(tok.pos(), "unexpected " + tok.describe() + " after the end of the statement");
    }
    return s;
  }

  private SQLException expected(String what) {
    return error(tok.pos(), "expected " + what + ", found " + tok.describe());
  }

  private SQLException error(int pos, String message) {
    return syntax(lx.sql, pos, message);
  }

  static SQLSyntaxErrorException syntax(String sql, int pos, String message) {
    int line = 1;
    int col = 1;
    for (int i = 0; i < pos && i < sql.length(); i++) {
      if (sql.charAt(i) == '\n') {
        line++;
        col = 1;
      } else {
        col++;
      }
    }
    String where = line == 1 ? "position " + (pos + 1) : "line " + line + ", column " + col;
    return new SQLSyntaxErrorException("syntax error at " + where + ": " + message + " in \"" + abbreviate(sql) + "\"",
        "42601");
  }

  static String abbreviate(String s) {
    String one = s.replace('\n', ' ').replace('\r', ' ');
    return one.length() <= 80 ? one : one.substring(0, 77) + "...";
  }
}
