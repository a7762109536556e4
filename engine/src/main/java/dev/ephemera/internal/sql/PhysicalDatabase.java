package dev.ephemera.internal.sql;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.locks.LockSupport;
import org.h2.api.ErrorCode;

/**
 * One H2 database of the engine: the lobby (sessions with no database selected: only their own
 * temporary tables) or the database of one namespace/database pair, which holds its schema
 * {@code "ns.db"} and nothing of any other tenant. Each has its own administrator connection
 * ({@code sa}: the extensions' functions, the schema and its role, the pooled users, live-query
 * triggers on shared tables), opened when the first session connects and kept until the engine
 * shuts down; no session's SQL ever runs on it, so it never evaluates a tenant's stored code.
 *
 * <p>The users sessions run as ({@link H2User}) belong to one database: in a tenant database they
 * hold its role from their creation (every right on the schemas of that database, which holds no
 * other tenant's; never {@code ADMIN} unless the engine gives root file access); in the lobby they
 * hold nothing. A user goes back to
 * the pool without the {@code ADMIN} flag; its settings, temporary objects and transaction ended
 * with its connection. Guarded by this object's lock.
 */
final class PhysicalDatabase {
  private static final System.Logger LOG = System.getLogger("dev.ephemera");
  /** A role nobody holds: granting and revoking it makes H2 re-check the rights of prepared statements. */
  private static final String META_ROLE = "EPH_META";

  final H2Database engine;
  /** The schema of this namespace/database, or {@code null} for the lobby. */
  final String schema;
  /** The administrator's URL (keeps the database open while the engine lives). */
  final String url;
  private final String userUrl;
  private final Properties props = new Properties();
  private Connection admin; // guarded by this
  private boolean shut; // guarded by this
  private final ArrayDeque<H2User> pool = new ArrayDeque<>(); // guarded by this
  private final List<H2User> created = new ArrayList<>(); // guarded by this

  /**
   * An H2 user that session connections of one database run as: it holds that database's role
   * (none in the lobby) for its whole life, and {@code admin} (guarded by its database) only while a
   * root session with file access, or the engine for one statement of its own, holds it.
   */
  static final class H2User {
    final PhysicalDatabase home;
    final String name;
    final String password;
    boolean admin;

    H2User(PhysicalDatabase home, String name, String password) {
      this.home = home;
      this.name = name;
      this.password = password;
    }
  }

  /** @param where {@code mem:NAME} or {@code file:PATH}: this database's H2 location */
  PhysicalDatabase(H2Database engine, String schema, String where) {
    this.engine = engine;
    this.schema = schema;
    // PUBLIC on the search path: a tool's connection (Flyway's) that sets the database's schema as
    // its own still finds the extensions' functions there
    this.url = "jdbc:h2:" + where + ";DB_CLOSE_DELAY=-1;SCHEMA_SEARCH_PATH=PUBLIC";
    this.userUrl = "jdbc:h2:" + where; // settings in the URL need admin rights
    props.setProperty("user", "sa");
    props.setProperty("password", "");
  }

  /** The administrator connection, opened (extensions, schema and role installed) on first use; callers hold the lock. */
  private Connection admin() throws SQLException {
    if (shut) {
      throw new SQLException("the engine's database has been shut down", "08003");
    }
    if (admin == null) {
      Connection a = engine.driver.connect(url, props);
      try {
        for (H2Database.Installer x : engine.installers) {
          x.install(a); // into PUBLIC, the administrator's current schema
        }
        try (Statement st = a.createStatement()) {
          st.execute("CREATE ROLE IF NOT EXISTS " + META_ROLE);
          if (schema != null) {
            // Not AUTHORIZATION role: H2 restores roles after schemas when it opens a file, so a
            // schema owned by a role (and every table in it) is lost at the first restart. The
            // role's ALTER ANY SCHEMA reaches only this database; the engine refuses schema DDL.
            String role = H2Database.quote(H2Database.role(schema));
            st.execute("CREATE ROLE IF NOT EXISTS " + role);
            st.execute("CREATE SCHEMA IF NOT EXISTS " + H2Database.quote(schema));
            st.execute("GRANT ALTER ANY SCHEMA TO " + role);
          }
        }
        dropStaleUsers(a);
      } catch (SQLException | RuntimeException e) {
        a.close();
        throw e;
      }
      admin = a;
    }
    return admin;
  }

  /** Opens the database (unless the engine has shut down) and returns its administrator URL. */
  synchronized String opened() throws SQLException {
    if (!shut) {
      admin();
    }
    return url;
  }

  /** Drops pooled users a crashed engine left in a file database (never those of a live engine in this JVM). */
  private static void dropStaleUsers(Connection a) throws SQLException {
    List<String> stale = new ArrayList<>();
    try (Statement st = a.createStatement();
        ResultSet rs = st.executeQuery("SELECT USER_NAME FROM INFORMATION_SCHEMA.USERS WHERE USER_NAME LIKE '"
            + H2Database.USER_PREFIX + "%'")) {
      while (rs.next()) {
        String name = rs.getString(1);
        if (!H2Database.isLiveUser(name)) {
          stale.add(name);
        }
      }
    }
    for (String name : stale) {
      try (Statement st = a.createStatement()) {
        st.execute("DROP USER IF EXISTS " + H2Database.quote(name));
      }
    }
  }

  /** A user of this database for a session's connection, without {@code ADMIN}: from the pool, or created. */
  synchronized H2User lease() throws SQLException {
    Connection a = admin();
    H2User u = pool.poll();
    if (u == null) {
      byte[] secret = new byte[24];
      engine.random.nextBytes(secret);
      u = new H2User(this, engine.nextUserName(), HexFormat.of().formatHex(secret));
      try {
        ddl(a, "CREATE USER " + H2Database.quote(u.name) + " PASSWORD '" + u.password + "'");
        if (schema != null) {
          ddl(a, "GRANT " + H2Database.quote(H2Database.role(schema)) + " TO " + H2Database.quote(u.name));
        }
      } catch (SQLException e) {
        try {
          ddl(a, "DROP USER IF EXISTS " + H2Database.quote(u.name));
        } catch (SQLException again) {
          e.addSuppressed(again);
        }
        throw e;
      }
      created.add(u);
    }
    return u;
  }

  /** Takes back a user whose connection is closed: without {@code ADMIN}, or dropped if that cannot be made so. */
  synchronized void giveBack(H2User u) {
    if (shut) {
      return;
    }
    try {
      setAdmin(u, false);
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
    try {
      ddl(admin, "DROP USER IF EXISTS " + H2Database.quote(u.name));
    } catch (SQLException e) {
      LOG.log(System.Logger.Level.WARNING, "dropping H2 user " + u.name + " failed", e);
    }
  }

  /** Gives or takes H2's {@code ADMIN} flag; statements prepared while it was held are re-checked after it goes. */
  void setAdmin(H2User u, boolean admin) throws SQLException {
    setAdmin(u, admin, true);
  }

  /**
   * {@link #setAdmin(H2User, boolean)}; {@code recheck}: when the flag goes, make H2 re-check the
   * statements prepared while it was held (not needed when no statement was prepared meanwhile).
   */
  synchronized void setAdmin(H2User u, boolean admin, boolean recheck) throws SQLException {
    if (u.admin == admin) {
      return;
    }
    Connection a = admin();
    ddl(a, "ALTER USER " + H2Database.quote(u.name) + " ADMIN " + (admin ? "TRUE" : "FALSE"));
    u.admin = admin;
    if (!admin && recheck) { // H2 keeps statements prepared as admin valid until the next change of its metadata
      ddl(a, "GRANT " + META_ROLE + " TO " + H2Database.quote(u.name));
      ddl(a, "REVOKE " + META_ROLE + " FROM " + H2Database.quote(u.name));
    }
  }

  /** Attempts at one statement of {@link #ddl} (each can wait one H2 lock timeout, a second). */
  private static final int DDL_ATTEMPTS = 5;

  /**
   * Runs a change of H2's users or rights on the administrator connection, again after a lock
   * timeout: H2 (2.5) can deadlock such a change against a session that drops tables at the same
   * moment — each holds one of its two catalog locks, the database's monitor and the lock on its
   * {@code SYS} table — and breaks the deadlock by failing this side after its lock timeout.
   * Between attempts it pauses a little longer each time, so that the other side gets the monitor
   * this one just gave up.
   */
  private static void ddl(Connection a, String sql) throws SQLException {
    for (int attempt = 1; ; attempt++) {
      try (Statement st = a.createStatement()) {
        st.execute(sql);
        return;
      } catch (SQLException e) {
        if (e.getErrorCode() != ErrorCode.LOCK_TIMEOUT_1 || attempt >= DDL_ATTEMPTS) {
          throw e;
        }
        LockSupport.parkNanos(attempt * 5_000_000L);
      }
    }
  }

  /** Opens a connection as {@code user}. */
  Connection connect(H2User user) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", user.name);
    p.setProperty("password", user.password);
    return engine.driver.connect(userUrl, p);
  }

  /** Runs DDL of the engine's on the administrator connection (a live-query trigger on a shared table). */
  synchronized void adminExecute(String sql) throws SQLException {
    try (Statement st = admin().createStatement()) {
      st.execute(sql);
    }
  }

  /** Drops the engine's users and closes the database (after the sessions have released their connections). */
  synchronized void shutdown() {
    if (shut) {
      return;
    }
    shut = true;
    if (admin == null) {
      return;
    }
    for (H2User u : created) { // a file database keeps its users: leave none behind
      try {
        ddl(admin, "DROP USER IF EXISTS " + H2Database.quote(u.name));
      } catch (SQLException e) {
        LOG.log(System.Logger.Level.DEBUG, "dropping H2 user " + u.name + " at shutdown failed", e);
      }
    }
    try (Statement st = admin.createStatement()) {
      st.execute("SHUTDOWN");
    } catch (SQLException e) {
      LOG.log(System.Logger.Level.WARNING, "closing the H2 database " + url + " failed", e);
    } finally {
      try {
        admin.close();
      } catch (SQLException ignored) {
        // SHUTDOWN closed it already
      }
    }
  }
}
