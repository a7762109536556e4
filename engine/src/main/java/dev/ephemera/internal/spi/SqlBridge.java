package dev.ephemera.internal.spi;

import dev.ephemera.Session;
import dev.ephemera.SessionEngine;
import dev.ephemera.internal.graph.GraphCheckpoint;
import dev.ephemera.internal.sql.JdbcGuard;
import dev.ephemera.internal.sql.SessionConnection;
import dev.ephemera.internal.sql.SqlOwner;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.ServiceLoader;

/**
 * What the SQL module ({@code dev.ephemera.sql}) needs from the engine's insides: the only package
 * of the engine exported to it (and to nobody else). Applications use the public API.
 */
public final class SqlBridge {
  private SqlBridge() {}

  /** The {@link SqlExtension}s on the class or module path, loaded once (the engine's module declares the use). */
  private static final class Extensions {
    static final List<SqlExtension> ALL =
        ServiceLoader.load(SqlExtension.class, SqlBridge.class.getClassLoader()).stream()
            .map(ServiceLoader.Provider::get)
            .toList();

    private Extensions() {}
  }

  /** The SQL extensions found on the class or module path (the engine installs them into its database). */
  public static List<SqlExtension> extensions() {
    return Extensions.ALL;
  }

  /**
   * The Ephemera session whose H2 connection {@code connection} belongs to: the nested connection
   * H2 passes to a Java function is bound to the calling H2 session, so this finds the session
   * that runs the statement, never another one. {@code null} for a connection no session owns
   * (a plain H2 connection to the same database, or the engine's own).
   */
  public static Session sessionOf(Connection connection) throws SQLException {
    SqlOwner owner = SessionConnection.ownerOf(connection);
    return owner == null ? null : owner.session();
  }
  /** Puts the session's statement time limit back to the engine's. */
  public static void resetStatementTimeout(Session session) {
    ((SqlOwner) session).sql().resetStatementTimeout();
  }

  /** Cancels the statement {@code session} is running now, if any. */
  public static void cancelRunning(Session session) {
    ((SqlOwner) session).sql().cancelRunning();
  }

  /** The sign-in {@code session} has now (identity, selection), to {@link #renew} a session from later. */
  public static Object origin(Session session) {
    return ((SqlOwner) session).sqlOrigin();
  }

  /**
   * Closes {@code session} and returns a new session of the same engine and client that starts
   * from {@code origin}: what a pooled driver connection becomes when it is reset ({@code
   * DISCARD ALL}, {@code endRequest}).
   */
  public static Session renew(Session session, Object origin) {
    return ((SqlOwner) session).renew(origin);
  }

  /**
   * Runs {@code op} (a graph call of a SQL function) so that the graph algorithms it runs call
   * {@code check} every few thousand nodes: the function passes its statement's cancel check, so
   * a traversal stops with its statement ({@code GraphCheckpoint}).
   */
  public static <T> T graphCall(Runnable check, java.util.function.Supplier<T> op) {
    return GraphCheckpoint.during(check, op);
  }

  /**
   * Runs a graph statement of the dialect ({@code MATCH …}, {@code INSERT INTO g MATCH …}) with
   * the session's statement time limit: the query checks it every few thousand rows and stops
   * with a {@link dev.ephemera.QueryTimeoutException} past it (undoing what it changed), or with
   * the session's exception once the session has ended.
   */
  public static <T> T graphStatement(Session session, java.util.function.Supplier<T> op) {
    return GraphCheckpoint.during(dev.ephemera.internal.sql.GraphStatementLimit.check(owner(session).sql()), op);
  }

  /**
   * Runs a graph query that reads no graph ({@code RETURN 1 AS ok}, {@code UNWIND [1, 2] AS x
   * RETURN x}) for a session that has selected none: {@code MATCH} finds nothing there and an
   * update is refused with a {@link dev.ephemera.graph.GraphQueryException}.
   */
  public static dev.ephemera.QueryResult graphQueryWithoutGraph(Session session, String query,
      java.util.Map<String, ?> parameters) {
    return dev.ephemera.internal.graph.query.CypherLanguage.INSTANCE.queryWithoutGraph(session, query, parameters);
  }

  /**
   * Sets H2 session variables ({@code @name}) on the session's own H2 connection, opening it if
   * the session has none yet: {@code texts[i]} as a VARCHAR, or NULL, under {@code names[i]}.
   * The driver uses it to hand a statement the values it would otherwise read through a function
   * once per row.
   */
  public static void setH2Variables(Session session, String[] names, String[] texts) {
    owner(session).sql().setH2Variables(names, texts);
  }

  /** Records in the engine's audit log that {@code session} was refused something (a root-only statement). */
  public static void auditDenied(Session session, String reason) {
    if (session instanceof SqlOwner s) {
      s.auditDenied(reason);
    }
  }

  /** The engine a session belongs to (for the dialect's administrative statements). */
  public static SessionEngine engineOf(Session session) {
    return owner(session).engine();
  }

  /**
   * A JDBC object the driver hands out, as its caller may see it: result sets, metadata and arrays
   * wrapped so that {@code getConnection()} and {@code getStatement()} lead back to the driver's
   * {@code connection} and {@code statement} (which may be {@code null}) and {@code unwrap} knows
   * only the wrapper; other values as they are.
   */
  public static Object handOut(Class<?> declared, Object value, Object connection, Object statement) {
    return JdbcGuard.wrap(declared, value, connection, statement);
  }

  /**
   * The temporary graph the session's graph statements run on ({@code USE GRAPH g}), its name as
   * stored (upper case), or {@code null} when none is selected: never selected, dropped since, or
   * a new session (a pooled connection's reset renews it). Selecting a namespace and database
   * keeps it: graphs belong to the session, not to a database.
   */
  public static String currentGraph(Session session) {
    return owner(session).currentGraph();
  }

  /**
   * Selects the session's temporary graph {@code name} ({@code USE GRAPH name}).
   *
   * @throws dev.ephemera.InvalidNameException if the name is not a valid graph name
   * @throws dev.ephemera.graph.GraphNotFoundException if the session has no such graph (the
   *     selection is then unchanged)
   */
  public static void useGraph(Session session, String name) {
    owner(session).useGraph(name);
  }

  private static SqlOwner owner(Session session) {
    if (session instanceof SqlOwner s) {
      return s;
    }
    throw new IllegalArgumentException("not a session of an Ephemera engine: " + session.getClass().getName());
  }
}
