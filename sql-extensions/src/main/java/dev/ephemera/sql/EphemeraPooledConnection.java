package dev.ephemera.sql;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.ConnectionEvent;
import javax.sql.ConnectionEventListener;
import javax.sql.PooledConnection;
import javax.sql.StatementEventListener;

/**
 * {@link EphemeraDataSource#getPooledConnection()}: one driver connection (the physical one) that
 * a pool hands out as logical connections, one at a time. When the borrower closes its logical
 * connection the session is reset ({@link Connection#endRequest()}) before the pool is told
 * ({@code connectionClosed}), so the next borrower starts clean; an error that ends the session
 * is reported as {@code connectionErrorOccurred}.
 */
final class EphemeraPooledConnection implements PooledConnection {
  private final EphemeraConnection physical;
  private final List<ConnectionEventListener> listeners = new CopyOnWriteArrayList<>();
  private Object handle; // guarded by this: the logical connection handed out, or null
  private boolean closed; // guarded by this

  EphemeraPooledConnection(EphemeraConnection physical) {
    this.physical = physical;
  }

  @Override
  public synchronized Connection getConnection() throws SQLException {
    if (closed) {
      throw new SQLException("the pooled connection is closed", "08003");
    }
    if (handle != null) { // JDBC: a new logical connection closes the one before
      giveBack(handle, false);
    }
    Object h = Proxy.newProxyInstance(EphemeraPooledConnection.class.getClassLoader(),
        new Class<?>[] {EphemeraConnection.class}, new Logical());
    handle = h;
    return (Connection) h;
  }

  /** The borrower is done with {@code h}: reset the session, then (if asked) tell the pool. */
  private void giveBack(Object h, boolean notify) {
    synchronized (this) {
      if (handle != h) {
        return;
      }
      handle = null;
    }
    try {
      physical.endRequest();
    } catch (SQLException e) {
      error(e);
      return;
    }
    if (notify) {
      ConnectionEvent ev = new ConnectionEvent(this);
      for (ConnectionEventListener l : listeners) {
        l.connectionClosed(ev);
      }
    }
  }

  private void error(SQLException e) {
    ConnectionEvent ev = new ConnectionEvent(this, e);
    for (ConnectionEventListener l : listeners) {
      l.connectionErrorOccurred(ev);
    }
  }

  @Override
  public void close() throws SQLException {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      handle = null;
    }
    physical.close();
  }

  @Override
  public void addConnectionEventListener(ConnectionEventListener listener) {
    listeners.add(listener);
  }

  @Override
  public void removeConnectionEventListener(ConnectionEventListener listener) {
    listeners.remove(listener);
  }

  @Override
  public void addStatementEventListener(StatementEventListener listener) {
    // no statement pooling: there are no statement events to report
  }

  @Override
  public void removeStatementEventListener(StatementEventListener listener) {}

  /** A logical connection: the physical one until closed; close gives it back. */
  private final class Logical implements InvocationHandler {
    @Override
    public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
      switch (m.getName()) {
        case "close":
          giveBack(proxy, true);
          return null;
        case "isClosed":
          synchronized (EphemeraPooledConnection.this) {
            return handle != proxy || physical.isClosed();
          }
        case "equals":
          return proxy == args[0];
        case "hashCode":
          return System.identityHashCode(proxy);
        case "toString":
          return "EphemeraConnection[logical of " + physical + "]";
        default:
          break;
      }
      synchronized (EphemeraPooledConnection.this) {
        if (handle != proxy) {
          throw new SQLException("this logical connection was closed (given back to its pool)", "08003");
        }
      }
      try {
        return m.invoke(physical, args);
      } catch (InvocationTargetException e) {
        Throwable t = e.getCause();
        if (t instanceof SQLException s && s.getSQLState() != null && s.getSQLState().startsWith("08")) {
          error(s);
        }
        throw t;
      }
    }
  }
}
