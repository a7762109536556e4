package dev.ephemera.internal.sql;

import dev.ephemera.Names;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.h2.Driver;
import org.h2.engine.SessionLocal;

/**
 * The engine's H2 database: its URL, the connections its sessions open (counted, so that a leak
 * shows in {@code stats()}), the map from H2's session objects back to Ephemera's (for triggers
 * and SQL functions), and the live-query hubs. Nothing is opened until the first session uses
 * SQL; {@link #shutdown()} closes the database.
 *
 * <p>Tenancy is H2's own: each namespace/database pair is a schema {@code "ns.db"} owned by a role
 * {@code "EPH_DB:ns.db"}. Session connections never run as the administrator: each runs as an H2
 * user the engine created ({@link H2User}, pooled and reused) whose rights follow the session's
 * scope — no rights at all when it is not signed in (only its own local temporary tables), the
 * role of its selected database, or H2's {@code ADMIN} flag for root. The administrator connection
 * ({@code sa}) changes those rights with {@code GRANT}/{@code REVOKE}/{@code ALTER USER}; it is
 * never handed to a session.
 */
public final class H2Database {
  private static final System.Logger LOG = System.getLogger("dev.ephemera");
  private static final AtomicInteger DATABASES = new AtomicInteger();

  final int id = DATABASES.incrementAndGet();
  public final String url;
  private final Driver driver = Driver.load();
  private final Properties props = new Properties();
  private final AtomicLong opened = new AtomicLong();
  private final AtomicLong closed = new AtomicLong();
  /** H2's {@code SessionLocal} (by identity) to the Ephemera session that owns the connection, for all databases. */
  static final ConcurrentHashMap<Object, SessionConnection> BY_H2_SESSION = new ConcurrentHashMap<>();
  /** Live-query hubs by table key. */
  final ConcurrentHashMap<String, LiveHub> hubs = new ConcurrentHashMap<>();
  private final AtomicInteger liveIds = new AtomicInteger();

  private Connection admin; // guarded by this; opened with the first connection, keeps shared triggers
  private boolean shut; // guarded by this

  /** Prefixes of the pooled users of the databases open in this JVM (a file database may hold stale ones). */
  private static final Set<String> LIVE_PREFIXES = ConcurrentHashMap.newKeySet();
  private static final String USER_PREFIX = "EPH_S";
  /** A role nobody holds: granting and revoking it makes H2 re-check the rights of prepared statements. */
  private static final String META_ROLE = "EPH_META";
  private final String userUrl;
  private final SecureRandom random;
  private final String prefix;
  private final ArrayDeque<H2User> pool = new ArrayDeque<>(); // guarded by this
  private final List<H2User> created = new ArrayList<>(); // guarded by this
  private final Set<String> schemas = new HashSet<>(); // guarded by this: schemas known to exist
  private final Set<String> declared = new LinkedHashSet<>(); // guarded by this: to create on opening

  /**
   * An H2 user that session connections run as, and the rights it holds now (guarded by the
   * database): {@code admin} for a root session, else at most the role of one schema.
   */
  static final class H2User {
    final String name;
    final String password;
    boolean admin;
    String schema;

    H2User(String name, String password) {
      this.name = name;
      this.password = password;
    }
  }

  /** Installs objects (the SQL module's functions) into the database when the engine first opens it. */
  @FunctionalInterface
  public interface Installer {
    void install(Connection admin) throws SQLException;
  }

  private final List<Installer> installers;

  /**
   * @param location {@code mem:NAME}, {@code file:PATH} or {@code null} for a private in-memory
   *     database (already validated by the builder)
   */
  public H2Database(String location, String engineName, SecureRandom random, List<Installer> installers) {
    this.installers = List.copyOf(installers);
    String where = location != null ? location : "mem:" + engineName + "-db" + id;
    this.url = "jdbc:h2:" + where + ";DB_CLOSE_DELAY=-1";
    this.userUrl = "jdbc:h2:" + where; // settings in the URL need admin rights
    this.random = random;
    this.prefix = USER_PREFIX + Long.toString(random.nextLong() & Long.MAX_VALUE, 36).toUpperCase(Locale.ROOT) + "_";
    props.setProperty("user", "sa");
    props.setProperty("password", "");
  }

  /** The administrator connection, opened (with the SQL extensions installed) on first use; callers hold the lock. */
  private Connection admin() throws SQLException {
    if (shut) {
      throw new SQLException("the engine's database has been shut down", "08003");
    }
    if (admin == null) {
      Connection a = driver.connect(url, props);
      try {
        for (Installer x : installers) {
          x.install(a);
        }
        try (Statement st = a.createStatement()) {
          st.execute("CREATE ROLE IF NOT EXISTS " + META_ROLE);
        }
        dropStaleUsers(a);
        for (String schema : declared) {
          ensureSchema(a, schema);
        }
        declared.clear();
      } catch (SQLException | RuntimeException e) {
        a.close();
        throw e;
      }
      LIVE_PREFIXES.add(prefix);
      admin = a;
    }
    return admin;
  }

  /** Drops pooled users a crashed engine left in a file database (never those of a live engine in this JVM). */
  private static void dropStaleUsers(Connection a) throws SQLException {
    List<String> stale = new ArrayList<>();
    try (Statement st = a.createStatement();
        ResultSet rs = st.executeQuery("SELECT USER_NAME FROM INFORMATION_SCHEMA.USERS WHERE USER_NAME LIKE '"
            + USER_PREFIX + "%'")) {
      while (rs.next()) {
        String name = rs.getString(1);
        int end = name.indexOf('_', USER_PREFIX.length());
        if (end < 0 || !LIVE_PREFIXES.contains(name.substring(0, end + 1))) {
          stale.add(name);
        }
      }
    }
    for (String name : stale) {
      try (Statement st = a.createStatement()) {
        st.execute("DROP USER IF EXISTS " + quote(name));
      }
    }
  }

  /** An H2 user with no rights for a session's connection: from the pool, or created. */
  synchronized H2User lease() throws SQLException {
    Connection a = admin();
    H2User u = pool.poll();
    if (u == null) {
      byte[] secret = new byte[24];
      random.nextBytes(secret);
      u = new H2User(prefix + (created.size() + 1), HexFormat.of().formatHex(secret));
      try (Statement st = a.createStatement()) {
        st.execute("CREATE USER " + quote(u.name) + " PASSWORD '" + u.password + "'");
      }
      created.add(u);
    }
    return u;
  }

  /** Takes back a user whose connection is closed: its rights are revoked before another session gets it. */
  synchronized void giveBack(H2User u) {
    if (shut) {
      return;
    }
    try {
      scope(u, false, null);
      pool.push(u);
    } catch (SQLException e) {
      LOG.log(System.Logger.Level.WARNING, "revoking the rights of H2 user " + u.name + " failed; dropping it", e);
      discard(u);
    }
  }

  /**
   * Drops a leased user whose state cannot be vouched for (opening a connection as it failed):
   * it never goes back to the pool, so a failed lease fails one session, never the next ones.
   */
  synchronized void discard(H2User u) {
    created.remove(u);
    if (shut || admin == null) {
      return;
    }
    try (Statement st = admin.createStatement()) {
      st.execute("DROP USER IF EXISTS " + quote(u.name));
    } catch (SQLException e) {
      LOG.log(System.Logger.Level.WARNING, "dropping H2 user " + u.name + " failed", e);
    }
  }


  /**
   * Gives {@code u} exactly the rights of a scope: H2's {@code ADMIN} flag, and the role of
   * {@code schema} (created with its role if new), or none.
   */
  synchronized void scope(H2User u, boolean admin, String schema) throws SQLException {
    Connection a = admin();
    if (schema != null) {
      ensureSchema(a, schema);
    }
    try (Statement st = a.createStatement()) {
      boolean recheck = false;
      if (u.admin && !admin) {
        st.execute("ALTER USER " + quote(u.name) + " ADMIN FALSE");
        u.admin = false;
        recheck = true; // H2 keeps statements prepared as admin valid until the next change of its metadata
      }
      if (u.schema != null && !u.schema.equals(schema)) {
        st.execute("REVOKE " + quote(role(u.schema)) + " FROM " + quote(u.name));
        u.schema = null;
        recheck = false;
      }
      if (schema != null && !schema.equals(u.schema)) {
        st.execute("GRANT " + quote(role(schema)) + " TO " + quote(u.name));
        u.schema = schema;
      }
      if (admin && !u.admin) {
        st.execute("ALTER USER " + quote(u.name) + " ADMIN TRUE");
        u.admin = true;
      }
      if (recheck) {
        st.execute("GRANT " + META_ROLE + " TO " + quote(u.name));
        st.execute("REVOKE " + META_ROLE + " FROM " + quote(u.name));
      }
    }
  }

  /** Creates a database's schema and the role that owns it, if they do not exist yet; callers hold the lock. */
  private void ensureSchema(Connection a, String schema) throws SQLException {
    if (schemas.contains(schema)) {
      return;
    }
    try (Statement st = a.createStatement()) {
      st.execute("CREATE ROLE IF NOT EXISTS " + quote(role(schema)));
      st.execute("CREATE SCHEMA IF NOT EXISTS " + quote(schema) + " AUTHORIZATION " + quote(role(schema)));
    }
    schemas.add(schema);
  }

  /**
   * Makes sure a database's schema and role exist: now if the database is open, else when it
   * opens (a user's creation does not open H2).
   */
  public synchronized void declareSchema(String schema) {
    if (shut || schemas.contains(schema)) {
      return;
    }
    if (admin == null) {
      declared.add(schema);
      return;
    }
    try {
      ensureSchema(admin, schema);
    } catch (SQLException e) {
      LOG.log(System.Logger.Level.WARNING, "creating schema " + schema + " failed; it is created on first use", e);
    }
  }

  /** The H2 role that owns a schema. */
  static String role(String schema) {
    return Names.ROLE_PREFIX + schema;
  }

  static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  /** Opens a connection for a session, as {@code user}. */
  Connection connect(H2User user) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", user.name);
    p.setProperty("password", user.password);
    Connection c = driver.connect(userUrl, p);
    opened.incrementAndGet();
    return c;
  }

  /** Called once per connection {@link #connect()} returned, after closing it. */
  void closed() {
    closed.incrementAndGet();
  }

  /** Connections held by sessions now. */
  public long openConnections() {
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
    try (Statement st = admin().createStatement()) {
      st.execute(sql);
    }
  }

  // ---- statement time limits -----------------------------------------------------------------

  /** Statements running with a deadline, in every session of this database. */
  private final Set<Running> running = ConcurrentHashMap.newKeySet();

  /** Registers a statement of {@code session} that starts now with a deadline (engine time). */
  Running started(SessionLocal session, long deadline, long limit) {
    Running r = new Running(session, deadline, limit);
    running.add(r);
    return r;
  }

  /** The statement ended (done, failed or cancelled): it can no longer be cancelled for time. */
  void ended(Running r) {
    r.finish();
    running.remove(r);
  }

  /** Cancels every running statement whose deadline has passed; called on the engine's tick. */
  public void cancelOverdue(long now) {
    for (Running r : running) {
      if (now - r.deadline >= 0) {
        r.cancelIfRunning();
      }
    }
  }

  /** Statements running with a deadline now (tests read it to know a statement has started). */
  public int runningWithDeadline() {
    return running.size();
  }

  /**
   * A statement running with a deadline. It is cancelled through its H2 session, whose cancel
   * holds until a command checks it (a statement's own {@code cancel()} is lost when its command
   * has not started yet), on every tick while it is overdue and running, never once it has ended.
   */
  static final class Running {
    private final SessionLocal session;
    final long deadline;
    private final long limit;
    private boolean done; // guarded by this
    private volatile boolean overdue;

    Running(SessionLocal session, long deadline, long limit) {
      this.session = session;
      this.deadline = deadline;
      this.limit = limit;
    }

    long limit() {
      return limit;
    }

    boolean overdue() {
      return overdue;
    }

    synchronized void finish() {
      done = true;
    }

    synchronized void cancelIfRunning() {
      if (!done) {
        overdue = true;
        session.cancel();
      }
    }
  }

  /** Closes the database (after the sessions have released their connections). */
  public synchronized void shutdown() {
    if (shut) {
      return;
    }
    shut = true;
    LIVE_PREFIXES.remove(prefix);
    if (admin != null) {
      for (H2User u : created) { // a file database keeps its users: leave none behind
        try (Statement st = admin.createStatement()) {
          st.execute("DROP USER IF EXISTS " + quote(u.name));
        } catch (SQLException e) {
          LOG.log(System.Logger.Level.DEBUG, "dropping H2 user " + u.name + " at shutdown failed", e);
        }
      }
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
