package dev.ephemera.internal.sql;

import dev.ephemera.AccessDeniedException;
import dev.ephemera.EndReason;
import dev.ephemera.LiveListener;
import dev.ephemera.LiveQuery;
import dev.ephemera.OnCommit;
import dev.ephemera.QueryResult;
import dev.ephemera.QueryTimeoutException;
import dev.ephemera.ResourceLimitException;
import dev.ephemera.SqlException;
import dev.ephemera.TransactionException;
import dev.ephemera.internal.util.EngineTime;
import dev.ephemera.internal.util.SaturatingMath;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import org.h2.api.ErrorCode;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.value.ValueNull;
import org.h2.value.ValueVarchar;

/**
 * A session's SQL side: its H2 connection (opened on first use), its transaction, the live-query
 * changes it has made but not committed, and its live queries. Every statement runs under
 * {@link #lock} (a JDBC connection serves one caller at a time) and through {@link #exec}, which
 * registers it for cancellation, undoes it if it breaks a resource limit, and delivers or drops
 * its live-query changes.
 *
 * <p>Released once, by {@link #close()}, when its session is released: roll back, then close the
 * connection (which drops the temporary tables), then stop the live queries.
 */
public final class SessionConnection {
  private static final System.Logger LOG = System.getLogger("dev.ephemera");
  private static final String STATEMENT_SAVEPOINT = "EPH_STATEMENT";

  final SqlOwner owner;
  final H2Database db;
  private final long maxTempRows;
  public final ReentrantLock lock = new ReentrantLock();

  private Connection conn; // under lock
  private SessionLocal h2; // under lock
  /** The H2 user the connection runs as (under lock), in the database of the owner's scope. */
  private PhysicalDatabase.H2User user;
  /** Connections of databases the session had selected before, kept for their temporary tables (under lock). */
  private final ParkedConnections parked = new ParkedConnections();
  private volatile Statement running;
  final EngineTime time;
  /** The engine's statement time limit, in nanoseconds ({@code Long.MAX_VALUE}: none): the ceiling. */
  private final long engineLimitNanos;
  /** This session's statement time limit, at most the engine's. */
  volatile long limitNanos;
  /** A JDBC statement's own query timeout for the statement about to run (under lock; MAX: none). */
  long nextLimitNanos = Long.MAX_VALUE;
  /** The last statement cancelled for running past its limit, for {@link #translate} (under lock). */
  private H2Database.Running timedOut;
  private boolean closed; // under lock
  public TransactionImpl tx; // under lock
  /** The session's temporary tables. */
  private final TempTables temp;
  /** Its time zone and isolation level, given to every connection it opens. */
  private final SessionSettings settings = new SessionSettings(this);
  /** The session's live queries and the changes it has not committed yet. */
  final LiveQueries live = new LiveQueries(this);
  /** Statements run so far (savepoints compare it to know whether anything changed). */
  private long statements; // under lock
  /** Multi-row INSERTs run for batches (tests read it to see that the fast path ran). */
  private long multiInserts; // under lock
  /** Prepared statements of user SQL that passed {@link #check}, by text, most recently used last. */
  private final LinkedHashMap<String, CachedStatement> prepared = new LinkedHashMap<>(16, 0.75f, true);
  private static final int PREPARED_CACHE = 32;

  /**
   * Rows per statement when a batch of a one-row INSERT runs as multi-row INSERTs: H2 spends
   * about a third of a one-row INSERT on starting and ending the statement; 20 rows a statement
   * was the fastest measured here (10: slower, 50 and 100: slower to parse).
   */
  public static final int MULTI_ROWS = 20;

  public SessionConnection(SqlOwner owner, H2Database db, long maxTempTables, long maxTempRows, EngineTime time,
      long statementTimeoutNanos) {
    this.owner = owner;
    this.db = db;
    this.temp = new TempTables(this, maxTempTables);
    this.maxTempRows = maxTempRows;
    this.time = time;
    this.engineLimitNanos = statementTimeoutNanos;
    this.limitNanos = statementTimeoutNanos;
  }

  /** Whether the session ever opened its connection (tests assert that a session without SQL did not). */
  boolean hasConnection() {
    lock.lock();
    try {
      return conn != null;
    } finally {
      lock.unlock();
    }
  }

  // ---- the connection --------------------------------------------------------------------------

  /** The connection, opened on first use; callers hold the lock. */
  Connection conn() {
    if (closed) {
      throw owner.closed();
    }
    if (conn == null) {
      PhysicalDatabase.H2User u = null;
      Connection c = null;
      try {
        Scope scope = owner.h2Scope();
        u = db.physical(scope.schema()).lease();
        u.home.setAdmin(u, scope.admin());
        c = db.connect(u);
        if (tx != null) {
          c.setAutoCommit(false);
        }
        h2 = (SessionLocal) c.unwrap(JdbcConnection.class).getSession();
        useSchema(scope);
        settings.applyTo(c);
      } catch (SQLException | RuntimeException e) {
        if (c != null) {
          closeQuietly(c);
        }
        if (u != null) {
          u.home.discard(u); // its state is unknown: a user that failed once must not fail the next session
        }
        if (e instanceof RuntimeException r) {
          throw r;
        }
        throw new SqlException("session " + owner.id() + ": could not open its H2 connection: " + e.getMessage(),
            (SQLException) e);
      }
      user = u;
      conn = c;
      H2Database.BY_H2_SESSION.put(h2, this);
    }
    return conn;
  }

  /**
   * The owner of the session whose H2 connection {@code connection} is, or a nested connection H2
   * handed to a function of it; {@code null} for a connection no session owns.
   */
  public static SqlOwner ownerOf(Connection connection) throws SQLException {
    Object session = connection.unwrap(JdbcConnection.class).getSession();
    SessionConnection sql = H2Database.BY_H2_SESSION.get(session);
    return sql == null ? null : sql.owner;
  }

  /** Sets H2 session variables on the connection (the SQL module's driver, through the SPI's {@code SqlBridge}). */
  public void setH2Variables(String[] names, String[] texts) {
    lock.lock();
    try {
      conn();
      for (int i = 0; i < names.length; i++) {
        h2.setVariable(names[i], texts[i] == null ? ValueNull.INSTANCE : ValueVarchar.get(texts[i]));
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Where a session's connection runs: the schema of its selected database ({@code null}: none, the
   * lobby), and whether with H2's admin flag (root, when the engine gives root file access).
   */
  public record Scope(boolean admin, String schema) {}

  /** Makes the scope's schema the connection's current one (and keeps PUBLIC, with the engine's functions, on its path). */
  private void useSchema(Scope scope) {
    if (scope.schema() == null) {
      h2.setCurrentSchemaName("PUBLIC");
      h2.setSchemaSearchPath(null);
    } else {
      h2.setCurrentSchemaName(scope.schema());
      h2.setSchemaSearchPath(new String[] {scope.schema(), "PUBLIC"});
    }
  }

  /**
   * Whether the owner's scope would move the connection to another H2 database while a
   * transaction holds work there (the session then refuses the sign-in, sign-out or {@code use}).
   */
  public boolean wouldLeaveTransaction(String schema) {
    lock.lock();
    try {
      return tx != null && conn != null && user.home != db.physical(schema);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Brings the connection in line with the owner's scope after a sign-in, sign-out or {@code use}:
   * the same database keeps its connection (only H2's admin flag and the current schema follow);
   * another database's connection is opened on next use, and the one left is closed, or kept while
   * it holds temporary tables. If H2 cannot change the rights, or a transaction holds work in the
   * database left (a scope changed by another engine), the session is ended: it must not keep
   * rights it no longer has.
   */
  public void rescope() {
    lock.lock();
    try {
      if (closed || (conn == null && parked.isEmpty())) {
        return;
      }
      Scope scope = owner.h2Scope();
      PhysicalDatabase target = db.physical(scope.schema());
      try {
        if (conn != null && user.home != target) {
          if (tx != null) {
            owner.end(EndReason.KILLED);
            throw new TransactionException("session " + owner.id() + ": its selected database changed while a"
                + " transaction held work in the database it left; the session was ended");
          }
          park();
        }
        if (conn == null) {
          ParkedConnections.Parked p = parked.take(target);
          if (p == null) {
            return; // opened on next use
          }
          conn = p.conn();
          h2 = p.h2();
          user = p.user();
          settings.applyTo(conn); // they may have changed while it was kept
        }
        target.setAdmin(user, scope.admin());
      } catch (SQLException e) {
        LOG.log(System.Logger.Level.ERROR, "session " + owner.id() + ": changing its H2 rights failed; ending it", e);
        owner.end(EndReason.KILLED);
        throw new SqlException("session " + owner.id() + ": could not change its H2 rights: " + e.getMessage(), e);
      }
      useSchema(scope);
      clearPrepared(); // prepared for the old schema
    } finally {
      lock.unlock();
    }
  }

  /** Leaves the current connection: kept (without admin rights) while it holds temporary tables, else closed. */
  private void park() throws SQLException {
    clearPrepared();
    PhysicalDatabase.H2User u = user;
    if (h2.getLocalTempTables().isEmpty()) {
      release(conn, h2, u);
    } else {
      u.home.setAdmin(u, false);
      parked.put(new ParkedConnections.Parked(conn, h2, u));
    }
    conn = null;
    h2 = null;
    user = null;
  }

  /** Closes a connection of the session's and gives its user back. */
  private void release(Connection c, SessionLocal session, PhysicalDatabase.H2User u) {
    H2Database.BY_H2_SESSION.remove(session);
    closeQuietly(c);
    u.home.giveBack(u);
  }

  /** H2's session objects of every connection the session holds (the temporary-table limits count them all). */
  List<SessionLocal> h2Sessions() {
    return parked.sessionsWith(h2);
  }

  private void clearPrepared() {
    for (CachedStatement c : prepared.values()) {
      try {
        c.close();
      } catch (SQLException e) {
        LOG.log(System.Logger.Level.DEBUG, "closing a cached statement failed", e);
      }
    }
    prepared.clear();
  }

  private void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException e) {
      LOG.log(System.Logger.Level.DEBUG, "closing an H2 connection failed", e);
    } finally {
      db.closed();
    }
  }

  /** Cancels the statement running now, if any (the session is being killed or expired). */
  public void cancelRunning() {
    Statement st = running;
    if (st != null) {
      try {
        st.cancel();
      } catch (SQLException e) {
        LOG.log(System.Logger.Level.DEBUG, "cancelling a statement failed", e);
      }
    }
  }

  // ---- statements ------------------------------------------------------------------------------

  /** A unit of JDBC work on the connection. */
  @FunctionalInterface
  interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /**
   * Checks a statement a user wrote ({@link StatementRules}) and returns the text to run: the
   * same, except that an H2 global temporary table is made the session's local one. Uses H2's own
   * parser; a statement that does not parse passes, so that running it reports H2's error.
   */
  String check(String sql) {
    return inspect(sql).runAs();
  }

  private StatementRules.Checked inspect(String sql) {
    return StatementRules.inspect(owner, h2, tx != null, sql);
  }

  /**
   * A prepared statement for user SQL, checked: from the session's cache when the same text ran
   * before (skipping the check's parse and JDBC's prepare), else checked, prepared and cached.
   * Callers hold the lock; the statement stays open (the cache closes it).
   */
  private CachedStatement prepared(String sql) throws SQLException {
    Objects.requireNonNull(sql, "sql");
    CachedStatement c = prepared.get(sql);
    if (c != null) {
      if (tx != null && !c.transactional) {
        throw StatementRules.refuseDdl(owner, sql);
      }
      c.ps.clearParameters();
      c.ps.clearBatch();
      return c;
    }
    StatementRules.Checked checked = inspect(sql);
    PreparedStatement ps = conn.prepareStatement(checked.runAs());
    int params = ps.getParameterMetaData().getParameterCount();
    int[] rowParams = new int[1];
    String head = checked.insertTable() == null ? null : CommandInspector.insertHead(sql, rowParams);
    if (head != null && rowParams[0] != params) { // the text fooled insertHead (a comment, say)
      head = null;
    }
    c = new CachedStatement(ps, checked.transactional(), head == null ? null : checked.insertTable(), head, params);
    prepared.put(sql, c);
    if (prepared.size() > PREPARED_CACHE) {
      var eldest = prepared.entrySet().iterator();
      CachedStatement old = eldest.next().getValue();
      eldest.remove();
      old.close();
    }
    return c;
  }

  /**
   * Runs work on the connection as one statement: registered for cancellation, checked against
   * the temp-rows limit (and undone if over), its live-query changes delivered when it commits
   * and dropped when it fails. Callers hold the lock.
   */
  <T> T exec(Work<T> work) {
    return exec(work, false);
  }

  /**
   * {@link #exec(Work)}; {@code atomic}: outside a transaction, the work runs as one H2
   * transaction (all of a batch's rows or none, and one commit instead of one per row).
   */
  <T> T exec(Work<T> work, boolean atomic) {
    Connection c = conn();
    statements++;
    int mark = live.mark();
    boolean limited = maxTempRows != Long.MAX_VALUE;
    boolean own = (limited || atomic) && tx == null; // run as its own transaction, so that it can be undone
    Savepoint sp = null;
    boolean undone = false;
    try {
      if (own) {
        c.setAutoCommit(false);
      } else if (limited || atomic) {
        sp = c.setSavepoint(STATEMENT_SAVEPOINT);
      }
      T result = work.run(c);
      if (limited) {
        long rows = temp.rows();
        if (rows > maxTempRows) {
          if (own) {
            c.rollback();
          } else {
            c.rollback(sp);
          }
          undone = true;
          live.truncate(mark);
          throw new ResourceLimitException("session " + owner.id() + ": the statement would take its temporary tables to "
              + rows + " rows; the limit is " + maxTempRows + " (the statement was undone)", "temp rows", maxTempRows, rows);
        }
      }
      if (own) {
        c.commit();
      }
      if (tx == null) {
        live.deliver();
      }
      return result;
    } catch (SQLException | RuntimeException e) {
      // undo all of it (a batch's earlier rows too); the limit's own undo above did this already
      if (!undone) {
        try {
          if (own) {
            c.rollback();
          } else if (sp != null) {
            c.rollback(sp);
          }
        } catch (SQLException ignored) {
          // the connection is gone; the session is ending
        }
      }
      live.truncate(mark);
      if (e instanceof SQLException sqle) {
        throw translate(sqle);
      }
      throw (RuntimeException) e;
    } finally {
      if (own) {
        try {
          c.setAutoCommit(true);
        } catch (SQLException ignored) {
          // the connection is gone; the session is ending
        }
      }
    }
  }

  /** Runs a statement the engine wrote itself (no user check), registered for cancellation. */
  int update(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement()) {
      return track(st, x -> st.executeUpdate(sql));
    }
  }

  /** Runs {@code body} with {@code st} registered as the running statement. */
  <T> T track(Statement st, Work<T> body) throws SQLException {
    running = st;
    long limit = Math.min(limitNanos, nextLimitNanos);
    H2Database.Running r = limit == Long.MAX_VALUE ? null : db.started(h2, SaturatingMath.add(time.now(), limit), limit);
    timedOut = null;
    try {
      if (!owner.isLive()) {
        st.cancel(); // ended between the check and now: do not start
      }
      return body.run(null);
    } catch (SQLException e) {
      if (r != null && r.overdue()) {
        timedOut = r;
      }
      throw e;
    } finally {
      if (r != null) {
        db.ended(r);
        if (r.overdue()) {
          clearPendingCancel(); // a cancel that came as the statement finished must not hit the next one
        }
      }
      running = null;
    }
  }

  /**
   * Forgets a cancel H2 holds for this connection's session but no command has seen yet: H2 keeps
   * a cancel until a command checks it, so one that arrives just as a statement finishes would
   * otherwise cancel the session's next statement. Callers hold the lock.
   */
  private void clearPendingCancel() {
    try {
      h2.checkCanceled();
    } catch (RuntimeException e) {
      // it was pending: now it is not
    }
  }

  /** Puts this session's statement time limit back to the engine's ({@code RESET SESSION query_timeout}). */
  public void resetStatementTimeout() {
    limitNanos = engineLimitNanos;
  }

  /** Sets this session's statement time limit (at most the engine's; applies to statements that start later). */
  public void setStatementTimeout(Duration limit) {
    Objects.requireNonNull(limit, "limit");
    long nanos;
    try {
      nanos = limit.toNanos();
    } catch (ArithmeticException e) {
      nanos = Long.MAX_VALUE;
    }
    if (limit.isNegative() || limit.isZero() || nanos > engineLimitNanos) {
      throw new IllegalArgumentException("session " + owner.id() + ": a statement time limit must be positive and at"
          + " most the engine's statementTimeout (" + (engineLimitNanos == Long.MAX_VALUE ? "none"
          : Duration.ofNanos(engineLimitNanos)) + "): " + limit);
    }
    limitNanos = nanos;
  }

  /** This session's statement time limit, or {@code null} for none. */
  public Duration statementTimeout() {
    long l = limitNanos;
    return l == Long.MAX_VALUE ? null : Duration.ofNanos(l);
  }

  public RuntimeException translate(SQLException e) {
    if (!owner.isLive()) {
      return owner.closed();
    }
    H2Database.Running late = timedOut;
    // kept until the next statement starts: a JDBC caller (a graph load) translates the error again
    if (late != null && e.getErrorCode() == ErrorCode.STATEMENT_WAS_CANCELED) {
      return new QueryTimeoutException("session " + owner.id() + ": the statement ran past its time limit of "
          + Duration.ofNanos(late.limit()) + " and was cancelled (nothing it did remains)", e,
          Duration.ofNanos(late.limit()));
    }
    if (e.getErrorCode() == ErrorCode.NOT_ENOUGH_RIGHTS_FOR_1
        || e.getErrorCode() == ErrorCode.ADMIN_RIGHTS_REQUIRED) {
      Scope scope = owner.h2Scope();
      String h2Message = e.getMessage();
      int cut = h2Message.indexOf("; SQL statement:");
      return owner.denied(new AccessDeniedException("session " + owner.id() + " ("
          + (scope.admin() ? "root" : scope.schema() == null ? "no database selected: only its own temporary tables"
              : "database schema \"" + scope.schema() + "\"") + "): " + h2Message, e),
          "H2: " + (cut < 0 ? h2Message : h2Message.substring(0, cut))); // not the statement: it may hold values
    }
    return new SqlException("session " + owner.id() + ": " + e.getMessage(), e);
  }

  public int execute(String sql, Object[] params) {
    lock.lock();
    try {
      conn();
      PreparedStatement ps = preparedOrThrow(sql).ps;
      return exec(c -> {
        bind(ps, params);
        return track(ps, x -> ps.executeUpdate());
      });
    } finally {
      lock.unlock();
    }
  }

  /**
   * Runs a batch, all rows or none (outside a transaction as one H2 transaction, inside one
   * behind a statement savepoint). A one-row {@code INSERT … VALUES (?, …)} into a table without
   * triggers runs as multi-row INSERTs of {@link #MULTI_ROWS} rows (the rest row by row): the same
   * rows in the same order, about a quarter less time.
   */
  public int[] executeBatch(String sql, List<Object[]> rows) {
    Objects.requireNonNull(rows, "rows");
    lock.lock();
    try {
      conn();
      CachedStatement first = preparedOrThrow(sql);
      if (first.insertTable != null && !CachedStatement.current(first.insertTable, h2)) { // dropped (and created again) since
        prepared.remove(sql);
        try {
          first.close();
        } catch (SQLException e) {
          LOG.log(System.Logger.Level.DEBUG, "closing a cached statement failed", e);
        }
        first = preparedOrThrow(sql);
      }
      CachedStatement cached = first;
      PreparedStatement ps = cached.ps;
      int params;
      PreparedStatement multi;
      try {
        params = cached.params;
        SqlText.checkRows(owner.id(), sql, rows, params);
        multi = rows.size() >= MULTI_ROWS ? cached.multiInsert(conn) : null;
      } catch (SQLException e) {
        throw translate(e);
      }
      int n = rows.size();
      return exec(c -> {
        int[] counts = new int[n];
        int done = 0;
        if (multi != null) {
          for (; done + MULTI_ROWS <= n; done += MULTI_ROWS) {
            int p = 1;
            for (int r = done; r < done + MULTI_ROWS; r++) {
              for (Object v : rows.get(r)) {
                multi.setObject(p++, v);
              }
            }
            long count;
            try {
              count = track(multi, x -> multi.executeLargeUpdate());
              multiInserts++;
            } catch (SQLException e) {
              throw CachedStatement.asWritten(e, cached.multiSql, sql);
            }
            Arrays.fill(counts, done, done + MULTI_ROWS, count == MULTI_ROWS ? 1 : Statement.SUCCESS_NO_INFO);
          }
        }
        if (done < n) {
          try {
            for (int r = done; r < n; r++) {
              bind(ps, rows.get(r));
              ps.addBatch();
            }
            int[] rest = track(ps, x -> ps.executeBatch());
            System.arraycopy(rest, 0, counts, done, rest.length);
          } finally {
            ps.clearBatch();
          }
        }
        return counts;
      }, true);
    } finally {
      lock.unlock();
    }
  }

  public QueryResult query(String sql, Object[] params) {
    lock.lock();
    try {
      conn();
      PreparedStatement ps = preparedOrThrow(sql).ps;
      return exec(c -> {
        bind(ps, params);
        return track(ps, x -> SqlText.read(ps.executeQuery()));
      });
    } finally {
      lock.unlock();
    }
  }

  private CachedStatement preparedOrThrow(String sql) {
    try {
      return prepared(sql);
    } catch (SQLException e) {
      throw translate(e);
    }
  }

  private static void bind(PreparedStatement ps, Object[] params) throws SQLException {
    if (params == null) {
      return;
    }
    for (int i = 0; i < params.length; i++) {
      ps.setObject(i + 1, params[i]);
    }
  }

  // ---- temporary tables ------------------------------------------------------------------------

  public void createTempTable(String name, String columns, OnCommit onCommit) {
    temp.create(name, columns, onCommit);
  }

  /** The session's temporary tables; opens no connection when there is none (then there are none). */
  public List<String> tempTables() {
    return temp.names();
  }

  public boolean dropTempTable(String name) {
    return temp.drop(name);
  }

  /** The H2 session of the connection (callers hold the lock and have opened it). */
  SessionLocal h2() {
    return h2;
  }

  /** Whether the session's SQL side has been closed; callers hold the lock. */
  boolean isClosedLocked() {
    return closed;
  }

  /** Whether the connection has been opened; callers hold the lock. */
  boolean hasConnectionLocked() {
    return conn != null;
  }

  // ---- transactions ----------------------------------------------------------------------------

  public TransactionImpl begin() {
    lock.lock();
    try {
      if (closed) {
        throw owner.closed();
      }
      if (tx != null) {
        throw new TransactionException("session " + owner.id() + " has a transaction open already; take a savepoint"
            + " to nest");
      }
      if (conn != null) {
        try {
          conn.setAutoCommit(false);
        } catch (SQLException e) {
          throw translate(e);
        }
      }
      tx = new TransactionImpl(this);
      owner.undoLog(tx.log);
      return tx;
    } finally {
      lock.unlock();
    }
  }

  /** The H2 savepoint for a new Ephemera savepoint at {@code depth}, or {@code null} with no connection yet. */
  Savepoint h2Savepoint(int depth) throws SQLException {
    // Names are reused by depth: H2 keeps every savepoint until the transaction ends and its
    // rollback-to-savepoint scans them all, so reusing names keeps that cost flat.
    return conn == null ? null : conn.setSavepoint("EPH_SP_" + depth);
  }

  /** Rolls H2 back to a savepoint ({@code null}: the connection was opened after it, so all of its work). */
  void h2RollbackTo(Savepoint sp) throws SQLException {
    if (conn != null) {
      if (sp == null) {
        conn.rollback();
      } else {
        conn.rollback(sp);
      }
    }
  }

  /** Ends the transaction in H2 (commit or rollback) and the engine's bookkeeping. Callers hold the lock. */
  void finish(TransactionImpl t, boolean commit) throws SQLException {
    try {
      if (conn != null) {
        if (commit) {
          conn.commit();
        } else {
          conn.rollback();
        }
        conn.setAutoCommit(true);
      }
    } finally {
      if (tx == t) {
        tx = null;
        owner.undoLog(null);
        owner.transactionEnded();
      }
    }
    if (commit) {
      live.deliver();
    } else {
      live.dropQueued();
    }
  }

  long statements() {
    return statements;
  }

  public long multiInserts() {
    lock.lock();
    try {
      return multiInserts;
    } finally {
      lock.unlock();
    }
  }

  // ---- live queries ----------------------------------------------------------------------------

  /** Starts a live query (see {@link LiveQueries#start}). */
  public LiveQuery live(String table, LiveListener listener) {
    return live.start(table, listener);
  }

  // ---- the end ---------------------------------------------------------------------------------

  /**
   * Releases everything, once, in order: roll back the open transaction, close the connection
   * (H2 drops the temporary tables with it), stop the live queries.
   */
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      live.dropQueued();
      TransactionImpl t = tx;
      tx = null;
      owner.undoLog(null);
      if (t != null) {
        t.ended();
      }
      if (conn != null) {
        try {
          if (!conn.getAutoCommit()) {
            conn.rollback();
          }
        } catch (SQLException e) {
          LOG.log(System.Logger.Level.DEBUG, "rolling back at session end failed", e);
        }
        prepared.clear(); // closed with the connection
        release(conn, h2, user);
        conn = null;
        user = null;
      }
      for (ParkedConnections.Parked p : parked.drain()) {
        release(p.conn(), p.h2(), p.user());
      }
      live.stopAll();
    } finally {
      lock.unlock();
    }
    live.forgetTempHubs();
  }

  /** The H2 user the connection runs as (under the lock; {@code null} before it opens). */
  PhysicalDatabase.H2User user() {
    return user;
  }

  boolean isClosed() {
    lock.lock();
    try {
      return closed;
    } finally {
      lock.unlock();
    }
  }

  /** The connection if it is open, without opening it; callers hold the lock. */
  Connection openConnectionOrNull() {
    return closed ? null : conn;
  }

  public SessionSettings settings() {
    return settings;
  }
}
