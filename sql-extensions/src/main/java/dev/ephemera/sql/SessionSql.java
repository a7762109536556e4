package dev.ephemera.sql;

import dev.ephemera.QueryResult;
import dev.ephemera.Session;
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

  /** Runs one statement on a session: {@code SessionSql.of(session).execute(sql, params)}. */
  public static SqlResult execute(Session session, String sql, Object... params) throws SQLException {
    return of(session).execute(sql, params);
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
