package dev.ephemera.internal.sql;

import dev.ephemera.AccessDeniedException;
import dev.ephemera.EphemeraException;
import dev.ephemera.SessionClosedException;
import dev.ephemera.SqlException;
import dev.ephemera.Transaction;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLSyntaxErrorException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The connection {@code Session.jdbc()} returns: the session's H2 connection behind a proxy, so
 * that a caller's {@code close()} closes only the wrapper, transaction control drives the session's
 * {@link Transaction} (and so rolls variables back with rows), statements get the same checks as
 * {@code Session.execute}, and nothing works once the session has ended. Nothing it hands out
 * leads back to H2's own objects: statements are wrapped here, result sets and metadata by
 * {@link JdbcGuard}, and {@code unwrap} knows only the wrappers. Engine exceptions reach JDBC
 * callers as {@link SQLException}s with the engine's message.
 */
public final class JdbcProxy implements InvocationHandler {
  private final SessionConnection sql;
  private volatile boolean closedByCaller;
  /** Whether the caller switched auto-commit off: commit and rollback then begin the next transaction. */
  private boolean manual;
  private final AtomicInteger savepointIds = new AtomicInteger();

  private JdbcProxy(SessionConnection sql) {
    this.sql = sql;
  }

  public static Connection connection(SessionConnection sql) {
    return (Connection) Proxy.newProxyInstance(JdbcProxy.class.getClassLoader(), new Class<?>[] {Connection.class},
        new JdbcProxy(sql));
  }

  /** A {@code java.sql.Savepoint} that stands for a session savepoint. */
  private record JdbcSavepoint(dev.ephemera.Savepoint inner, int id) implements java.sql.Savepoint {
    @Override
    public int getSavepointId() {
      return id;
    }

    @Override
    public String getSavepointName() {
      return inner.name();
    }
  }

  @Override
  public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
    String name = m.getName();
    switch (name) {
      case "equals":
        return proxy == args[0];
      case "hashCode":
        return System.identityHashCode(proxy);
      case "toString":
        return "EphemeraConnection[session " + sql.owner.id() + (closedByCaller ? ", closed" : "") + "]";
      case "close":
        closedByCaller = true;
        return null;
      case "isClosed":
        return closedByCaller || !sql.owner.isLive();
      case "isValid":
        return !closedByCaller && sql.owner.isLive();
      case "unwrap":
        return JdbcGuard.unwrap(proxy, args[0]);
      case "isWrapperFor":
        return ((Class<?>) args[0]).isInstance(proxy);
      default:
        break;
    }
    if (closedByCaller) {
      throw new SQLException("this wrapper of session " + sql.owner.id() + "'s connection was closed; call jdbc() again",
          "08003");
    }
    try {
      return sql.owner.callJdbc(() -> dispatch(proxy, m, name, args));
    } catch (EphemeraException | IllegalArgumentException e) {
      throw toSql(e);
    }
  }

  /** The engine's exceptions as JDBC callers expect them. */
  static SQLException toSql(RuntimeException e) {
    if (e instanceof SqlException s) {
      return (SQLException) s.getCause();
    }
    if (e instanceof AccessDeniedException) {
      return new SQLSyntaxErrorException(e.getMessage(), "42501", e);
    }
    return new SQLException(e.getMessage(), e instanceof SessionClosedException ? "08003" : "25000", e);
  }

  private Object dispatch(Object proxy, Method m, String name, Object[] args) throws SQLException {
    sql.lock.lock();
    try {
      switch (name) {
        case "setAutoCommit" -> {
          boolean auto = (Boolean) args[0];
          Transaction tx = sql.tx;
          if (!auto && tx == null) {
            sql.begin();
          } else if (auto && tx != null) {
            tx.commit();
          }
          manual = !auto;
          return null;
        }
        case "getAutoCommit" -> {
          return sql.tx == null;
        }
        case "commit", "rollback" -> {
          if (args == null || args.length == 0) {
            Transaction tx = sql.tx;
            if (tx == null) {
              throw new SQLException("session " + sql.owner.id() + " is in auto-commit mode: nothing to " + name, "25000");
            }
            if (name.equals("commit")) {
              tx.commit();
            } else {
              tx.rollback();
            }
            if (manual) {
              sql.begin();
            }
            return null;
          }
          requireTx().rollbackTo(inner(args[0]));
          return null;
        }
        case "setSavepoint" -> {
          int id = savepointIds.incrementAndGet();
          String spName = args == null || args.length == 0 ? "JDBC_SAVEPOINT_" + id : (String) args[0];
          return new JdbcSavepoint(requireTx().savepoint(spName), id);
        }
        case "releaseSavepoint" -> {
          requireTx().release(inner(args[0]));
          return null;
        }
        case "getMetaData", "getSchema", "getCatalog", "getWarnings", "clearWarnings", "isReadOnly",
            "getTransactionIsolation", "getHoldability", "nativeSQL", "getClientInfo", "getTypeMap",
            "createClob", "createBlob", "createNClob", "createSQLXML", "createArrayOf", "createStruct",
            "getNetworkTimeout" -> {
          return JdbcGuard.wrap(m.getReturnType(), invokeRaw(sql.conn(), m, args), proxy, null);
        }
        case "createStatement", "prepareStatement", "prepareCall" -> {
          Connection c = sql.conn();
          String text = null;
          Object[] run = args;
          if (!name.equals("createStatement")) {
            text = (String) args[0];
            run = args.clone();
            run[0] = sql.check(text);
          }
          Statement st = (Statement) invokeRaw(c, m, run);
          Class<?> type = name.equals("createStatement") ? Statement.class
              : name.equals("prepareStatement") ? PreparedStatement.class : CallableStatement.class;
          return Proxy.newProxyInstance(JdbcProxy.class.getClassLoader(), new Class<?>[] {type},
              new StatementHandler(st, c, text, proxy));
        }
        default -> throw new SQLException("session connections do not support " + name
            + " (settings of the connection belong to the engine)", "0A000");
      }
    } finally {
      sql.lock.unlock();
    }
  }

  private Transaction requireTx() throws SQLException {
    Transaction tx = sql.tx;
    if (tx == null) {
      throw new SQLException("session " + sql.owner.id() + " is in auto-commit mode: setAutoCommit(false) first", "25000");
    }
    return tx;
  }

  private static dev.ephemera.Savepoint inner(Object sp) throws SQLException {
    if (sp instanceof JdbcSavepoint j) {
      return j.inner();
    }
    throw new SQLException("not a savepoint of this connection: " + sp, "3B001");
  }

  static Object invokeRaw(Object target, Method m, Object[] args) throws SQLException {
    try {
      return m.invoke(target, args);
    } catch (InvocationTargetException e) {
      Throwable t = e.getCause();
      if (t instanceof SQLException s) {
        throw s;
      }
      if (t instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(t);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Statements from the wrapper: executions go through the session's statement path, on the
   * session's current connection. Each namespace/database is its own H2 database, so selecting
   * another one changes the connection: a plain statement is made again on the new one (with the
   * settings its caller gave it), a prepared statement, whose text was checked and compiled for the
   * old one, throws and must be prepared again. Neither ever runs on the connection left.
   */
  private final class StatementHandler implements InvocationHandler {
    private volatile Statement st;
    private Connection madeOn; // under sql.lock
    private final String preparedSql;
    private final Object connectionProxy;
    /** The caller's {@code set…} calls on a plain statement, made again on a new one (under sql.lock). */
    private final java.util.List<Object[]> settings = new java.util.ArrayList<>(2);
    /** The caller's {@code setQueryTimeout}, in seconds (0: none of its own; the session's limit still applies). */
    private volatile int queryTimeout;

    StatementHandler(Statement st, Connection madeOn, String preparedSql, Object connectionProxy) {
      this.st = st;
      this.madeOn = madeOn;
      this.preparedSql = preparedSql;
      this.connectionProxy = connectionProxy;
    }

    /** The statement on the session's current connection (see the class comment); callers hold sql.lock. */
    private Statement current() throws SQLException {
      Connection c = sql.conn();
      if (c != madeOn) {
        if (preparedSql != null) {
          throw new SQLException("session " + sql.owner.id() + ": this statement was prepared while the session had"
              + " another database selected (each namespace/database is its own H2 database); prepare it again", "HY000");
        }
        Statement fresh = c.createStatement();
        for (Object[] call : settings) {
          invokeRaw(fresh, (Method) call[0], (Object[]) call[1]);
        }
        try {
          st.close();
        } catch (SQLException ignored) {
          // its connection is gone or kept for temporary tables; closing it is tidiness
        }
        st = fresh;
        madeOn = c;
      }
      return st;
    }

    /** Runs a call that does not execute on the current statement, and keeps a plain statement's settings. */
    private Object pass(Object proxy, Method m, String name, Object[] args) throws SQLException {
      sql.lock.lock();
      try {
        Statement s = sql.isClosedLocked() ? st : current();
        Object result = invokeRaw(s, m, args);
        if (preparedSql == null && name.startsWith("set")) {
          settings.removeIf(call -> ((Method) call[0]).equals(m));
          settings.add(new Object[] {m, args});
        }
        return JdbcGuard.wrap(m.getReturnType(), result, connectionProxy, proxy);
      } finally {
        sql.lock.unlock();
      }
    }

    @Override
    public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
      String name = m.getName();
      switch (name) {
        case "equals":
          return proxy == args[0];
        case "hashCode":
          return System.identityHashCode(proxy);
        case "toString":
          return "EphemeraStatement[" + st + "]";
        case "getConnection":
          return connectionProxy;
        case "unwrap":
          return JdbcGuard.unwrap(proxy, args[0]);
        case "isWrapperFor":
          return ((Class<?>) args[0]).isInstance(proxy);
        case "setQueryTimeout": // H2's is session-wide and would lift the engine's limit: kept here
          if ((Integer) args[0] < 0) {
            throw new SQLException("setQueryTimeout: the timeout must not be negative: " + args[0], "22023");
          }
          queryTimeout = (Integer) args[0];
          return null;
        case "getQueryTimeout":
          return queryTimeout;
        case "close", "isClosed", "cancel":
          return invokeRaw(st, m, args);
        default:
          break;
      }
      if (closedByCaller) {
        throw new SQLException("the connection wrapper was closed", "08003");
      }
      boolean executes = name.startsWith("execute");
      boolean addsSql = name.equals("addBatch") && args != null && args.length == 1 && args[0] instanceof String;
      if (!executes && !addsSql) {
        try {
          return sql.owner.callJdbc(() -> pass(proxy, m, name, args));
        } catch (EphemeraException | IllegalArgumentException e) {
          throw toSql(e);
        }
      }
      try {
        return sql.owner.callJdbc(() -> {
          sql.lock.lock();
          try {
            Object[] run = args;
            if (addsSql || (executes && args != null && args.length >= 1 && args[0] instanceof String)) {
              run = args.clone();
              run[0] = sql.check((String) args[0]);
            }
            Statement st = current();
            Object[] call = run;
            if (addsSql) {
              return invokeRaw(st, m, call);
            }
            int seconds = queryTimeout;
            sql.nextLimitNanos = seconds == 0 ? Long.MAX_VALUE : seconds * 1_000_000_000L;
            try {
              Object result = sql.exec(c -> sql.track(st, y -> invokeRaw(st, m, call)));
              return JdbcGuard.wrap(m.getReturnType(), result, connectionProxy, proxy);
            } finally {
              sql.nextLimitNanos = Long.MAX_VALUE;
            }
          } finally {
            sql.lock.unlock();
          }
        });
      } catch (EphemeraException | IllegalArgumentException e) {
        throw toSql(e);
      }
    }
  }
}
