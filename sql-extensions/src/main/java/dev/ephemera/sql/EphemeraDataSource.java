package dev.ephemera.sql;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Objects;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.ConnectionPoolDataSource;
import javax.sql.DataSource;
import javax.sql.PooledConnection;

/**
 * A {@link DataSource} of {@code jdbc:ephemera:} connections, for pools and frameworks: each
 * {@link #getConnection()} is a new session, signed in and with its database selected as the URL
 * (and {@link #setUser}/{@link #setPassword}) say.
 *
 * <p><b>Pooled, a connection is reset between borrowers</b>, the JDBC analogue of PostgreSQL's
 * {@code DISCARD ALL}: its session ends and a new one takes its place that starts from the
 * connection's original sign-in and selection, so variables, settings, temporary tables, graphs,
 * live queries, transaction, savepoints and token never reach the next borrower. It happens
 * <ul>
 *   <li>when a {@link PooledConnection} of {@link #getPooledConnection()} (the JDBC pool protocol
 *       of application servers) gets its logical connection back;
 *   <li>on JDBC 4.3's {@link Connection#endRequest()} (pools that call it), and on
 *       {@code DISCARD ALL} (SQL);
 *   <li>for pools that do neither — HikariCP among them — through {@link #resetting(DataSource)}:
 *       hand your code {@code EphemeraDataSource.resetting(pool)}, not the pool itself.
 * </ul>
 *
 * <p>Thread-safe; the settings are read at each {@code getConnection}.
 */
public final class EphemeraDataSource implements DataSource, ConnectionPoolDataSource {
  private static final EphemeraDriver DRIVER = new EphemeraDriver();
  private volatile String url;
  private volatile String user;
  private volatile String password;
  private volatile int loginTimeout;
  private volatile PrintWriter logWriter;

  /** A data source without a URL yet ({@link #setUrl}): pools that configure by property setters use this. */
  public EphemeraDataSource() {}

  /** A data source of {@code url} ({@code jdbc:ephemera:…}, with its settings). */
  public EphemeraDataSource(String url) {
    setUrl(url);
  }

  /**
   * Sets the URL ({@code jdbc:ephemera:mem:NAME;user=…;namespace=…;database=…}, see the driver).
   *
   * @throws IllegalArgumentException if it is not a {@code jdbc:ephemera:} URL
   */
  public void setUrl(String url) {
    Objects.requireNonNull(url, "url");
    if (!DRIVER.acceptsURL(url)) {
      throw new IllegalArgumentException("not a jdbc:ephemera: URL: '" + (url.length() > 60 ? url.substring(0, 60) + "…"
          : url) + "'");
    }
    this.url = url;
  }

  public String getUrl() {
    return url;
  }

  /** The user to sign in as (instead of the URL's {@code user}); {@code null}: the URL's. */
  public void setUser(String user) {
    this.user = user;
  }

  public String getUser() {
    return user;
  }

  /** The password (instead of the URL's {@code password}); never returned. */
  public void setPassword(String password) {
    this.password = password;
  }

  @Override
  public Connection getConnection() throws SQLException {
    return connect(user, password);
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return connect(username, password);
  }

  private EphemeraConnection connect(String u, String p) throws SQLException {
    String at = url;
    if (at == null) {
      throw new SQLException("EphemeraDataSource has no URL: call setUrl(\"jdbc:ephemera:…\") first", "08001");
    }
    Properties info = new Properties();
    if (u != null) {
      info.setProperty("user", u);
    }
    if (p != null) {
      info.setProperty("password", p);
    }
    return (EphemeraConnection) DRIVER.connect(at, info);
  }

  @Override
  public PooledConnection getPooledConnection() throws SQLException {
    return new EphemeraPooledConnection(connect(user, password));
  }

  @Override
  public PooledConnection getPooledConnection(String username, String password) throws SQLException {
    return new EphemeraPooledConnection(connect(username, password));
  }

  /**
   * A data source that borrows from {@code pool} (a pool of this driver's connections, such as a
   * {@code HikariDataSource} configured with an {@code EphemeraDataSource}) and resets each
   * connection before it goes back: {@code close()} on what it hands out ends the borrower's
   * session and starts a clean one on the pooled connection, then returns it to the pool. A
   * connection that comes out of the pool used (closed around this data source) is reset when
   * borrowed.
   */
  public static DataSource resetting(DataSource pool) {
    Objects.requireNonNull(pool, "pool");
    return (DataSource) Proxy.newProxyInstance(EphemeraDataSource.class.getClassLoader(),
        new Class<?>[] {DataSource.class}, new Resetting(pool));
  }

  @Override
  public PrintWriter getLogWriter() {
    return logWriter;
  }

  @Override
  public void setLogWriter(PrintWriter out) {
    logWriter = out;
  }

  @Override
  public void setLoginTimeout(int seconds) {
    loginTimeout = seconds;
  }

  @Override
  public int getLoginTimeout() {
    return loginTimeout;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException("the driver logs through System.Logger", "0A000");
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface.isInstance(this)) {
      return iface.cast(this);
    }
    throw new SQLException("EphemeraDataSource does not unwrap to " + iface.getName(), "0A000");
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return iface.isInstance(this);
  }

  @Override
  public String toString() {
    return "EphemeraDataSource[" + (url == null ? "no URL" : url.replaceAll("(?i)((?:password|session)=)[^;]*", "$1***"))
        + "]";
  }

  /** {@link #resetting}'s data source. */
  private record Resetting(DataSource pool) implements InvocationHandler {
    @Override
    public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
      switch (m.getName()) {
        case "getConnection": {
          Connection c = (Connection) call(pool, m, args);
          try {
            EphemeraConnection e = c.unwrap(EphemeraConnection.class);
            e.beginRequest(); // resets it if it comes back used (closed around this data source)
            return Proxy.newProxyInstance(EphemeraDataSource.class.getClassLoader(),
                new Class<?>[] {EphemeraConnection.class}, new Borrowed(c, e));
          } catch (SQLException | RuntimeException ex) {
            c.close();
            throw ex instanceof SQLException s ? s
                : new SQLException("the pool's connection is not a jdbc:ephemera: connection: " + ex, "08001", ex);
          }
        }
        case "unwrap":
          if (((Class<?>) args[0]).isInstance(proxy)) {
            return proxy;
          }
          return pool.unwrap((Class<?>) args[0]);
        case "isWrapperFor":
          return ((Class<?>) args[0]).isInstance(proxy) || pool.isWrapperFor((Class<?>) args[0]);
        case "toString":
          return "EphemeraDataSource.resetting(" + pool + ")";
        case "equals":
          return proxy == args[0];
        case "hashCode":
          return System.identityHashCode(proxy);
        default:
          return call(pool, m, args);
      }
    }
  }

  /** A connection borrowed through {@link #resetting}: reset when closed, then given back. */
  private static final class Borrowed implements InvocationHandler {
    private final Connection pooled;
    private final EphemeraConnection ephemera;
    private boolean closed; // guarded by this

    Borrowed(Connection pooled, EphemeraConnection ephemera) {
      this.pooled = pooled;
      this.ephemera = ephemera;
    }

    @Override
    public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
      switch (m.getName()) {
        case "close":
          close();
          return null;
        case "isClosed":
          synchronized (this) {
            return closed || pooled.isClosed();
          }
        case "unwrap":
          if (((Class<?>) args[0]).isInstance(proxy)) {
            return proxy;
          }
          break;
        case "isWrapperFor":
          if (((Class<?>) args[0]).isInstance(proxy)) {
            return true;
          }
          break;
        case "equals":
          return proxy == args[0];
        case "hashCode":
          return System.identityHashCode(proxy);
        case "toString":
          return "EphemeraConnection[borrowed: " + pooled + "]";
        default:
          break;
      }
      synchronized (this) {
        if (closed) {
          throw new SQLException("the connection was closed (given back to its pool)", "08003");
        }
      }
      if (m.getDeclaringClass() == EphemeraConnection.class) {
        return call(ephemera, m, args);
      }
      return call(pooled, m, args);
    }

    private void close() throws SQLException {
      synchronized (this) {
        if (closed) {
          return;
        }
        closed = true;
      }
      try {
        if (!pooled.getAutoCommit()) { // so that the pool need not roll back a session that is gone
          pooled.rollback();
          pooled.setAutoCommit(true);
        }
        ephemera.endRequest();
      } finally {
        pooled.close();
      }
    }
  }

  private static Object call(Object target, Method m, Object[] args) throws Throwable {
    try {
      return m.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
