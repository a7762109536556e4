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
 */
final class ConnectionHandler implements InvocationHandler {
  final Session session;
  final Connection inner;
  final Dialect dialect;
  /** Whether the caller turned auto-commit off (then COMMIT and ROLLBACK statements begin the next transaction). */
  private volatile boolean manual;
  private volatile boolean closed;
  Connection proxy;

  private ConnectionHandler(Session session) {
    this.session = session;
    this.inner = session.jdbc();
    this.dialect = new Dialect(session, new Dialect.TxControl() {
      @Override
      public void commit() throws SQLException {
        end(true);
      }

      @Override
      public void rollback() throws SQLException {
        end(false);
      }
    });
  }

  static EphemeraConnection connection(Session session) {
    ConnectionHandler h = new ConnectionHandler(session);
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
    switch (name) {
      case "equals":
        return p == args[0];
      case "hashCode":
        return System.identityHashCode(p);
      case "toString":
        return "EphemeraConnection[session " + session.id() + (closed ? ", closed" : "") + "]";
      case "session":
        return session;
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

  /** Ends the session, once: its live queries stop, its temp tables and graphs go. */
  private void close() {
    if (closed) {
      return;
    }
    closed = true;
    dialect.close();
    session.close();
  }
}
