package dev.ephemera.sql;

import dev.ephemera.Credentials;
import dev.ephemera.Names;
import dev.ephemera.Session;
import dev.ephemera.SessionEngine;
import dev.ephemera.sql.internal.Durations;
import dev.ephemera.sql.internal.Errors;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * The {@code jdbc:ephemera:} JDBC driver: each connection is one session of an engine.
 *
 * <ul>
 *   <li>{@code jdbc:ephemera:mem:NAME} — an engine with an in-memory H2 database named NAME,
 *       created by the first connection and shared by later ones in this JVM;
 *   <li>{@code jdbc:ephemera:file:PATH} — the same with an H2 database in files at PATH;
 *   <li>{@code jdbc:ephemera:engine:NAME} — an engine the application built and
 *       {@linkplain #register registered} under NAME.
 * </ul>
 *
 * <p>Settings follow the location as {@code ;key=value} or come as connection properties. Of the
 * session: {@code user} and {@code password} sign it in, at the level {@code level}
 * ({@code root}, {@code namespace} or {@code database}; by default {@code database} when both
 * {@code namespace} and {@code database} are given, {@code namespace} when only the namespace is,
 * else {@code root}). Of the engine (only when a connection creates it): {@code idleTimeout},
 * {@code maxLifetime} ({@code 30m}, {@code 2h}, {@code PT30M}), {@code rootUser},
 * {@code rootPassword}. Registered through {@code META-INF/services/java.sql.Driver}.
 */
public final class EphemeraDriver implements Driver {
  /** Every URL of this driver starts with this. */
  public static final String PREFIX = "jdbc:ephemera:";

  private static final Set<String> SESSION_KEYS = Set.of("user", "password", "namespace", "database", "level",
      "session");
  private static final Set<String> ENGINE_KEYS = Set.of("idletimeout", "maxlifetime", "rootuser", "rootpassword");
  private static final Map<String, Owned> ENGINES = new ConcurrentHashMap<>();
  private static final Map<String, SessionEngine> REGISTERED = new ConcurrentHashMap<>();

  /** An engine this driver created, with the settings it was created with. */
  private record Owned(SessionEngine engine, Map<String, String> settings) {}

  static {
    try {
      DriverManager.registerDriver(new EphemeraDriver());
    } catch (SQLException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Makes an application's engine reachable as {@code jdbc:ephemera:engine:NAME}. */
  public static void register(String name, SessionEngine engine) {
    Names.check("engine", name);
    Objects.requireNonNull(engine, "engine");
    if (REGISTERED.putIfAbsent(name, engine) != null) {
      throw new IllegalStateException("an engine is already registered as '" + name + "'");
    }
  }

  /** Removes a registration (the engine stays open: it is the application's). */
  public static boolean unregister(String name) {
    return REGISTERED.remove(name) != null;
  }

  /**
   * Closes the engine a {@code jdbc:ephemera:mem:} or {@code file:} URL created, ending its
   * sessions (their connections stop working); the next connection creates a new one.
   *
   * @return whether there was one
   */
  public static boolean closeEngine(String url) throws SQLException {
    Owned o = ENGINES.remove(parse(url).location);
    if (o == null) {
      return false;
    }
    o.engine.close();
    return true;
  }

  /** Closes every engine this driver created. */
  public static void closeEngines() {
    for (String k : Set.copyOf(ENGINES.keySet())) {
      Owned o = ENGINES.remove(k);
      if (o != null) {
        o.engine.close();
      }
    }
  }

  @Override
  public boolean acceptsURL(String url) {
    return url != null && url.startsWith(PREFIX);
  }

  @Override
  public Connection connect(String url, Properties info) throws SQLException {
    if (!acceptsURL(url)) {
      return null; // JDBC: another driver's URL
    }
    Url u = parse(url);
    Map<String, String> settings = new TreeMap<>(u.settings);
    if (info != null) {
      for (String k : info.stringPropertyNames()) {
        String key = k.toLowerCase(Locale.ROOT);
        if (SESSION_KEYS.contains(key) || ENGINE_KEYS.contains(key)) {
          settings.putIfAbsent(key, info.getProperty(k));
        }
      }
    }
    SessionEngine engine = engine(u, settings);
    String token = settings.get("session");
    if (token != null) { // the Geode seed's reconnect: attach to a session that exists
      if (settings.containsKey("user") || settings.containsKey("namespace") || settings.containsKey("database")) {
        throw new SQLException("session=<token> attaches to a session as it is; it takes no user, namespace or"
            + " database", "28000");
      }
      try {
        return ConnectionHandler.attached(engine.resume(token));
      } catch (RuntimeException e) {
        throw Errors.translate(e);
      }
    }
    Session session;
    try {
      session = engine.open();
    } catch (RuntimeException e) {
      throw Errors.translate(e);
    }
    try {
      signIn(session, settings);
      return ConnectionHandler.connection(session);
    } catch (SQLException | RuntimeException e) {
      session.close();
      throw e instanceof RuntimeException r ? Errors.translate(r) : (SQLException) e;
    }
  }

  private static void signIn(Session session, Map<String, String> s) throws SQLException {
    String user = s.get("user");
    String ns = s.get("namespace");
    String db = s.get("database");
    if (user == null || user.isEmpty()) {
      if (ns != null || db != null) {
        throw new SQLException("namespace and database need a user to sign in with", "28000");
      }
      return; // an unauthenticated session
    }
    String password = s.getOrDefault("password", "");
    String level = s.getOrDefault("level", db != null && ns != null ? "database" : ns != null ? "namespace" : "root")
        .toLowerCase(Locale.ROOT);
    switch (level) {
      case "root" -> {
        session.signIn(Credentials.root(user, password));
        if (ns != null && db != null) {
          session.use(ns, db);
        } else if (ns != null || db != null) {
          throw new SQLException("a root session selects a namespace and a database together", "28000");
        }
      }
      case "namespace" -> {
        if (ns == null) {
          throw new SQLException("level=namespace needs the namespace setting", "28000");
        }
        session.signIn(Credentials.namespace(ns, user, password));
        if (db != null) {
          session.use(ns, db);
        }
      }
      case "database" -> {
        if (ns == null || db == null) {
          throw new SQLException("level=database needs the namespace and database settings", "28000");
        }
        session.signIn(Credentials.database(ns, db, user, password));
      }
      default -> throw new SQLException("level must be root, namespace or database, not '" + level + "'", "28000");
    }
  }

  private static SessionEngine engine(Url u, Map<String, String> settings) throws SQLException {
    Map<String, String> engineSettings = new TreeMap<>();
    for (Map.Entry<String, String> e : settings.entrySet()) {
      if (ENGINE_KEYS.contains(e.getKey())) {
        engineSettings.put(e.getKey(), e.getValue());
      }
    }
    if (u.location.startsWith("engine:")) {
      SessionEngine e = REGISTERED.get(u.location.substring("engine:".length()));
      if (e == null) {
        throw new SQLException("no engine is registered as '" + u.location.substring(7)
            + "' (EphemeraDriver.register)", "08001");
      }
      if (!engineSettings.isEmpty()) {
        throw new SQLException("engine settings " + engineSettings.keySet() + " do not apply to a registered engine",
            "08001");
      }
      return e;
    }
    Owned o;
    try {
      o = ENGINES.computeIfAbsent(u.location, loc -> new Owned(build(loc, engineSettings), Map.copyOf(engineSettings)));
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new SQLException("cannot create the engine for " + PREFIX + u.location + ": " + e.getMessage(), "08001", e);
    }
    if (!engineSettings.isEmpty() && !o.settings.equals(engineSettings)) {
      // names only: the settings may hold the root password
      throw new SQLException("the engine for " + PREFIX + u.location + " was created with other engine settings"
          + " (" + o.settings.keySet() + "); a later connection cannot change them (EphemeraDriver.closeEngine first)",
          "08001");
    }
    return o.engine;
  }

  private static SessionEngine build(String location, Map<String, String> s) {
    SessionEngine.Builder b = SessionEngine.builder().database(location);
    if (s.containsKey("idletimeout")) {
      b.idleTimeout(duration("idleTimeout", s.get("idletimeout")));
    }
    if (s.containsKey("maxlifetime")) {
      b.maxLifetime(duration("maxLifetime", s.get("maxlifetime")));
    }
    if (s.containsKey("rootuser") || s.containsKey("rootpassword")) {
      String user = s.get("rootuser");
      String password = s.get("rootpassword");
      if (user == null || password == null) {
        throw new IllegalArgumentException("rootUser and rootPassword go together");
      }
      b.rootUser(user, password);
    }
    return b.build();
  }

  private static Duration duration(String what, String text) {
    Duration d = Durations.parse(text);
    if (d == null || d.isZero()) {
      throw new IllegalArgumentException(what + " must be a positive duration such as 30m, 2h or PT30M, not '" + text
          + "'");
    }
    return d;
  }

  /** A parsed URL: the location ({@code mem:NAME}, {@code file:PATH}, {@code engine:NAME}) and its settings. */
  private record Url(String location, Map<String, String> settings) {}

  private static Url parse(String url) throws SQLException {
    if (url == null || !url.startsWith(PREFIX)) {
      throw new SQLException("not an Ephemera URL (" + PREFIX + "mem:NAME, file:PATH or engine:NAME)", "08001");
    }
    String rest = url.substring(PREFIX.length());
    String[] parts = rest.split(";", -1);
    String location = parts[0];
    boolean known = location.startsWith("mem:") || location.startsWith("file:") || location.startsWith("engine:");
    if (!known || location.indexOf(':') == location.length() - 1) {
      throw new SQLException("the location must be mem:NAME, file:PATH or engine:NAME: '" + PREFIX + location + "'", "08001");
    }
    if (location.chars().anyMatch(Character::isISOControl)) {
      throw new SQLException("the location must not contain control characters", "08001");
    }
    Map<String, String> settings = new TreeMap<>();
    for (int i = 1; i < parts.length; i++) {
      if (parts[i].isEmpty()) {
        continue;
      }
      int eq = parts[i].indexOf('=');
      if (eq <= 0) {
        throw new SQLException("a URL setting must be key=value: '" + parts[i] + "'", "08001");
      }
      String key = parts[i].substring(0, eq).strip().toLowerCase(Locale.ROOT);
      if (!SESSION_KEYS.contains(key) && !ENGINE_KEYS.contains(key)) {
        throw new SQLException("unknown URL setting '" + parts[i].substring(0, eq) + "'; known: user, password,"
            + " namespace, database, level, idleTimeout, maxLifetime, rootUser, rootPassword", "08001");
      }
      settings.put(key, parts[i].substring(eq + 1));
    }
    return new Url(location, settings);
  }

  @Override
  public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
    String[] keys = {"user", "password", "namespace", "database", "level", "idleTimeout", "maxLifetime", "rootUser",
        "rootPassword"};
    DriverPropertyInfo[] out = new DriverPropertyInfo[keys.length];
    for (int i = 0; i < keys.length; i++) {
      out[i] = new DriverPropertyInfo(keys[i], info == null ? null : info.getProperty(keys[i]));
    }
    return out;
  }

  @Override
  public int getMajorVersion() {
    return 0;
  }

  @Override
  public int getMinorVersion() {
    return 1;
  }

  @Override
  public boolean jdbcCompliant() {
    return false; // the dialect's statements are not SQL-92
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException("the driver logs through System.Logger");
  }
}
