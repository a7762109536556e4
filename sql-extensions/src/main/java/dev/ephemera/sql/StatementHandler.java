package dev.ephemera.sql;

import dev.ephemera.internal.spi.SqlBridge;
import dev.ephemera.sql.internal.Parser;
import dev.ephemera.sql.internal.Result;
import dev.ephemera.sql.internal.Stmt;
import dev.ephemera.sql.internal.VarRewrite;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.sql.Types;
import java.util.Arrays;
import org.h2.tools.SimpleResultSet;

/**
 * Statements of a driver connection. A plain {@link Statement} parses each text it runs: the
 * dialect's statements run on the session, the rest on H2's statement underneath. A
 * {@link PreparedStatement} is parsed once: H2's (with the dialect's functions available) when
 * the text is not the dialect's, else one that keeps its parameters and runs the dialect.
 */
final class StatementHandler implements InvocationHandler {
  @FunctionalInterface
  interface Prepare {
    /** H2's prepared statement for {@code sql}. */
    PreparedStatement get(String sql) throws SQLException;
  }

  private static final Object[] NONE = new Object[0];

  private final ConnectionHandler conn;
  /** H2's statement (for a dialect prepared statement: created only if its DROP TABLE turns out to be H2's). */
  private Statement inner;
  /** For a prepared statement of the dialect: the statement, its text and its parameters. */
  private final Stmt prepared;
  private final String preparedSql;
  private Object[] params = NONE;
  private final Prepare prepare;
  /** For a pass-through prepared statement whose {@code CURRENT_SESSION_VAR} calls became H2 variables: them. */
  private VarRewrite.Rewritten vars;
  /** The last result, when the dialect produced it. */
  private ResultSet current;
  private long currentCount = -1;
  private boolean ours;
  private boolean closed;
  /** A plain statement (remade on the new session after a reset; any other must be prepared again). */
  private boolean plain;
  /** The connection's reset count when {@link #inner} was made. */
  private int generation;

  private StatementHandler(ConnectionHandler conn, Statement inner, Stmt prepared, String sql, Prepare prepare) {
    this.conn = conn;
    this.inner = inner;
    this.prepared = prepared;
    this.preparedSql = sql;
    this.prepare = prepare;
    this.generation = conn.generation;
  }

  static Statement statement(ConnectionHandler conn, Statement inner) {
    StatementHandler h = new StatementHandler(conn, inner, null, null, null);
    h.plain = true;
    return (Statement) proxy(Statement.class, h);
  }

  /**
   * After a reset of the connection: a plain statement, or a prepared statement of the dialect,
   * moves to the new session; one H2 prepared is refused.
   */
  private void followReset() throws SQLException {
    conn.checkOpen();
    if (prepared != null && inner == null) { // a statement of the dialect: parsed text and parameters only
      generation = conn.generation;
      return;
    }
    if (!plain) {
      throw new SQLException("the connection was reset (DISCARD ALL, or returned to its pool) after this statement"
          + " was prepared; prepare it again", "HY000");
    }
    Statement fresh = conn.inner.createStatement();
    try {
      inner.close();
    } catch (SQLException ignored) {
      // its session has ended
    }
    inner = fresh;
    generation = conn.generation;
  }

  static CallableStatement callable(ConnectionHandler conn, CallableStatement inner) {
    return (CallableStatement) proxy(CallableStatement.class, new StatementHandler(conn, inner, null, null, null));
  }

  static PreparedStatement prepared(ConnectionHandler conn, String sql, Prepare prepare) throws SQLException {
    Stmt stmt = Parser.parse(sql);
    if (stmt == Stmt.PassThrough.INSTANCE) {
      VarRewrite.Rewritten rw = VarRewrite.of(sql);
      PreparedStatement ps = null;
      if (rw != null) {
        try {
          ps = prepare.get(rw.sql());
        } catch (SQLException e) {
          rw = null; // prepared as written below, so that H2's error shows the caller's text
        }
      }
      StatementHandler h = new StatementHandler(conn, ps != null ? ps : prepare.get(sql), null, null, null);
      h.vars = rw;
      return (PreparedStatement) proxy(PreparedStatement.class, h);
    }
    return (PreparedStatement) proxy(PreparedStatement.class, new StatementHandler(conn, null, stmt, sql, prepare));
  }

  private static Object proxy(Class<?> type, StatementHandler h) {
    return Proxy.newProxyInstance(StatementHandler.class.getClassLoader(), new Class<?>[] {type}, h);
  }

  @Override
  public synchronized Object invoke(Object p, Method m, Object[] args) throws Throwable {
    String name = m.getName();
    switch (name) {
      case "equals":
        return p == args[0];
      case "hashCode":
        return System.identityHashCode(p);
      case "toString":
        return "EphemeraStatement[" + (prepared != null ? preparedSql : inner) + "]";
      case "getConnection":
        return conn.proxy;
      case "unwrap":
        if (((Class<?>) args[0]).isInstance(p)) {
          return p;
        }
        throw new SQLException("does not unwrap to " + ((Class<?>) args[0]).getName(), "0A000");
      case "isWrapperFor":
        return ((Class<?>) args[0]).isInstance(p);
      case "isClosed":
        return closed || (inner != null && inner.isClosed());
      case "close":
        closeCurrent();
        closed = true;
        if (inner != null) {
          inner.close();
        }
        return null;
      default:
        break;
    }
    if (closed) {
      throw new SQLException("the statement is closed", "HY010");
    }
    if (generation != conn.generation) {
      followReset();
    }
    if (prepared != null) {
      return invokePrepared(p, m, name, args);
    }
    if (vars != null && name.startsWith("execute")) {
      conn.checkOpen();
      VarRewrite.push(conn.session, vars);
      return pass(p, inner, m, args);
    }
    boolean execute = name.startsWith("execute") && !name.endsWith("Batch");
    if (execute && args != null && args.length >= 1 && args[0] instanceof String sql) {
      conn.checkOpen();
      closeCurrent();
      Result r = conn.dialect.run(Parser.parse(sql), NONE);
      if (r == null) {
        ours = false;
        return pass(p, inner, m, args);
      }
      return answer(name, r);
    }
    if (name.equals("addBatch") && args != null && args.length == 1 && args[0] instanceof String sql
        && Parser.parse(sql) != Stmt.PassThrough.INSTANCE) {
      throw new SQLFeatureNotSupportedException("the session dialect's statements cannot be batched: " + sql, "0A000");
    }
    Object result = results(name);
    return result != NOT_RESULTS ? result : pass(p, inner, m, args);
  }

  private static final Object NOT_RESULTS = new Object();

  /** getResultSet, getUpdateCount and getMoreResults of a result the dialect produced. */
  private Object results(String name) throws SQLException {
    if (!ours) {
      return NOT_RESULTS;
    }
    switch (name) {
      case "getResultSet":
        return current;
      case "getUpdateCount":
        return (int) currentCount;
      case "getLargeUpdateCount":
        return currentCount;
      case "getMoreResults":
        closeCurrent();
        ours = true;
        return false;
      default:
        return NOT_RESULTS;
    }
  }

  private Object invokePrepared(Object p, Method m, String name, Object[] args) throws Throwable {
    if (name.startsWith("execute") && (args == null || args.length == 0)) {
      conn.checkOpen();
      closeCurrent();
      Result r = conn.dialect.run(prepared, params);
      if (r == null) { // DROP TABLE of a table that is not the session's temp table: H2's
        if (inner == null) {
          inner = prepare.get(preparedSql);
        }
        PreparedStatement ps = (PreparedStatement) inner;
        ps.clearParameters();
        for (int i = 0; i < params.length; i++) {
          ps.setObject(i + 1, params[i]);
        }
        ours = false;
        return pass(p, ps, m, args);
      }
      return answer(name, r);
    }
    if (name.startsWith("execute") || name.equals("addBatch")) {
      throw new SQLException("a prepared statement runs its own text: " + name + "(" + (args == null ? "" : "sql")
          + ") is not allowed on it", "HY000");
    }
    if (name.startsWith("set") && args != null && args.length >= 2 && args[0] instanceof Integer index
        && m.getDeclaringClass() == PreparedStatement.class) {
      if (index < 1) {
        throw new SQLException("parameter indexes start at 1: " + index, "07009");
      }
      if (params.length < index) {
        params = Arrays.copyOf(params, index);
      }
      params[index - 1] = name.equals("setNull") ? null : args[1];
      return null;
    }
    Object result = results(name);
    if (result != NOT_RESULTS) {
      return result;
    }
    switch (name) {
      case "clearParameters":
        params = NONE;
        return null;
      case "getMetaData":
        return null; // known only after running it
      case "getWarnings":
        return null;
      case "clearWarnings", "setQueryTimeout", "setFetchSize", "setMaxRows", "setEscapeProcessing", "setPoolable",
          "setFetchDirection", "setCursorName", "closeOnCompletion", "setLargeMaxRows":
        return null;
      case "getQueryTimeout", "getFetchSize", "getMaxRows":
        return 0;
      case "getLargeMaxRows":
        return 0L;
      case "getUpdateCount":
        return -1;
      case "getLargeUpdateCount":
        return -1L;
      case "getResultSet":
        return null;
      case "getMoreResults":
        return false;
      case "isPoolable", "isCloseOnCompletion":
        return false;
      case "getFetchDirection":
        return ResultSet.FETCH_FORWARD;
      case "getResultSetType":
        return ResultSet.TYPE_FORWARD_ONLY;
      case "getResultSetConcurrency":
        return ResultSet.CONCUR_READ_ONLY;
      case "unwrap":
        if (((Class<?>) args[0]).isInstance(p)) {
          return p;
        }
        throw new SQLException("does not unwrap to " + args[0], "0A000");
      case "isWrapperFor":
        return ((Class<?>) args[0]).isInstance(p);
      default:
        throw new SQLFeatureNotSupportedException(name + " is not supported on a prepared statement of the session"
            + " dialect", "0A000");
    }
  }

  /** The value an execute method returns for a result the dialect produced (and keeps it for getResultSet). */
  private Object answer(String method, Result r) throws SQLException {
    ours = true;
    if (r.isQuery()) {
      current = toResultSet(r);
      currentCount = -1;
    } else {
      currentCount = r.updateCount();
    }
    switch (method) {
      case "execute":
        return r.isQuery();
      case "executeQuery":
        if (!r.isQuery()) {
          if (!r.alsoRows()) {
            throw new SQLException("the statement does not return rows; use execute or executeUpdate", "07000");
          }
          current = toResultSet(r); // a graph query without RETURN: no columns, no rows
          currentCount = -1;
        }
        return current;
      case "executeUpdate":
        requireUpdate(r);
        return (int) Math.min(Integer.MAX_VALUE, r.updateCount());
      case "executeLargeUpdate":
        requireUpdate(r);
        return r.updateCount();
      default:
        throw new SQLFeatureNotSupportedException(method + " is not supported for the session dialect", "0A000");
    }
  }

  private void requireUpdate(Result r) throws SQLException {
    if (r.isQuery()) {
      closeCurrent();
      throw new SQLException("the statement returns rows; use executeQuery or execute", "07000");
    }
  }

  private void closeCurrent() throws SQLException {
    if (current != null) {
      current.close();
      current = null;
    }
    currentCount = -1;
    ours = false;
  }

  static ResultSet toResultSet(Result r) {
    SimpleResultSet rs = new DialectResultSet();
    for (int i = 0; i < r.columns().size(); i++) {
      int type = r.types()[i];
      rs.addColumn(r.columns().get(i), type, type == Types.VARCHAR ? Integer.MAX_VALUE : 0, 0);
    }
    for (Object[] row : r.rows()) {
      rs.addRow(row);
    }
    return rs;
  }

  /** Calls the session statement's method; a result set or metadata it returns leads back to this statement. */
  private Object pass(Object p, Object target, Method m, Object[] args) throws SQLException {
    return SqlBridge.handOut(m.getReturnType(), call(target, m, args), conn.proxy, p);
  }

  private static Object call(Object target, Method m, Object[] args) throws SQLException {
    return ConnectionHandler.reflect(target, m, args);
  }

}
