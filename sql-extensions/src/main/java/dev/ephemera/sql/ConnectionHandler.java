package dev.ephemera.sql;

import dev.ephemera.Session;
import dev.ephemera.SessionState;
import dev.ephemera.Transaction;
import dev.ephemera.internal.spi.SqlBridge;
import dev.ephemera.sql.internal.Dialect;
import dev.ephemera.sql.internal.Errors;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;

/**
 * A driver connection: the session's own JDBC connection ({@code Session.jdbc()}, which already
 * maps auto-commit, commit, rollback and savepoints onto the session's transaction) with the
 * dialect in front of every statement, and {@code close()} ending the session.
 *
 * <p>A reset ({@code DISCARD ALL}, {@code endRequest()}, a pooled connection going back to its
 * pool) ends the session and puts a new one in its place that starts from the sign-in and
 * selection the connection was opened with: nothing of the old one — variables, temporary tables,
 * graphs, live queries and their listeners, transaction, savepoints, settings, token — reaches the
 * next user. Statements made before a reset: a plain one runs on the new session, a prepared one
 * must be prepared again.
 */
final class ConnectionHandler implements InvocationHandler {
  volatile Session session;
  volatile Connection inner;
  volatile Dialect dialect;
  /** Bumped by each reset; statements made before it notice. */
  volatile int generation;
  /** The sign-in and selection the connection was opened with (what a reset starts from). */
  private final Object origin;
  /** Whether the caller turned auto-commit off (then COMMIT and ROLLBACK statements begin the next transaction). */
  private volatile boolean manual;
  private volatile boolean closed;
  /** Whether nothing has been done with the session since it was opened or reset (then beginRequest keeps it). */
  private volatile boolean clean = true;
  /** Calls that neither change the session nor hand out a way to it: they leave a clean connection clean. */
  private static final java.util.Set<String> NEUTRAL = java.util.Set.of("equals", "hashCode", "toString", "isClosed",
      "isValid", "beginRequest", "endRequest", "close", "getAutoCommit", "getWarnings", "clearWarnings",
      "getTransactionIsolation", "setTransactionIsolation", "getNetworkTimeout", "setNetworkTimeout", "isReadOnly",
      "setReadOnly", "getCatalog", "getSchema", "getHoldability", "isWrapperFor", "getClientInfo");
  Connection proxy;
  private final Dialect.TxControl control = new Dialect.TxControl() {
    @Override
    public void commit() throws SQLException {
      end(true);
    }

    @Override
    public void rollback() throws SQLException {
      end(false);
    }

    @Override
    public void discardAll() throws SQLException {
      reset();
    }
  };

  /** Whether closing the connection ends the session (not when it attached to one with session=token). */
  private final boolean owned;

  private ConnectionHandler(Session session, boolean owned) {
    this.origin = SqlBridge.origin(session);
    this.owned = owned;
    install(session);
  }

  private void install(Session s) {
    inner = s.jdbc();
    dialect = new Dialect(s, control);
    session = s;
    manual = false;
    generation++;
  }

  /**
   * Ends the session and installs a new one that starts from the connection's original sign-in
   * (see the class comment); O(what the old session held). A failure leaves the connection closed.
   */
  synchronized void reset() throws SQLException {
    checkOpen();
    if (!owned) {
      throw new SQLFeatureNotSupportedException("this connection attached to an existing session (session=<token>);"
          + " it is not reset: close the connection (the session stays)", "0A000");
    }
    Session old = session;
    dialect.close();
    Session fresh;
    try {
      fresh = SqlBridge.renew(old, origin);
    } catch (RuntimeException e) {
      closed = true;
      old.close();
      throw Errors.translate(e);
    }
    install(fresh);
    clean = true;
  }

  static EphemeraConnection connection(Session session) {
    return create(session, true);
  }

  /** A connection to a session that exists ({@code session=<token>}): closing it leaves the session live. */
  static EphemeraConnection attached(Session session) {
    return create(session, false);
  }

  private static EphemeraConnection create(Session session, boolean owned) {
    ConnectionHandler h = new ConnectionHandler(session, owned);
    EphemeraConnection c = (EphemeraConnection) Proxy.newProxyInstance(EphemeraConnection.class.getClassLoader(),
        new Class<?>[] {EphemeraConnection.class}, h);
    h.proxy = c;
    return c;
  }

  private void end(boolean commit) throws SQLException {
    if (manual) {
      if (commit) {
        inner.commit(); // and the next transaction begins
      } else {
        inner.rollback();
      }
      return;
    }
    Transaction t = session.transaction();
    if (t == null) {
      throw new SQLException((commit ? "COMMIT" : "ROLLBACK") + " needs an open transaction (BEGIN first)", "25P01");
    }
    try {
      if (commit) {
        t.commit();
      } else {
        t.rollback();
      }
    } catch (RuntimeException e) {
      throw Errors.translate(e);
    }
  }

  void checkOpen() throws SQLException {
    if (closed) {
      throw new SQLException("the connection is closed", "08003");
    }
  }

  @Override
  public Object invoke(Object p, Method m, Object[] args) throws Throwable {
    String name = m.getName();
    if (clean && !NEUTRAL.contains(name) && !(name.equals("unwrap") && ((Class<?>) args[0]).isInstance(p))) {
      clean = false;
    }
    switch (name) {
      case "equals":
        return p == args[0];
      case "hashCode":
        return System.identityHashCode(p);
      case "toString":
        return "EphemeraConnection[session " + session.id() + (closed ? ", closed" : "") + "]";
      case "session":
        return session;
      case "beginRequest": // a request starts clean: reset unless nothing was done since the last reset
        if (!closed && !clean && owned) {
          reset();
        }
        return null;
      case "endRequest": // a hint: a connection attached to an existing session is left as it is
        if (!closed && owned) {
          reset();
        }
        return null;
      case "close":
        close();
        return null;
      case "isClosed":
        return closed || session.state() != SessionState.ACTIVE;
      case "isValid":
        if ((Integer) args[0] < 0) {
          throw new SQLException("isValid: the timeout must not be negative", "22023");
        }
        return !closed && session.state() == SessionState.ACTIVE;
      case "unwrap": {
        Class<?> type = (Class<?>) args[0];
        if (type.isInstance(p)) {
          return p;
        }
        if (type == Session.class) {
          return session;
        }
        throw new SQLException("an Ephemera connection does not unwrap to " + type.getName(), "0A000");
      }
      case "isWrapperFor": {
        Class<?> type = (Class<?>) args[0];
        return type.isInstance(p) || type == Session.class;
      }
      case "addLiveListener":
        dialect.addLiveListener((LiveSqlListener) args[0]);
        return null;
      case "removeLiveListener":
        return dialect.removeLiveListener((LiveSqlListener) args[0]);
      default:
        break;
    }
    checkOpen();
    switch (name) {
      case "createStatement":
        return StatementHandler.statement(this, (Statement) call(m, args));
      case "prepareStatement":
        return StatementHandler.prepared(this, (String) args[0], sql -> {
          Object[] a = args.clone();
          a[0] = sql;
          return (PreparedStatement) call(m, a);
        });
      case "prepareCall":
        return StatementHandler.callable(this, (CallableStatement) call(m, args));
      case "setAutoCommit": {
        call(m, args);
        manual = !(Boolean) args[0];
        return null;
      }
      case "setNetworkTimeout":
        return null; // an embedded database has no network (pools call it)
      case "setReadOnly":
        if ((Boolean) args[0]) {
          throw new SQLFeatureNotSupportedException("read-only connections are not supported", "0A000");
        }
        return null;
      case "setTransactionIsolation":
        if ((Integer) args[0] != inner.getTransactionIsolation()) {
          throw new SQLFeatureNotSupportedException("the transaction isolation of a session is H2's default,"
              + " READ COMMITTED", "0A000");
        }
        return null;
      default: // metadata, arrays: their way back leads to this connection, never the session's inner one
        return SqlBridge.handOut(m.getReturnType(), call(m, args), p, null);
    }
  }

  /** Calls the session connection's method. */
  Object call(Method m, Object[] args) throws SQLException {
    return reflect(inner, m, args);
  }

  /** Calls a JDBC method reflectively, with its SQLException as thrown and engine exceptions translated. */
  static Object reflect(Object target, Method m, Object[] args) throws SQLException {
    try {
      return m.invoke(target, args);
    } catch (InvocationTargetException e) {
      Throwable t = e.getCause();
      if (t instanceof SQLException s) {
        throw s;
      }
      if (t instanceof RuntimeException r) {
        throw Errors.translate(r);
      }
      throw new IllegalStateException(t);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Ends the session, once: its live queries stop, its temp tables and graphs go. A connection that
   * attached to an existing session only stops the live queries it started; the session stays.
   */
  private void close() {
    if (closed) {
      return;
    }
    closed = true;
    dialect.close();
    if (owned) {
      session.close();
    }
  }
}
