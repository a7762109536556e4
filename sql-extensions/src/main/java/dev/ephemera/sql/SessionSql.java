package dev.ephemera.sql;

import dev.ephemera.QueryResult;
import dev.ephemera.Session;
import dev.ephemera.internal.spi.SqlBridge;
import dev.ephemera.sql.internal.Dialect;
import dev.ephemera.sql.internal.Errors;
import dev.ephemera.sql.internal.Parser;
import dev.ephemera.sql.internal.Result;
import dev.ephemera.sql.internal.Stmt;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The session SQL dialect on one session: {@code SET SESSION}, {@code SAVEPOINT}, {@code CREATE
 * TEMPORARY GRAPH} and the rest run against the session; every other statement goes to H2
 * untouched, on the session's own connection (see the README's SQL section for the list).
 *
 * <pre>{@code
 * SessionSql.execute(session, "SET SESSION tenant_id = ?", "tenant_123");
 * QueryResult vars = SessionSql.execute(session, "SHOW SESSION VARIABLES").rows();
 * }</pre>
 *
 * <p>Errors are {@link SQLException}s, as from a JDBC driver: a malformed statement of the dialect
 * gets SQLState {@code 42601} and the position; the engine's refusals keep their message.
 * Thread-safe: the session serializes statements.
 */
public final class SessionSql {
  private final Dialect dialect;

  private SessionSql(Session session) {
    this.dialect = new Dialect(session, null);
  }

  /**
   * The dialect on a session. Keep the instance to use live queries: {@code LIVE SELECT} delivers
   * to the listeners added to it, and {@code KILL LIVE} stops the queries it started.
   */
  public static SessionSql of(Session session) {
    return new SessionSql(Objects.requireNonNull(session, "session"));
  }

  /**
   * Cancels the statement the session is running now, if any (from another thread: a shell's
   * Ctrl-C): it fails with SQLState {@code 57014}, its changes undone, and the session keeps
   * working. Nothing happens when no statement runs.
   */
  public void cancel() {
    SqlBridge.cancelRunning(dialect.session());
  }

  /** Runs one statement on a session: {@code SessionSql.of(session).execute(sql, params)}. */
  public static SqlResult execute(Session session, String sql, Object... params) throws SQLException {
    return of(session).execute(sql, params);
  }

  /**
   * The statements of a script, for running it one statement at a time: split at {@code ;} outside
   * single and double quotes; {@code --} comments to the end of the line dropped; blank statements
   * dropped. (Not a full SQL lexer: a {@code ;} inside a {@code /* *}{@code /} comment splits.)
   */
  public static List<String> statements(String script) {
    List<String> out = new ArrayList<>();
    split(Objects.requireNonNull(script, "script"), out);
    return out;
  }

  /**
   * Whether a script's last statement is finished: it ends with a {@code ;} outside quotes and
   * comments, with nothing after it but blanks and comments. What a shell asks before it runs
   * what was typed.
   */
  public static boolean endsStatement(String script) {
    return split(Objects.requireNonNull(script, "script"), new ArrayList<>());
  }

  /** Splits into {@code out}; returns whether the text ended with a {@code ;} (nothing but blanks after it). */
  private static boolean split(String sql, List<String> out) {
    StringBuilder cur = new StringBuilder();
    boolean any = false;
    char quote = 0;
    for (int i = 0; i < sql.length(); i++) {
      char ch = sql.charAt(i);
      if (quote != 0) {
        cur.append(ch);
        if (ch == quote) {
          quote = 0;
        }
      } else if (ch == '\'' || ch == '"') {
        quote = ch;
        cur.append(ch);
      } else if (ch == '-' && i + 1 < sql.length() && sql.charAt(i + 1) == '-') {
        while (i < sql.length() && sql.charAt(i) != '\n') {
          i++;
        }
        cur.append('\n');
      } else if (ch == ';') {
        any |= add(out, cur);
      } else {
        cur.append(ch);
      }
    }
    boolean ended = quote == 0 && cur.toString().isBlank() && any;
    add(out, cur);
    return ended;
  }

  private static boolean add(List<String> out, StringBuilder cur) {
    String s = cur.toString().strip();
    cur.setLength(0);
    if (s.isEmpty()) {
      return false;
    }
    out.add(s);
    return true;
  }

  /** The session this runs on. */
  public Session session() {
    return dialect.session();
  }

  /**
   * Runs one statement, with values for its {@code ?} parameters in order.
   *
   * @throws SQLException if the statement is malformed, refused, or fails in H2
   */
  public SqlResult execute(String sql, Object... params) throws SQLException {
    Stmt stmt = Parser.parse(sql);
    Result r = dialect.run(stmt, params);
    if (r == null) {
      return passThrough(sql, params);
    }
    if (!r.isQuery()) {
      return new SqlResult(null, List.of(), r.updateCount());
    }
    List<List<Object>> rows = new ArrayList<>(r.rows().size());
    for (Object[] row : r.rows()) {
      rows.add(Arrays.asList(row));
    }
    List<Integer> types = new ArrayList<>();
    for (int t : r.types()) {
      types.add(t);
    }
    return new SqlResult(new QueryResult(r.columns(), rows), List.copyOf(types), -1);
  }

  private SqlResult passThrough(String sql, Object[] params) throws SQLException {
    try {
      Connection c = dialect.session().jdbc();
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        for (int i = 0; params != null && i < params.length; i++) {
          ps.setObject(i + 1, params[i]);
        }
        if (!ps.execute()) {
          return new SqlResult(null, List.of(), ps.getLargeUpdateCount());
        }
        try (ResultSet rs = ps.getResultSet()) {
          ResultSetMetaData md = rs.getMetaData();
          int n = md.getColumnCount();
          List<String> columns = new ArrayList<>(n);
          List<Integer> types = new ArrayList<>(n);
          for (int i = 1; i <= n; i++) {
            columns.add(md.getColumnLabel(i));
            types.add(md.getColumnType(i));
          }
          List<List<Object>> rows = new ArrayList<>();
          while (rs.next()) {
            Object[] row = new Object[n];
            for (int i = 0; i < n; i++) {
              row[i] = rs.getObject(i + 1);
            }
            rows.add(Arrays.asList(row));
          }
          return new SqlResult(new QueryResult(columns, rows), List.copyOf(types), -1);
        }
      }
    } catch (RuntimeException e) {
      throw Errors.translate(e);
    }
  }

  /** Adds a listener for the changes of this instance's live queries. */
  public void addLiveListener(LiveSqlListener listener) {
    dialect.addLiveListener(listener);
  }

  /** Removes a listener; returns whether it was added. */
  public boolean removeLiveListener(LiveSqlListener listener) {
    return dialect.removeLiveListener(listener);
  }

  @Override
  public String toString() {
    return "SessionSql[session " + dialect.session().id() + "]";
  }
}
