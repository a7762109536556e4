package dev.ephemera.internal.sql;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.NClob;
import java.sql.ParameterMetaData;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLXML;
import java.sql.Statement;

/**
 * Wraps the JDBC objects that a session's connection ({@link JdbcProxy}) and its statements hand
 * out — result sets, database, result-set and parameter metadata, arrays and LOBs (also when
 * {@code getObject} returns them) — so that none of them
 * leads back to H2's own objects: {@code getConnection()} returns the session's connection
 * wrapper, {@code getStatement()} the statement wrapper that produced the result set ({@code null}
 * for metadata's), any other method that returns a connection, statement or one of these types
 * returns a wrapper too, and {@code unwrap}/{@code isWrapperFor} know only the wrapper. Without
 * this, {@code getMetaData().getConnection()} or {@code resultSet.getStatement().getConnection()}
 * was H2's raw connection, on which none of the engine's checks ran.
 *
 * <p>What a wrapped object does is otherwise exactly what H2's does: calls pass straight through.
 * The driver wraps what the session's connection hands it once more, so that the way back from a
 * result set or metadata leads to the driver's own statement and connection.
 */
public final class JdbcGuard implements InvocationHandler {
  private final Object target;
  private final Object connection;
  private final Object statement;

  private JdbcGuard(Object target, Object connection, Object statement) {
    this.target = target;
    this.connection = connection;
    this.statement = statement;
  }

  /** Whether objects of this (declared) type are wrapped when handed out. */
  static boolean guarded(Class<?> type) {
    return type == ResultSet.class || type == DatabaseMetaData.class || type == ResultSetMetaData.class
        || type == ParameterMetaData.class || type == Array.class || type == Blob.class || type == Clob.class
        || type == NClob.class || type == SQLXML.class;
  }

  /** What an H2 object a method declared as {@code Object} returns ({@code getObject}) is wrapped as, most specific first. */
  private static final Class<?>[] BY_VALUE = {
      ResultSet.class, Array.class, NClob.class, Clob.class, Blob.class, SQLXML.class};

  /** The interface to wrap {@code value} as, or {@code null} to hand it out as it is. */
  private static Class<?> wrapAs(Class<?> declared, Object value) {
    if (guarded(declared)) {
      return declared;
    }
    if (value.getClass().getName().startsWith("org.h2.")) { // getObject of an ARRAY, a LOB, …
      for (Class<?> type : BY_VALUE) {
        if (type.isInstance(value)) {
          return type;
        }
      }
    }
    return null;
  }

  /**
   * {@code value}, returned by a method declared to return {@code declared}, as the caller may
   * see it: a wrapper for the guarded types, the session's connection wrapper for a connection,
   * the statement wrapper for a statement, else as it is.
   *
   * @param connection the session's connection wrapper
   * @param statement the statement wrapper a result set belongs to, or {@code null}
   */
  public static Object wrap(Class<?> declared, Object value, Object connection, Object statement) {
    if (value == null) {
      return null;
    }
    if (value instanceof Connection) {
      return connection;
    }
    if (value instanceof Statement) {
      return statement;
    }
    Class<?> as = wrapAs(declared, value);
    if (as == null) {
      return value;
    }
    return Proxy.newProxyInstance(JdbcGuard.class.getClassLoader(), new Class<?>[] {as},
        new JdbcGuard(value, connection, as == ResultSet.class ? statement : null));
  }

  /** Refuses to unwrap an engine wrapper to anything but itself. */
  static Object unwrap(Object proxy, Object type) throws SQLException {
    if (((Class<?>) type).isInstance(proxy)) {
      return proxy;
    }
    throw new SQLException("does not unwrap to " + ((Class<?>) type).getName()
        + ": the engine hands out no object of H2's own", "0A000");
  }

  @Override
  public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
    switch (m.getName()) {
      case "equals":
        return args != null && args.length == 1 && proxy == args[0];
      case "hashCode":
        return System.identityHashCode(proxy);
      case "toString":
        return "Ephemera" + m.getDeclaringClass().getSimpleName() + "[" + target + "]";
      case "unwrap":
        return unwrap(proxy, args[0]);
      case "isWrapperFor":
        return ((Class<?>) args[0]).isInstance(proxy);
      case "getConnection":
        if (args == null || args.length == 0) {
          return connection;
        }
        break;
      case "getStatement":
        if (args == null || args.length == 0) {
          return statement;
        }
        break;
      default:
        break;
    }
    Object result = JdbcProxy.invokeRaw(target, m, args);
    // a metadata result set belongs to no statement of the session's; any other belongs to ours
    return wrap(m.getReturnType(), result, connection, target instanceof ResultSet ? statement : null);
  }
}
