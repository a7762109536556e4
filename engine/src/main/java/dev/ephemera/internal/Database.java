package dev.ephemera.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The engine's H2 database: its URL, the connections its sessions open (counted, so that a leak
 * shows in {@code stats()}), the map from H2's session objects back to Ephemera's (for triggers,
 * and later for SQL functions), and the live-query hubs. Nothing is opened until the first session
 * uses SQL; {@link #shutdown()} closes the database.
 */
final class Database {
  private static final System.Logger LOG = System.getLogger("dev.ephemera");
  private static final AtomicInteger DATABASES = new AtomicInteger();

  final int id = DATABASES.incrementAndGet();
  final String url;
  private final org.h2.Driver driver = org.h2.Driver.load();
  private final Properties props = new Properties();
  private final AtomicLong opened = new AtomicLong();
  private final AtomicLong closed = new AtomicLong();
  /** H2's {@code SessionLocal} (by identity) to the Ephemera session that owns the connection, for all databases. */
  static final ConcurrentHashMap<Object, SqlSession> BY_H2_SESSION = new ConcurrentHashMap<>();
  /** Live-query hubs by table key. */
  final ConcurrentHashMap<String, LiveHub> hubs = new ConcurrentHashMap<>();
  private final AtomicInteger liveIds = new AtomicInteger();

  private Connection admin; // guarded by this; opened with the first connection, keeps shared triggers
  private boolean shut; // guarded by this

  /**
   * @param location {@code mem:NAME}, {@code file:PATH} or {@code null} for a private in-memory
   *     database (already validated by the builder)
   */
  Database(String location, String engineName) {
    String where = location != null ? location : "mem:" + engineName + "-db" + id;
    this.url = "jdbc:h2:" + where + ";DB_CLOSE_DELAY=-1";
    props.setProperty("user", "sa");
    props.setProperty("password", "");
  }

  /** Opens a connection for a session. */
  Connection connect() throws SQLException {
    synchronized (this) {
      if (shut) {
        throw new SQLException("the engine's database has been shut down", "08003");
      }
      if (admin == null) {
        Connection a = driver.connect(url, props);
        try {
          for (SqlBridge.Extension x : SqlBridge.Extensions.ALL) {
            x.install(a);
          }
        } catch (SQLException | RuntimeException e) {
          a.close();
          throw e;
        }
        admin = a;
      }
    }
    Connection c = driver.connect(url, props);
    opened.incrementAndGet();
    return c;
  }

  /** Called once per connection {@link #connect()} returned, after closing it. */
  void closed() {
    closed.incrementAndGet();
  }

  /** Connections held by sessions now. */
  long openConnections() {
    return opened.get() - closed.get();
  }

  String nextLiveId() {
    return "live_" + liveIds.incrementAndGet();
  }

  String nextTriggerName() {
    return "EPH_LIVE_" + id + "_" + liveIds.incrementAndGet();
  }

  /** Runs DDL that must not commit any session's transaction (a trigger on a shared table). */
  synchronized void adminExecute(String sql) throws SQLException {
    if (shut || admin == null) {
      throw new SQLException("the engine's database is not open", "08003");
    }
    try (Statement st = admin.createStatement()) {
      st.execute(sql);
    }
  }

  /** Closes the database (after the sessions have released their connections). */
  synchronized void shutdown() {
    if (shut) {
      return;
    }
    shut = true;
    if (admin != null) {
      try (Statement st = admin.createStatement()) {
        st.execute("SHUTDOWN");
      } catch (SQLException e) {
        LOG.log(System.Logger.Level.WARNING, "closing the engine's H2 database failed", e);
      } finally {
        try {
          admin.close();
        } catch (SQLException ignored) {
          // SHUTDOWN closed it already
        }
      }
    }
  }
}
