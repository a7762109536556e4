package dev.ephemera.sql.internal;

import dev.ephemera.AuthLevel;
import dev.ephemera.Identity;
import dev.ephemera.LiveQuery;
import dev.ephemera.Names;
import dev.ephemera.QueryResult;
import dev.ephemera.Session;
import dev.ephemera.SessionFilter;
import dev.ephemera.SessionInfo;
import dev.ephemera.Transaction;
import dev.ephemera.graph.TempGraph;
import dev.ephemera.internal.spi.SqlBridge;
import dev.ephemera.sql.LiveSqlListener;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLSyntaxErrorException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * Runs the dialect's statements on one session. Statements that are H2's come back as
 * {@code null} from {@link #run}, for the caller to pass to H2 the way it needs (a streaming
 * JDBC result, or rows read into a {@link QueryResult}). Every engine exception leaves as an
 * {@link SQLException}.
 */
public final class Dialect {
  /** How {@code COMMIT} and {@code ROLLBACK} end a transaction (the JDBC driver keeps its auto-commit mode). */
  public interface TxControl {
    void commit() throws SQLException;

    void rollback() throws SQLException;

    /** {@code DISCARD ALL}: the driver's connection starts again as it was opened. */
    default void discardAll() throws SQLException {
      throw noDriverConnection();
    }
  }

  private static SQLException noDriverConnection() {
    return new SQLFeatureNotSupportedException("DISCARD ALL resets a connection of the jdbc:ephemera: driver;"
        + " a session has none (close it and open another, or Session.resetAll() for its variables)", "0A000");
  }

  private final Session session;
  private final TxControl tx;
  private final Map<String, LiveQuery> lives = new ConcurrentHashMap<>();
  private final Set<LiveSqlListener> listeners = new CopyOnWriteArraySet<>();

  public Dialect(Session session, TxControl tx) {
    this.session = Objects.requireNonNull(session, "session");
    this.tx = tx != null ? tx : new TxControl() {
      @Override
      public void commit() throws SQLException {
        requireTx("COMMIT").commit();
      }

      @Override
      public void rollback() throws SQLException {
        requireTx("ROLLBACK").rollback();
      }
    };
  }

  public Session session() {
    return session;
  }

  /** Adds a listener for the changes of this dialect's live queries (once, however often it is added). */
  public void addLiveListener(LiveSqlListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** Removes a listener; returns whether it was added. */
  public boolean removeLiveListener(LiveSqlListener listener) {
    return listeners.remove(listener);
  }

  /** Runs a parsed statement; {@code null} means it is H2's: pass {@code sql} through. */
  public Result run(Stmt stmt, Object[] params) throws SQLException {
    if (stmt == Stmt.PassThrough.INSTANCE) {
      return null;
    }
    try {
      return dispatch(stmt, params == null ? new Object[0] : params);
    } catch (RuntimeException e) {
      throw Errors.translate(e);
    }
  }

  private Result dispatch(Stmt stmt, Object[] p) throws SQLException {
    if (stmt instanceof Stmt.SetVars s) {
      return setVars(s.assignments(), p);
    } else if (stmt instanceof Stmt.ResetVar r) {
      String name = Names.check("variable", r.name());
      restoreSetting(name);
      return Result.count(session.reset(name) ? 1 : 0);
    } else if (stmt instanceof Stmt.ResetAll) {
      int n = session.variables().size();
      for (String name : session.variables().keySet()) {
        restoreSetting(name);
      }
      session.resetAll();
      return Result.count(n);
    } else if (stmt instanceof Stmt.ShowVars) {
      List<Object[]> rows = new ArrayList<>();
      for (Map.Entry<String, Object> e : new TreeMap<>(session.variables()).entrySet()) {
        rows.add(new Object[] {e.getKey(), SqlValues.typeName(e.getValue()), SqlValues.text(e.getValue()),
            SETTINGS.contains(e.getKey().toLowerCase(Locale.ROOT))});
      }
      return Result.rows(List.of("NAME", "TYPE", "VALUE", "SETTING"),
          new int[] {Types.VARCHAR, Types.VARCHAR, Types.VARCHAR, Types.BOOLEAN}, rows);
    } else if (stmt instanceof Stmt.DiscardAll) {
      if (tx == null) {
        throw noDriverConnection();
      }
      tx.discardAll();
      return Result.count(0);
    } else if (stmt instanceof Stmt.Begin) {
      session.begin();
      return Result.count(0);
    } else if (stmt instanceof Stmt.Commit) {
      tx.commit();
      return Result.count(0);
    } else if (stmt instanceof Stmt.Rollback) {
      tx.rollback();
      return Result.count(0);
    } else if (stmt instanceof Stmt.SavepointStmt s) {
      requireTx("SAVEPOINT").savepoint(s.name());
      return Result.count(0);
    } else if (stmt instanceof Stmt.RollbackTo r) {
      requireTx("ROLLBACK TO SAVEPOINT").rollbackTo(r.name());
      return Result.count(0);
    } else if (stmt instanceof Stmt.Release r) {
      requireTx("RELEASE SAVEPOINT").release(r.name());
      return Result.count(0);
    } else if (stmt instanceof Stmt.CreateTempTable c) {
      if (c.ifNotExists() && isTempTable(c.name())) {
        return Result.count(0);
      }
      session.createTempTable(c.name(), c.columns(), c.onCommit());
      return Result.count(0);
    } else if (stmt instanceof Stmt.DropTable d) {
      if (!isTempTable(d.name())) {
        return null; // a shared table (or none): H2's to drop or to refuse
      }
      session.dropTempTable(d.name());
      return Result.count(0);
    } else if (stmt instanceof Stmt.ShowTempTables) {
      return names("NAME", session.tempTables());
    } else if (stmt instanceof Stmt.CreateGraph c) {
      if (c.ifNotExists() && session.tempGraphs().contains(c.name().toUpperCase(Locale.ROOT))) {
        return Result.count(0);
      }
      session.createTempGraph(c.name());
      return Result.count(0);
    } else if (stmt instanceof Stmt.DropGraph d) {
      if (!session.dropTempGraph(d.name()) && !d.ifExists()) {
        throw Errors.notFound("session " + session.id() + " has no temporary graph '" + d.name() + "'");
      }
      return Result.count(0);
    } else if (stmt instanceof Stmt.ShowGraphs) {
      List<Object[]> rows = new ArrayList<>();
      for (String g : session.tempGraphs()) {
        TempGraph graph = session.tempGraph(g);
        rows.add(new Object[] {g, graph.nodeCount(), graph.edgeCount()});
      }
      return Result.rows(List.of("NAME", "NODES", "EDGES"), new int[] {Types.VARCHAR, Types.BIGINT, Types.BIGINT},
          rows);
    } else if (stmt instanceof Stmt.InsertGraph g) {
      TempGraph graph = session.tempGraph(g.graph());
      requireParams(p, g.firstParam() + g.paramCount());
      Object[] args = Arrays.copyOfRange(p, g.firstParam(), g.firstParam() + g.paramCount());
      return Result.count(g.edges() ? graph.loadEdges(g.select(), args) : graph.loadNodes(g.select(), args));
    } else if (stmt instanceof Stmt.GraphQuery q) {
      return GraphStatements.query(session, q, p);
    } else if (stmt instanceof Stmt.UseGraph u) {
      SqlBridge.useGraph(session, u.name());
      return Result.count(0);
    } else if (stmt instanceof Stmt.InsertFromGraph i) {
      return GraphStatements.insertInto(session, i, p);
    } else if (stmt instanceof Stmt.Ping) {
      return Result.single("PING", Types.VARCHAR, session.ping());
    } else if (stmt instanceof Stmt.ShowSession) {
      SessionInfo i = session.info();
      Identity who = i.identity();
      return Result.rows(List.of("ID", "USER", "AUTH_LEVEL", "NAMESPACE", "DATABASE", "CREATED", "LAST_ACTIVE",
              "PRIORITY", "GRAPH"),
          new int[] {Types.VARCHAR, Types.VARCHAR, Types.VARCHAR, Types.VARCHAR, Types.VARCHAR,
              Types.TIMESTAMP_WITH_TIMEZONE, Types.TIMESTAMP_WITH_TIMEZONE, Types.INTEGER, Types.VARCHAR},
          List.<Object[]>of(new Object[] {i.id(), i.user(), who == null ? null : who.level().name(), i.namespace(),
              i.database(), utc(i.createdAt()), utc(i.lastActiveAt()), i.priority(), SqlBridge.currentGraph(session)}));
    } else if (stmt instanceof Stmt.Use u) {
      session.use(u.namespace(), u.database());
      return Result.count(0);
    } else if (stmt instanceof Stmt.ShowSessions s) {
      requireRoot("SHOW SESSIONS");
      SessionFilter f = SessionFilter.all();
      if (s.user() != null) {
        f = f.user(string(s.user(), p, "the user"));
      }
      if (s.idle() != null) {
        f = f.idleLongerThan(duration(s.idle(), p));
      }
      List<Object[]> rows = new ArrayList<>();
      for (SessionInfo i : SqlBridge.engineOf(session).sessions(f)) {
        rows.add(new Object[] {i.id(), i.user(), i.namespace(), i.database(), i.state().name(), utc(i.createdAt()),
            utc(i.lastActiveAt()), i.idle().toSeconds(), i.operations()});
      }
      return Result.rows(
          List.of("ID", "USER", "NAMESPACE", "DATABASE", "STATE", "CREATED", "LAST_ACTIVE", "IDLE_SECONDS", "OPERATIONS"),
          new int[] {Types.VARCHAR, Types.VARCHAR, Types.VARCHAR, Types.VARCHAR, Types.VARCHAR,
              Types.TIMESTAMP_WITH_TIMEZONE, Types.TIMESTAMP_WITH_TIMEZONE, Types.BIGINT, Types.BIGINT},
          rows);
    } else if (stmt instanceof Stmt.KillSession k) {
      requireRoot("KILL SESSION");
      String id = string(k.id(), p, "the session id");
      if (!SqlBridge.engineOf(session).kill(id)) {
        throw Errors.notFound("no live session with id '" + Parser.abbreviate(id) + "'");
      }
      return Result.count(1);
    } else if (stmt instanceof Stmt.LiveSelect l) {
      return live(l.table());
    } else if (stmt instanceof Stmt.KillLive k) {
      String id = string(k.id(), p, "the live query id");
      LiveQuery q = lives.remove(id);
      if (q == null) {
        throw Errors.notFound("no live query '" + Parser.abbreviate(id) + "' on this connection");
      }
      q.close();
      return Result.count(1);
    }
    throw new IllegalStateException("unhandled statement " + stmt);
  }

  // ---- SET SESSION ------------------------------------------------------------------------------

  /** The variable that also sets the session's statement time limit, in seconds (the seed's name). */
  static final String QUERY_TIMEOUT = "query_timeout";

  /**
   * The seed's session settings: variables of these names (case-insensitive) also set something
   * of the session's. {@code language} is kept and checked (a BCP 47 tag) and read back by SQL.
   */
  static final Set<String> SETTINGS = Set.of(QUERY_TIMEOUT, "timezone", "isolation_level", "priority", "language");

  /** What setting {@code name} to {@code v} does once every value has been checked (a no-op for a plain variable). */
  private Runnable setting(String name, Object v) throws SQLException {
    switch (name) {
      case QUERY_TIMEOUT -> {
        Duration limit = Duration.ofSeconds(wholeSeconds(v));
        return () -> session.setStatementTimeout(limit);
      }
      case "timezone" -> {
        java.time.ZoneId zone;
        try {
          zone = java.time.ZoneId.of(text(name, v));
        } catch (java.time.DateTimeException e) {
          throw new SQLException("SET SESSION timezone takes a time-zone id ('America/New_York', 'UTC', '+02:00'): "
              + v, "22023");
        }
        return () -> session.setTimeZone(zone);
      }
      case "isolation_level" -> {
        String level = text(name, v);
        return () -> session.setIsolationLevel(level); // an unknown level: IllegalArgumentException, 22023
      }
      case "priority" -> {
        int priority = priority(v);
        return () -> session.setPriority(priority);
      }
      case "language" -> {
        String tag = text(name, v);
        if (java.util.Locale.forLanguageTag(tag).toLanguageTag().equals("und")) {
          throw new SQLException("SET SESSION language takes a language tag ('en-US', 'fr'): " + v, "22023");
        }
        return () -> { };
      }
      default -> {
        return () -> { };
      }
    }
  }

  private static String text(String name, Object v) throws SQLException {
    if (v instanceof String s && !s.isBlank()) {
      return s;
    }
    throw new SQLException("SET SESSION " + name + " takes a text value: " + v, "22023");
  }

  /** {@code 'high'} 10, {@code 'normal'} 0, {@code 'low'} -10, or a whole number. */
  private static int priority(Object v) throws SQLException {
    if (v instanceof String s) {
      switch (s.strip().toLowerCase(Locale.ROOT)) {
        case "high":
          return 10;
        case "normal":
        case "medium":
          return 0;
        case "low":
          return -10;
        default:
          break;
      }
    } else if (v instanceof Long l && l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) {
      return l.intValue();
    }
    throw new SQLException("SET SESSION priority takes 'high', 'normal', 'low' or a whole number: " + v, "22023");
  }

  /** Puts a setting back to its default when its variable is reset. */
  private void restoreSetting(String name) {
    switch (name.toLowerCase(Locale.ROOT)) {
      case "timezone" -> session.setTimeZone(java.time.ZoneId.systemDefault());
      case "isolation_level" -> session.setIsolationLevel(dev.ephemera.Session.DEFAULT_ISOLATION_LEVEL);
      case "priority" -> session.setPriority(0);
      case QUERY_TIMEOUT -> SqlBridge.resetStatementTimeout(session);
      default -> { }
    }
  }

  /** A value of {@code query_timeout}: a whole number of seconds, at least 1. */
  private static long wholeSeconds(Object v) throws SQLException {
    if (v instanceof Long l && l > 0) {
      return l;
    }
    if (v instanceof BigDecimal d && d.signum() > 0 && d.stripTrailingZeros().scale() <= 0) {
      try {
        return d.longValueExact();
      } catch (ArithmeticException e) {
        // too large: refused below
      }
    }
    throw new SQLException("SET SESSION " + QUERY_TIMEOUT + " takes a whole number of seconds, at least 1: " + v, "22023");
  }

  /**
   * Evaluates every value first, then sets them all, or (if the engine refuses one) none. Setting
   * {@code query_timeout} also sets the session's statement time limit (and is checked first).
   */
  private Result setVars(List<Stmt.Assign> assignments, Object[] p) throws SQLException {
    Map<String, Object> values = new LinkedHashMap<>();
    List<Stmt.SqlExpr> computed = new ArrayList<>();
    for (Stmt.Assign a : assignments) {
      Names.check("variable", a.name());
      if (values.containsKey(a.name())) {
        throw new SQLException("variable '" + a.name() + "' is set twice in one statement", "42701");
      }
      values.put(a.name(), null);
      if (a.value() instanceof Stmt.SqlExpr e) {
        computed.add(e);
      }
    }
    List<Object> fromH2 = computed.isEmpty() ? List.of() : evaluate(computed, p);
    int next = 0;
    for (Stmt.Assign a : assignments) {
      Object v;
      if (a.value() instanceof Stmt.Literal l) {
        v = l.value();
      } else if (a.value() instanceof Stmt.Param) {
        v = valueOf(a.value(), p);
      } else {
        v = fromH2.get(next++);
      }
      values.put(a.name(), SqlValues.toVariable(v));
    }
    List<Runnable> apply = new ArrayList<>(); // every setting's value checked first, then applied
    for (Map.Entry<String, Object> e : values.entrySet()) {
      apply.add(setting(e.getKey().toLowerCase(Locale.ROOT), e.getValue()));
    }
    try {
      for (Runnable r : apply) {
        r.run();
      }
    } catch (IllegalArgumentException x) {
      throw new SQLException(x.getMessage(), "22023", x);
    } catch (RuntimeException x) {
      throw Errors.translate(x);
    }
    if (values.size() == 1) {
      Map.Entry<String, Object> e = values.entrySet().iterator().next();
      session.set(e.getKey(), e.getValue());
      return Result.count(0);
    }
    Map<String, Object> before = session.variables();
    List<String> done = new ArrayList<>();
    try {
      for (Map.Entry<String, Object> e : values.entrySet()) {
        session.set(e.getKey(), e.getValue());
        done.add(e.getKey());
      }
    } catch (RuntimeException e) {
      for (String name : done) { // put back what this statement changed
        if (before.containsKey(name)) {
          session.set(name, before.get(name));
        } else {
          session.reset(name);
        }
      }
      throw e;
    }
    return Result.count(0);
  }

  /** Evaluates expressions in one {@code SELECT (e1), (e2), …} on the session's connection. */
  private List<Object> evaluate(List<Stmt.SqlExpr> exprs, Object[] p) throws SQLException {
    StringBuilder sql = new StringBuilder("SELECT ");
    List<Object> args = new ArrayList<>();
    for (int i = 0; i < exprs.size(); i++) {
      Stmt.SqlExpr e = exprs.get(i);
      sql.append(i == 0 ? "(" : ", (").append(e.text()).append(')');
      requireParams(p, e.firstParam() + e.paramCount());
      args.addAll(Arrays.asList(p).subList(e.firstParam(), e.firstParam() + e.paramCount()));
    }
    QueryResult r;
    try {
      r = session.query(sql.toString(), args.toArray());
    } catch (dev.ephemera.SqlException e) { // show what the user wrote, not the SELECT around it
      StringBuilder what = new StringBuilder();
      for (Stmt.SqlExpr x : exprs) {
        what.append(what.length() == 0 ? "" : ", ").append('\'').append(Parser.abbreviate(x.text())).append('\'');
      }
      String h2 = e.getMessage().replaceAll("Syntax error in SQL statement \"(?:[^\"]|\"\")*\"", "Syntax error");
      int cut = h2.indexOf("; SQL statement:");
      String hint = exprs.stream().anyMatch(x -> x.text().contains("\n")) ? " (a ';' missing at the end of a line?)" : "";
      throw new SQLException("SET SESSION: H2 cannot compute " + what + hint + ": "
          + (cut < 0 ? h2 : h2.substring(0, cut)), e.sqlState(), e.errorCode(), e);
    }
    return r.rows().get(0);
  }

  // ---- pieces -----------------------------------------------------------------------------------

  private Result live(String table) throws SQLException {
    if (listeners.isEmpty()) {
      throw new SQLException("LIVE SELECT delivers changes to listeners, and none is registered: call"
          + " EphemeraConnection.addLiveListener (JDBC) or SessionSql.addLiveListener first", "55000");
    }
    String[] id = new String[1];
    LiveQuery q = session.live(table, change -> {
      for (LiveSqlListener l : listeners) {
        l.changed(id[0], change);
      }
    });
    id[0] = q.id();
    lives.put(q.id(), q);
    return Result.single("LIVE_ID", Types.VARCHAR, q.id());
  }

  private boolean isTempTable(String name) {
    String upper = name.toUpperCase(Locale.ROOT);
    return session.tempTables().contains(upper);
  }

  private static Result names(String column, List<String> names) {
    List<Object[]> rows = new ArrayList<>(names.size());
    for (String n : names) {
      rows.add(new Object[] {n});
    }
    return Result.rows(List.of(column), new int[] {Types.VARCHAR}, rows);
  }

  private Transaction requireTx(String what) throws SQLException {
    Transaction t = session.transaction();
    if (t == null) {
      throw new SQLException(what + " needs an open transaction (BEGIN first); session " + session.id()
          + " is in auto-commit mode", "25P01");
    }
    return t;
  }

  private void requireRoot(String what) throws SQLException {
    Identity who = session.info().identity();
    if (who == null || who.level() != AuthLevel.ROOT) {
      SqlBridge.auditDenied(session, what + ": root only");
      throw new SQLSyntaxErrorException(what + " is for root sessions only; session " + session.id()
          + " is " + (who == null ? "not signed in" : "signed in at " + who.level().name().toLowerCase(Locale.ROOT)
          + " level"), "42501");
    }
  }

  private static void requireParams(Object[] p, int needed) throws SQLException {
    if (p.length < needed) {
      throw new SQLException("the statement has at least " + needed + " parameter(s) ('?'); " + p.length
          + " given", "07001");
    }
  }

  /** The value of a literal or parameter. */
  private static Object valueOf(Stmt.Expr e, Object[] p) throws SQLException {
    if (e instanceof Stmt.Param q) {
      requireParams(p, q.index() + 1);
      return p[q.index()];
    }
    return ((Stmt.Literal) e).value();
  }

  private static String string(Stmt.Expr e, Object[] p, String what) throws SQLException {
    Object v = valueOf(e, p);
    if (!(v instanceof String s)) {
      throw new SQLException(what + " must be a string, got " + (v == null ? "NULL" : v.getClass().getSimpleName()),
          "22023");
    }
    return s;
  }

  private static Duration duration(Stmt.Expr e, Object[] p) throws SQLException {
    Object v = valueOf(e, p);
    if (v instanceof Duration d) {
      return d;
    }
    if (v instanceof String s) {
      Duration d = Durations.parse(s);
      if (d != null) {
        return d;
      }
    }
    if (v instanceof Number n && n.longValue() >= 0) {
      return Duration.ofSeconds(n.longValue());
    }
    throw new SQLException("not a duration: " + v + " (try '30m', '2h', 'PT30M' or a number of seconds)", "22023");
  }

  private static OffsetDateTime utc(Instant i) {
    return i == null ? null : i.atOffset(ZoneOffset.UTC);
  }

  /** Stops the live queries this dialect started (the connection is closing). */
  public void close() {
    for (LiveQuery q : lives.values()) {
      q.close();
    }
    lives.clear();
  }
}
