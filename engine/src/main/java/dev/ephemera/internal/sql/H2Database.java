package dev.ephemera.internal.sql;

import dev.ephemera.Names;
import dev.ephemera.SqlException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.h2.Driver;
import org.h2.engine.SessionLocal;

/**
 * The engine's H2 databases: one per namespace/database pair that sessions have selected, and a
 * lobby for sessions with none ({@link PhysicalDatabase}), created on first use; the connections
 * sessions open (counted, so that a leak shows in {@code stats()}); the map from H2's session
 * objects back to Ephemera's (for triggers and SQL functions); the live-query hubs; and the
 * deadlines of running statements. Nothing is opened until the first session uses SQL;
 * {@link #shutdown()} closes every database.
 *
 * <p>Tenancy is physical: a namespace/database's tables, views, sequences, constants and catalog
 * are in its own H2 database, which no other tenant's connection reaches. Inside it the tables
 * live in the schema {@code "ns.db"}, owned by the role {@code "EPH_DB:ns.db"} that every session
 * user of that database holds; no session user is H2's {@code ADMIN} (root's only with
 * {@code rootFileAccess}).
 */
public final class H2Database {
  private static final AtomicInteger DATABASES = new AtomicInteger();

  final int id = DATABASES.incrementAndGet();
  /** The lobby's administrator URL. */
  public final String url;
  final Driver driver = Driver.load();
  final SecureRandom random;
  final List<Installer> installers;
  private final String location; // mem:NAME or file:PATH of the lobby
  private final AtomicLong opened = new AtomicLong();
  private final AtomicLong closed = new AtomicLong();
  /** H2's {@code SessionLocal} (by identity) to the Ephemera session that owns the connection, for all databases. */
  static final ConcurrentHashMap<Object, SessionConnection> BY_H2_SESSION = new ConcurrentHashMap<>();
  /** Live-query hubs by table key. */
  final ConcurrentHashMap<String, LiveHub> hubs = new ConcurrentHashMap<>();
  private final AtomicInteger liveIds = new AtomicInteger();

  private final PhysicalDatabase lobby;
  private final ConcurrentHashMap<String, PhysicalDatabase> tenants = new ConcurrentHashMap<>();
  private volatile boolean shut;

  /** Prefixes of the pooled users of the engines open in this JVM (a file database may hold stale ones). */
  private static final Set<String> LIVE_PREFIXES = ConcurrentHashMap.newKeySet();
  static final String USER_PREFIX = "EPH_S";
  private final String prefix;
  private final AtomicInteger users = new AtomicInteger();

  /** Installs objects (the SQL module's functions) into each database when the engine first opens it. */
  @FunctionalInterface
  public interface Installer {
    void install(Connection admin) throws SQLException;
  }

  /**
   * @param location {@code mem:NAME}, {@code file:PATH} or {@code null} for private in-memory
   *     databases (already validated by the builder)
   */
  public H2Database(String location, String engineName, SecureRandom random, List<Installer> installers) {
    this.installers = List.copyOf(installers);
    this.location = location != null ? location : "mem:" + engineName + "-db" + id;
    this.random = random;
    this.prefix = USER_PREFIX + Long.toString(random.nextLong() & Long.MAX_VALUE, 36).toUpperCase(Locale.ROOT) + "_";
    LIVE_PREFIXES.add(prefix);
    this.lobby = new PhysicalDatabase(this, null, this.location);
    this.url = lobby.url;
  }

  /** The database a session with {@code schema} selected ({@code null}: none, the lobby) connects to. */
  PhysicalDatabase physical(String schema) {
    if (schema == null) {
      return lobby;
    }
    PhysicalDatabase p = tenants.get(schema);
    if (p == null) {
      p = tenants.computeIfAbsent(schema, s -> new PhysicalDatabase(this, s, location + TENANT_SEPARATOR + fileName(s)));
      if (shut) {
        p.shutdown(); // created as the engine shut down: never opened
      }
    }
    return p;
  }

  /**
   * The administrator URL of a namespace/database's H2 database ({@code null}: the lobby's), for
   * tools and migrations: the database is opened first, with its schema, role and the SQL
   * extensions' functions, so that a migration run on it finds them.
   *
   * @throws SqlException if the database cannot be opened
   */
  public String url(String schema) {
    try {
      return physical(schema).opened();
    } catch (SQLException e) {
      throw new SqlException("could not open the H2 database" + (schema == null ? "" : " of " + schema) + ": "
          + e.getMessage(), e);
    }
  }

  /** Between the lobby's location and a tenant's name in the tenant database's location. */
  static final String TENANT_SEPARATOR = "--";

  /**
   * A schema name ({@code ns.db}: letters, digits, {@code _} and one dot) as part of a file name
   * that differs from every other's on a file system that ignores case: each capital letter is
   * {@code -} and the letter; a name that would be longer than 150 characters is its SHA-256.
   */
  static String fileName(String schema) {
    StringBuilder b = new StringBuilder(schema.length() + 8);
    for (int i = 0; i < schema.length(); i++) {
      char c = schema.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        b.append('-').append((char) (c + ('a' - 'A')));
      } else {
        b.append(c);
      }
    }
    if (b.length() <= 150) {
      return b.toString();
    }
    try {
      return "h-" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(schema.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** A new name for a pooled user: unique in this JVM, recognisable as this live engine's. */
  String nextUserName() {
    return prefix + users.incrementAndGet();
  }

  /** Whether a user of ours belongs to an engine alive in this JVM. */
  static boolean isLiveUser(String name) {
    int end = name.indexOf('_', USER_PREFIX.length());
    return end >= 0 && LIVE_PREFIXES.contains(name.substring(0, end + 1));
  }

  /** The H2 role that owns a schema. */
  static String role(String schema) {
    return Names.ROLE_PREFIX + schema;
  }

  static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  /** Opens a connection for a session, as {@code user}, in the user's database. */
  Connection connect(PhysicalDatabase.H2User user) throws SQLException {
    Connection c = user.home.connect(user);
    opened.incrementAndGet();
    return c;
  }

  /** Called once per connection {@link #connect} returned, after closing it. */
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

  /** Closes every database (after the sessions have released their connections). */
  public void shutdown() {
    if (shut) {
      return;
    }
    shut = true;
    LIVE_PREFIXES.remove(prefix);
    for (PhysicalDatabase p : tenants.values()) {
      p.shutdown();
    }
    lobby.shutdown();
  }
}
