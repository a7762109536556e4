package dev.ephemera.internal;

import dev.ephemera.AccessDeniedException;
import dev.ephemera.AuditEventType;
import dev.ephemera.AuthLevel;
import dev.ephemera.AuthenticationException;
import dev.ephemera.ClientBinding;
import dev.ephemera.ClientInfo;
import dev.ephemera.Credentials;
import dev.ephemera.EndReason;
import dev.ephemera.Identity;
import dev.ephemera.LiveListener;
import dev.ephemera.LiveQuery;
import dev.ephemera.Names;
import dev.ephemera.TransactionException;
import dev.ephemera.OnCommit;
import dev.ephemera.QueryResult;
import dev.ephemera.ReauthenticationRequiredException;
import dev.ephemera.Session;
import dev.ephemera.SessionClosedException;
import dev.ephemera.SessionEngine;
import dev.ephemera.SessionInfo;
import dev.ephemera.SessionRecord;
import dev.ephemera.SessionState;
import dev.ephemera.SignInLockedException;
import dev.ephemera.Transaction;
import dev.ephemera.graph.TempGraph;
import dev.ephemera.internal.auth.UserIndex;
import dev.ephemera.internal.graph.GraphOwner;
import dev.ephemera.internal.graph.SessionGraphs;
import dev.ephemera.internal.sql.JdbcProxy;
import dev.ephemera.internal.sql.SessionConnection;
import dev.ephemera.internal.sql.SessionSettings;
import dev.ephemera.internal.sql.SqlOwner;
import dev.ephemera.internal.sql.SqlText;
import dev.ephemera.internal.sql.UndoLog;
import dev.ephemera.internal.util.EngineTime;
import dev.ephemera.internal.util.RandomBytes;
import dev.ephemera.internal.util.SaturatingMath;
import dev.ephemera.internal.util.Values;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A session. Its life is one int, {@code word}: the high bits say live, ending or ended, the low
 * bits count calls in flight. A call that holds resources ({@code signIn}, {@code fork}, later SQL)
 * enters and exits; ending while calls are in flight only marks the session ending, and the last
 * call out releases it, so nothing is torn down under a running call. Variable reads and writes
 * do not enter: they touch only the variable table, which ending does not tear down, and check
 * the word with one volatile read.
 *
 * <p>Activity is recorded with the engine's coarse clock and an unsynchronized operation counter
 * (exact when one thread at a time uses the session; concurrent use may undercount), so the hot
 * path never touches the registry or the expiry timer: the timer re-checks the last-active time
 * when it fires.
 *
 * <p>Why one class of this size: it holds one concern, the session object, whose state (life
 * word, token secret, activity, sign-in, selection, variables) sits in the object's own fields
 * because the hot calls read it there: resume + read is a chain of dependent cache misses (token
 * → registry slot → session → variables; benchmarks/README, "what limits resume"), and moving the
 * variables into the session object took one link off it; a separate token or state object would
 * put one back. What is not the session's own state lives elsewhere: SQL in {@code internal.sql}
 * (seen through {@link SqlOwner}), graphs in {@code internal.graph} ({@link GraphOwner}), the
 * per-user limit in {@code internal.auth} ({@link UserIndex.Member}), the store in
 * {@link Persistence}.
 */
final class SessionImpl extends VarTable implements Session, SqlOwner, GraphOwner, UserIndex.Member {
  static final int ENDING = 1 << 24;
  static final int ENDED = 2 << 24;
  private static final int COUNT = ENDING - 1;

  private static final VarHandle WORD;
  private static final VarHandle ENDING_REF;
  private static final VarHandle LAST;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      WORD = l.findVarHandle(SessionImpl.class, "word", int.class);
      ENDING_REF = l.findVarHandle(SessionImpl.class, "ending", Ending.class);
      LAST = l.findVarHandle(SessionImpl.class, "lastActive", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  final EngineImpl engine;
  final long createdAt;
  final ClientInfo client;

  /**
   * The token's secret part: 256 random bits as their 43 base64url characters, kept inline (no
   * array) as bytes 0-39 in five longs and bytes 39-42 in an int. Written under the lock, the
   * volatile {@code t5} last; read {@code t5} first, so a reader that sees a new secret's last
   * part sees all of it, and once a rotation returns the old token no longer matches anywhere.
   */
  private long t0;
  private long t1;
  private long t2;
  private long t3;
  private long t4;
  private volatile int t5;

  private volatile int word;
  /** How and when the session ended; {@code null} while it is live. Set once. */
  private volatile Ending ending;
  private long lastActive;
  /**
   * The coarse time at which {@link #active()} last passed the sign-in check ({@link #checkIn}),
   * so that later calls in the same tick skip it; reset whenever the sign-in deadline changes. A
   * plain field: a call racing with a change of the deadline may let the rest of that tick pass
   * unchecked (at most {@link EngineTime#slack()}), as a call racing with it always could.
   */
  private long checkedAt = Long.MIN_VALUE;
  private long ops;

  private volatile int priority;
  private volatile Identity identity;
  private volatile String namespace;
  private volatile String database;
  /** The open transaction's undo log, or {@code null}: variable writes record their old values in it. */
  volatile UndoLog undo;
  /** The SQL side, created on first use (it opens its H2 connection on its own first use). */
  private volatile SessionConnection sql;

  /** Links in the list of sessions waiting to be armed, guarded by the stripe (see {@link PendingArms}). */
  byte pendingStripe = PendingArms.NONE;
  SessionImpl pendingPrev;
  SessionImpl pendingNext;
  /** Set once the session is in the expiry timer (see {@link ExpiryTimer}). */
  volatile boolean armed;

  /** How a session ended: the reason is set once by whoever ends it, the time at release. */
  static final class Ending {
    final EndReason reason;
    volatile long at;

    Ending(EndReason reason) {
      this.reason = reason;
    }
  }

  /**
   * What few sessions need, allocated on first use so that an idle session is small: timer state
   * (a delayed kill, idle warnings), the sign-in's expiry, the temporary graphs and the store's
   * state. An engine with a store gives every session one.
   */
  volatile Extras extras;

  static final class Extras {
    /** When a delayed kill is due, or {@code Long.MAX_VALUE}. */
    volatile long killAt = Long.MAX_VALUE;
    /** The idle deadline an idle warning was last sent for, or {@code Long.MIN_VALUE}. */
    volatile long warnedFor = Long.MIN_VALUE;
    /** When the sign-in expires ({@code reauthInterval}), or {@code Long.MAX_VALUE}. */
    volatile long reauthAt = Long.MAX_VALUE;
    /** The temporary graphs, created on first use ({@link SessionGraphs#CLOSED} once released). */
    volatile SessionGraphs graphs;
    /** The graph the dialect's graph statements run on ({@link #useGraph}), upper case, or {@code null}. */
    volatile String currentGraph;
    /** What the engine's store knows of this session; {@code null} when the engine has no store. */
    volatile Persistence.State pstate;
  }

  Extras extras() {
    Extras r = extras;
    if (r == null) {
      synchronized (this) {
        r = extras;
        if (r == null) {
          extras = r = new Extras();
        }
      }
    }
    return r;
  }

  /** When the sign-in expires, or {@code Long.MAX_VALUE}. */
  private long reauthAt() {
    Extras r = extras;
    return r == null ? Long.MAX_VALUE : r.reauthAt;
  }

  /** Sets when the sign-in expires ({@code Long.MAX_VALUE}: never) without allocating for "never". */
  private void reauthAt(long at) {
    Extras r = extras;
    if (r != null) {
      r.reauthAt = at;
    } else if (at != Long.MAX_VALUE) {
      extras().reauthAt = at;
    }
    checkedAt = Long.MIN_VALUE; // a deadline already past must not wait for the next tick
  }

  long killAt() {
    Extras t = extras;
    return t == null ? Long.MAX_VALUE : t.killAt;
  }

  long warnedFor() {
    Extras t = extras;
    return t == null ? Long.MIN_VALUE : t.warnedFor;
  }

  SessionImpl(EngineImpl engine, RandomBytes.Stream random, ClientInfo client, long now) {
    super(random.nextLong(), (int) random.nextLong());
    this.engine = engine;
    setSecret(Base64Url.secretText(random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong()));
    this.client = client;
    this.createdAt = now;
    this.lastActive = now;
    if (engine.persistence != null) {
      Extras r = new Extras();
      r.pstate = new Persistence.State();
      extras = r;
    }
  }

  /**
   * A session restored from its store record ({@code key} parsed from the record's id). Its token
   * is known only by its hash until a resume presents it.
   */
  SessionImpl(EngineImpl engine, IdKey key, SessionRecord r) {
    super(key.hi, key.lo);
    this.engine = engine;
    this.client = r.client();
    this.createdAt = engine.time.nanos(r.createdAt());
    this.lastActive = engine.time.nanos(r.lastActiveAt());
    Persistence.State p = new Persistence.State();
    p.dormantHash = r.tokenHash();
    p.tokenHash = p.dormantHash;
    p.revision = r.revision();
    p.storedActive = lastActive;
    Extras rr = new Extras();
    rr.pstate = p;
    this.extras = rr;
    adopt(r);
  }

  /** Takes the record's state (identity, selection, variables, priority, sign-in expiry); callers hold the lock or own the session. */
  private void adopt(SessionRecord r) {
    identity = r.identity();
    namespace = r.namespace();
    database = r.database();
    priority = r.priority();
    reauthAt(r.reauthAt() == null ? Long.MAX_VALUE : engine.time.nanos(r.reauthAt()));
    persistState().signedInAt = r.signedInAt() == null ? Long.MIN_VALUE : engine.time.nanos(r.signedInAt());
    VarTable t = new VarTable();
    r.variables().forEach((k, v) -> t.put(k, v, Values.sizeOf(v), Long.MAX_VALUE, false));
    r.flash().forEach((k, v) -> t.put(Values.FLASH_PREFIX + k, v, Values.sizeOf(v), Long.MAX_VALUE, false));
    takeFrom(t);
  }

  /**
   * Takes the state another engine saved to the shared store (its revision differs from ours).
   * The token the caller presented matches the record, so it becomes this session's secret.
   *
   * @return the identity before, for the engine's per-user index
   */
  synchronized Identity refreshFrom(SessionRecord r, byte[] token) {
    Identity before = identity;
    adopt(r);
    Persistence.State p = persistState();
    setSecret(Arrays.copyOfRange(token, IdKey.CHARS, Base64Url.TOKEN_CHARS));
    p.tokenHash = r.tokenHash();
    p.dormantHash = null;
    p.revision = r.revision();
    return before;
  }

  Persistence.State persistState() {
    return extras.pstate;
  }

  /** Records the sign-in time a store keeps, so that a restart restores the per-user order; callers hold the lock or own the session. */
  void signedInNow() {
    Persistence.State p = persistStateIfAny();
    if (p != null) {
      p.signedInAt = engine.time.now();
    }
  }

  private Persistence.State persistStateIfAny() {
    Extras r = extras;
    return r == null ? null : r.pstate;
  }

  /** The revision of the record this session last saved or loaded. */
  long storedRevision() {
    return extras.pstate.revision;
  }

  /** This session as a store record, with a new revision; callers hold the lock. */
  synchronized SessionRecord record() {
    Map<String, Object> all = snapshot();
    Map<String, Object> variables = new LinkedHashMap<>();
    Map<String, Object> flash = new LinkedHashMap<>();
    all.forEach((k, v) -> {
      if (k.startsWith(Values.FLASH_PREFIX)) {
        flash.put(k.substring(Values.FLASH_PREFIX.length()), v);
      } else {
        variables.put(k, v);
      }
    });
    long last = lastActive();
    long expires = Math.min(SaturatingMath.add(last, engine.config.idleTimeoutNanos()),
        SaturatingMath.add(createdAt, engine.config.maxLifetimeNanos()));
    EngineTime t = engine.time;
    long r = reauthAt();
    long signedIn = persistState().signedInAt;
    return new SessionRecord(id(), tokenHash(), identity, namespace, database, variables, flash, priority, client,
        t.instant(createdAt), t.instant(last), r == Long.MAX_VALUE ? null : t.instant(r), t.instant(expires),
        engine.random.stream().nextLong(), identity == null || signedIn == Long.MIN_VALUE ? null : t.instant(signedIn));
  }

  /** SHA-256 of the current token; callers hold the lock. */
  private byte[] tokenHash() {
    Persistence.State p = persistStateIfAny();
    if (p.tokenHash == null) {
      String token = encodeToken();
      p.tokenHash = Persistence.sha256(token.getBytes(StandardCharsets.ISO_8859_1), token.length());
    }
    return p.tokenHash;
  }

  /** Tells the engine's store the session changed (nothing without a store). */
  private void changed() {
    Persistence ps = engine.persistence;
    if (ps != null) {
      ps.changed(this);
    }
  }

  /** Tells the engine's store the session was used (written if the stored activity is a second old). */
  void touched() {
    Persistence ps = engine.persistence;
    if (ps != null) {
      ps.touched(this);
    }
  }

  /** The session's transaction ended (commit or rollback): the store gets what it changed. */
  @Override
  public void transactionEnded() {
    Persistence ps = engine.persistence;
    if (ps != null && isLive()) {
      ps.transactionEnded(this);
    }
  }
  @Override
  public void undoLog(UndoLog log) {
    undo = log;
  }

  @Override
  public Session session() {
    return this;
  }

  @Override
  public SessionEngine engine() {
    return engine;
  }


  // ---- life ------------------------------------------------------------------------------

  @Override
  public boolean isLive() {
    return word < ENDING;
  }

  boolean inFlight() {
    return (word & COUNT) != 0;
  }

  /**
   * Checks the session is live and its sign-in fresh, and records the activity: the whole cost of
   * a hot call.
   */
  private void active() {
    if (word >= ENDING) {
      throw closed();
    }
    long now = engine.time.coarse();
    if (checkedAt != now) {
      checkIn(now);
    }
    ops++;
  }

  /**
   * The first {@link #active()} call of a tick: the sign-in check, and the activity recorded. The
   * rest of the tick's calls compare one field instead.
   */
  private void checkIn(long now) {
    Extras r = extras;
    if (r != null && now >= r.reauthAt) {
      throw reauthRequired();
    }
    if ((long) LAST.getOpaque(this) != now) {
      LAST.setOpaque(this, now);
    }
    checkedAt = now;
  }

  /** {@link #active()} for the calls allowed when the sign-in has expired (ping). */
  private void activeAnyway() {
    if (word >= ENDING) {
      throw closed();
    }
    ops++;
    LAST.setOpaque(this, engine.time.coarse());
  }

  private ReauthenticationRequiredException reauthRequired() {
    engine.audit(AuditEventType.ACCESS_DENIED, this, Map.of("reason", "sign-in expired (reauthInterval)"));
    return new ReauthenticationRequiredException(id(), Duration.ofNanos(engine.config.reauthNanos()));
  }

  /** Records an access the session was refused, and returns the exception. */
  @Override
  public AccessDeniedException denied(AccessDeniedException e, String reason) {
    auditDenied(reason);
    return e;
  }

  @Override
  public void auditDenied(String reason) {
    engine.audit(AuditEventType.ACCESS_DENIED, this, Map.of("reason", reason));
  }

  /** What of {@code other} does not match this session's binding ({@code "address"}, …), or null. */
  String bindingMismatch(ClientInfo other) {
    ClientBinding b = engine.config.binding();
    ClientInfo c = other == null ? ClientInfo.none() : other;
    boolean address = b.address() && client.address() != null && !client.address().equals(c.address());
    boolean certificate = b.certificate() && client.certificateFingerprint() != null
        && !client.certificateFingerprint().equals(c.certificateFingerprint());
    return address && certificate ? "address and certificate" : address ? "address" : certificate ? "certificate" : null;
  }

  /** Marks the session used now (resume); false if it has ended. */
  boolean resumeTouch() {
    if (word >= ENDING) {
      return false;
    }
    ops++;
    LAST.setOpaque(this, engine.time.coarse());
    return true;
  }

  /** Records activity at {@code now}: the timer does this for a session busy in a call. */
  void activeAt(long now) {
    LAST.setOpaque(this, now);
  }

  long lastActive() {
    return (long) LAST.getOpaque(this);
  }

  private void enter() {
    enterAnyway();
    if (engine.time.coarse() >= reauthAt()) {
      exit();
      throw reauthRequired();
    }
  }

  /** {@link #enter()} for the calls allowed when the sign-in has expired (sign-in). */
  private void enterAnyway() {
    for (;;) {
      int w = word;
      if (w >= ENDING) {
        throw closed();
      }
      if (WORD.compareAndSet(this, w, w + 1)) {
        ops++;
        LAST.setOpaque(this, engine.time.coarse());
        return;
      }
    }
  }

  private void exit() {
    int w = (int) WORD.getAndAdd(this, -1) - 1;
    LAST.setOpaque(this, engine.time.coarse());
    if (w == ENDING) {
      release();
    }
  }

  /**
   * Ends the session for {@code reason} if it has not ended yet. Its resources are released now,
   * or by the last call in flight when it returns.
   *
   * @return whether this call ended it
   */
  @Override
  public boolean end(EndReason reason) {
    if (!ENDING_REF.compareAndSet(this, null, new Ending(reason))) {
      // another end won: wait the few instructions until it marks the word, so that once any end()
      // has returned no call can enter (Lincheck: a kill said "already ended", then a sign-out ran)
      while (word < ENDING) {
        Thread.onSpinWait();
      }
      return false;
    }
    for (;;) {
      int w = word;
      if (WORD.compareAndSet(this, w, ENDING | (w & COUNT))) {
        if ((w & COUNT) == 0) {
          release();
        } else {
          SessionConnection q = sql;
          if (q != null) {
            q.cancelRunning(); // the call in flight fails fast and releases the session on its way out
          }
        }
        return true;
      }
    }
  }

  private void release() {
    ending.at = engine.time.coarse(); // before the word: a reader that sees ENDED reads the time too
    word = ENDED;
    engine.release(this);
  }

  /** Releases the SQL side (once: called from the engine's release). */
  void releaseResources() {
    SessionGraphs g = null;
    synchronized (this) {
      Extras r = extras;
      if (r != null) { // without one, no graph was made (and none can be: no call is in flight)
        g = r.graphs;
        r.graphs = SessionGraphs.CLOSED;
      }
    }
    if (g != null) {
      g.closeAll();
    }
    SessionConnection q = sql;
    if (q != null) {
      q.close();
    }
  }

  /** Runs {@code body} as a call: the session cannot be released under it. */
  @Override
  public <T> T call(SqlOwner.Work<T> body) {
    enter();
    try {
      return body.run();
    } catch (SQLException e) {
      throw new IllegalStateException(e); // bodies translate their own SQL errors
    } finally {
      exit();
    }
  }

  /** Like {@link #call}, letting the body's {@link SQLException} through (for the JDBC proxy). */
  @Override
  public <T> T callJdbc(SqlOwner.Work<T> body) throws SQLException {
    enter();
    try {
      return body.run();
    } finally {
      exit();
    }
  }

  @Override
  public SessionConnection sql() {
    SessionConnection q = sql;
    if (q == null) {
      synchronized (this) {
        q = sql;
        if (q == null) {
          sql = q = engine.newSessionConnection(this);
        }
      }
    }
    return q;
  }

  /** The SQL side if it exists. */
  SessionConnection sqlIfAny() {
    return sql;
  }

  /**
   * Records how to undo a change the session keeps outside H2 and its variables (temporary graphs
   * use this), if a transaction is open; a rollback past this point runs it.
   */
  @Override
  public void recordUndo(Runnable u) {
    UndoLog log = undo;
    if (log != null) {
      log.add(u::run);
    }
  }

  @Override
  public boolean inTransaction() {
    return undo != null;
  }

  @Override
  public <T> T inCall(Supplier<T> body) {
    enter();
    try {
      return body.get();
    } finally {
      exit();
    }
  }

  @Override
  public <T> T withSqlLock(GraphOwner.SqlWork<T> body) {
    return call(() -> {
      SessionConnection q = sql();
      q.lock.lock();
      try {
        return body.run(JdbcProxy.connection(q));
      } catch (SQLException e) {
        throw q.translate(e);
      } finally {
        q.lock.unlock();
      }
    });
  }

  @Override
  public SessionClosedException closed() {
    return new SessionClosedException(id(), ending.reason);
  }

  EndReason endReason() {
    Ending e = ending;
    return e == null ? null : e.reason;
  }

  long operations() {
    return ops;
  }

  long endedAt() {
    return ending.at;
  }

  Identity identity() {
    return identity;
  }

  /** The H2 rights this session's scope gives its connection, read consistently. */
  @Override
  public synchronized SessionConnection.Scope h2Scope() {
    Identity id = identity;
    if (id == null) {
      return NO_RIGHTS;
    }
    String schema = database == null ? null : Names.h2Schema(namespace, database);
    return new SessionConnection.Scope(id.level() == AuthLevel.ROOT && engine.config.rootFileAccess(), schema);
  }

  private static final SessionConnection.Scope NO_RIGHTS = new SessionConnection.Scope(false, null);

  /** After {@link #refreshFrom}: the H2 connection, if any, gets the rights of the scope read from the store. */
  void rescopeAfterRefresh() {
    rescope();
  }

  /**
   * Refuses a change of the selected database while a transaction holds work in the current one
   * (each namespace/database is its own H2 database: the work could not be committed or rolled
   * back with the rest).
   */
  private void refuseLeavingTransaction(String namespace, String database, String what) {
    SessionConnection q = sql;
    String schema = database == null ? null : Names.h2Schema(namespace, database);
    if (q != null && q.wouldLeaveTransaction(schema)) {
      throw new TransactionException("session " + id() + ": " + what + " would leave the H2 database of the open"
          + " transaction, whose work must be committed or rolled back there first (each namespace/database is its"
          + " own H2 database)");
    }
  }

  /** Gives the session's H2 connection, if it has one, the rights of its new scope. */
  private void rescope() {
    SessionConnection q = sql;
    if (q != null) {
      q.rescope();
    }
  }

  int priority() {
    return priority;
  }

  // ---- identity ----------------------------------------------------------------------------

  @Override
  public String id() {
    return idText(); // not cached: 4 bytes per session matter more than a short string per call
  }

  @Override
  public String token() {
    if (word >= ENDING) {
      throw closed();
    }
    synchronized (this) {
      Persistence.State p = persistStateIfAny();
      if (p != null && p.dormantHash != null) {
        throw new IllegalStateException("session " + id() + " was restored from the store and its token has not"
            + " been presented since: the engine keeps only its hash (resume it by token, or rotateToken())");
      }
      return encodeToken();
    }
  }

  private String encodeToken() {
    char[] out = new char[Base64Url.TOKEN_CHARS];
    Base64Url.encodeId(this, out, 0);
    byte[] text = new byte[Base64Url.SECRET_CHARS];
    int last = t5;
    Base64Url.putLong(text, 0, t0);
    Base64Url.putLong(text, 8, t1);
    Base64Url.putLong(text, 16, t2);
    Base64Url.putLong(text, 24, t3);
    Base64Url.putLong(text, 32, t4);
    Base64Url.putInt(text, 39, last);
    for (int i = 0; i < text.length; i++) {
      out[IdKey.CHARS + i] = (char) text[i];
    }
    return new String(out);
  }

  /** Whether the token's bytes (already known to carry this session's id bits) have the right secret. */
  boolean secretMatches(byte[] token) {
    // without a store there is no dormant secret: extras (at the object's far end) stays unread
    Persistence.State p = engine.persistence == null ? null : persistStateIfAny();
    if (p != null && p.dormantHash != null) {
      return dormantMatches(token);
    }
    int at = IdKey.CHARS;
    int last = t5;
    long diff = (Base64Url.longAt(token, at) ^ t0) | (Base64Url.longAt(token, at + 8) ^ t1)
        | (Base64Url.longAt(token, at + 16) ^ t2) | (Base64Url.longAt(token, at + 24) ^ t3)
        | (Base64Url.longAt(token, at + 32) ^ t4) | (Base64Url.intAt(token, at + 39) ^ last);
    return diff == 0;
  }

  /** A restored session's first resume: the token's hash against the stored one, then the token becomes the secret. */
  private synchronized boolean dormantMatches(byte[] token) {
    Persistence.State p = persistStateIfAny();
    if (p.dormantHash == null) {
      return secretMatches(token);
    }
    byte[] h = Persistence.sha256(token, Base64Url.TOKEN_CHARS);
    if (!MessageDigest.isEqual(h, p.dormantHash)) {
      return false;
    }
    setSecret(Arrays.copyOfRange(token, IdKey.CHARS, Base64Url.TOKEN_CHARS));
    p.dormantHash = null;
    return true;
  }

  private void setSecret(byte[] text) {
    t0 = Base64Url.longAt(text, 0);
    t1 = Base64Url.longAt(text, 8);
    t2 = Base64Url.longAt(text, 16);
    t3 = Base64Url.longAt(text, 24);
    t4 = Base64Url.longAt(text, 32);
    t5 = Base64Url.intAt(text, 39);
  }

  /** Draws a new secret; callers hold the lock. */
  private void newSecret() {
    RandomBytes.Stream r = engine.random.stream();
    setSecret(Base64Url.secretText(r.nextLong(), r.nextLong(), r.nextLong(), r.nextLong()));
    Persistence.State p = persistStateIfAny();
    if (p != null) {
      p.tokenHash = null;
      p.dormantHash = null;
    }
  }

  @Override
  public String rotateToken() {
    enter();
    try {
      String t;
      synchronized (this) {
        newSecret();
        t = encodeToken();
      }
      changed();
      engine.fireTokenRotated(this);
      engine.audit(AuditEventType.TOKEN_ROTATED, this, Map.of("cause", "rotate"));
      return t;
    } finally {
      exit();
    }
  }

  @Override
  public SessionState state() {
    if (word < ENDING) { // the word, not the end record: ACTIVE exactly as long as calls may enter
      return SessionState.ACTIVE;
    }
    return ending.reason.state();
  }

  @Override
  public SessionInfo info() {
    // the word first: it becomes ENDED only after the end record is set (and its time), so a reader
    // that sees ENDED finds both; reading the record first raced with an end (an NPE in listings)
    int w = word;
    Ending e = ending;
    EndReason r = e == null ? null : e.reason;
    long at = w == ENDED ? e.at : engine.time.now();
    long last = lastActive();
    return new SessionInfo(id(), r == null ? SessionState.ACTIVE : r.state(), r, identity, namespace, database,
        client, priority, engine.time.instant(createdAt), engine.time.instant(last),
        Duration.ofNanos(Math.max(0, at - last)), ops);
  }

  @Override
  public void close() {
    end(EndReason.CLOSED);
  }

  // ---- variables ---------------------------------------------------------------------------

  /** The session's variables: the session itself (see {@link VarTable#VarTable(long, int)}). */
  private VarTable vars() {
    return this;
  }

  /** Records a variable change in the audit log: its name, and its value only if the engine opted in. */
  private void auditVariable(String action, String name, Object value) {
    if (engine.audit != null) {
      engine.audit(AuditEventType.VARIABLE_CHANGED, this, engine.config.auditValues() && value != null
          ? EngineImpl.details("action", action, "variable", name, "value", render(value))
          : EngineImpl.details("action", action, "variable", name));
    }
  }

  private static String render(Object v) {
    return v instanceof byte[] b ? Base64.getEncoder().encodeToString(b) : String.valueOf(Values.export(v));
  }

  /** Refuses null and the flash prefix before a name meets the table (valid names pass untouched). */
  private static void precheck(String name) {
    if (name == null || (!name.isEmpty() && name.charAt(0) == '#')) {
      Names.check("variable", name);
    }
  }

  @Override
  public void set(String name, Object value) {
    precheck(name);
    active();
    Object v = Values.normalize(name, value);
    long size = Values.sizeOf(v);
    if (size > engine.config.maxValueBytes()) {
      throw Values.tooLarge(name, size, engine.config.maxValueBytes());
    }
    UndoLog log = undo;
    if (log == null) {
      vars().put(name, v, size, engine.config.maxSessionBytes(), true);
    } else {
      vars().put(log, name, v, size, engine.config.maxSessionBytes(), true);
    }
    changed();
    if (engine.audit != null) {
      auditVariable("set", name, v);
    }
  }

  @Override
  public Object get(String name) {
    precheck(name);
    active();
    Object v = getExported(name);
    if (v == VarTable.MISSING) {
      Names.check("variable", name);
      return null;
    }
    return v;
  }

  @Override
  public <T> T get(String name, Class<T> type) {
    Objects.requireNonNull(type, "type");
    precheck(name);
    active();
    Object v = lookup(name);
    if (v == VarTable.MISSING) {
      Names.check("variable", name);
      return null;
    }
    return Values.as(name, v, type);
  }

  @Override
  public boolean reset(String name) {
    precheck(name);
    active();
    UndoLog log = undo;
    if ((log == null ? remove(name) : remove(log, name)) == VarTable.MISSING) {
      Names.check("variable", name);
      return false;
    }
    changed();
    if (engine.audit != null) {
      auditVariable("reset", name, null);
    }
    return true;
  }

  @Override
  public void resetAll() {
    active();
    if (!isEmpty()) {
      UndoLog log = undo;
      if (log == null) {
        clear();
      } else {
        clear(log);
      }
      changed();
    }
    if (engine.audit != null) {
      auditVariable("reset all", "*", null);
    }
  }

  @Override
  public Map<String, Object> variables() {
    active();
    Map<String, Object> m = snapshot();
    m.keySet().removeIf(k -> k.startsWith(Values.FLASH_PREFIX));
    return Collections.unmodifiableMap(m);
  }

  @Override
  public void flash(String name, Object value) {
    Names.check("flash", name);
    active();
    Object v = Values.normalize(name, value);
    long size = Values.sizeOf(v);
    if (size > engine.config.maxValueBytes()) {
      throw Values.tooLarge(name, size, engine.config.maxValueBytes());
    }
    UndoLog log = undo;
    if (log == null) {
      vars().put(Values.FLASH_PREFIX + name, v, size, engine.config.maxSessionBytes(), false);
    } else {
      vars().put(log, Values.FLASH_PREFIX + name, v, size, engine.config.maxSessionBytes(), false);
    }
    changed();
    if (engine.audit != null) {
      auditVariable("flash", name, v);
    }
  }

  @Override
  public Object takeFlash(String name) {
    Names.check("flash", name);
    active();
    UndoLog log = undo;
    Object v = log == null ? remove(Values.FLASH_PREFIX + name) : remove(log, Values.FLASH_PREFIX + name);
    if (v == VarTable.MISSING) {
      return null;
    }
    changed();
    return Values.export(v);
  }

  /** The variables a fork starts with: a copy without flash values. */
  VarTable copyVariables() {
    return copyWithout(Values.FLASH_PREFIX);
  }

  // ---- activity ----------------------------------------------------------------------------

  @Override
  public void touch() {
    active();
    touched();
  }

  @Override
  public String ping() {
    activeAnyway();
    return "PONG";
  }

  @Override
  public void setPriority(int priority) {
    active();
    this.priority = priority;
    changed();
  }

  @Override
  public void setStatementTimeout(Duration limit) {
    active();
    sql().setStatementTimeout(limit);
  }

  @Override
  public Duration statementTimeout() {
    active();
    return sql().statementTimeout();
  }

  @Override
  public void setTimeZone(java.time.ZoneId zone) {
    Objects.requireNonNull(zone, "zone");
    call(() -> {
      sql().settings().setTimeZone(zone);
      return null;
    });
  }

  @Override
  public java.time.ZoneId timeZone() {
    active();
    SessionConnection q = sql;
    return q == null ? null : q.settings().timeZone();
  }

  @Override
  public void setIsolationLevel(String level) {
    Objects.requireNonNull(level, "level");
    call(() -> {
      sql().settings().setIsolation(level);
      return null;
    });
  }

  @Override
  public String isolationLevel() {
    active();
    SessionConnection q = sql;
    return q == null ? SessionSettings.DEFAULT_ISOLATION : q.settings().isolation();
  }

  @Override
  public Session fork() {
    enter();
    try {
      return engine.fork(this);
    } finally {
      exit();
    }
  }

  /**
   * The sign-in a session has now, for a later {@link EngineImpl#renew}: its identity, selection,
   * priority and re-authentication deadline (a renewed session does not get a new sign-in time).
   */
  record Origin(Identity identity, String namespace, String database, int priority, long reauthAt) {}

  /** The sign-in this session has now. */
  synchronized Origin origin() {
    return new Origin(identity, namespace, database, priority, reauthAt());
  }

  /** Starts from {@code o} (a new session, before it is registered); returns its identity. */
  synchronized Identity startFrom(Origin o) {
    identity = o.identity();
    namespace = o.namespace();
    database = o.database();
    priority = o.priority();
    reauthAt(o.reauthAt());
    return identity;
  }

  @Override
  public Object sqlOrigin() {
    return origin();
  }

  @Override
  public Session renew(Object origin) {
    return engine.renew(this, (Origin) origin);
  }

  /** Copies what a fork inherits into {@code child}, under this session's lock. */
  synchronized Identity copyInto(SessionImpl child) {
    child.identity = identity;
    child.namespace = namespace;
    child.database = database;
    child.priority = priority;
    child.reauthAt(reauthAt());
    VarTable copy = copyVariables();
    if (copy != null) {
      child.takeFrom(copy);
    }
    return identity;
  }

  // ---- sign-in -----------------------------------------------------------------------------

  @Override
  public Identity signIn(Credentials credentials) {
    Objects.requireNonNull(credentials, "credentials");
    enterAnyway();
    try {
      Identity claimed = credentials.identity();
      String[] next; // the database the sign-in would select, as below (checked outside the lock: the
      synchronized (this) { // SQL side takes this lock under its own)
        next = switch (claimed.level()) {
          case DATABASE -> new String[] {claimed.namespace(), claimed.database()};
          case NAMESPACE -> new String[] {claimed.namespace(), claimed.namespace().equals(namespace) ? database : null};
          case ROOT -> new String[] {namespace, database};
        };
      }
      refuseLeavingTransaction(next[0], next[1], "signIn");
      Identity id;
      try {
        engine.throttle.check(claimed.user(), claimed.key(), client.address());
        id = engine.authenticate(credentials);
      } catch (AuthenticationException | SignInLockedException e) {
        boolean locked = e instanceof SignInLockedException
            || engine.throttle.failed(claimed.key(), client.address());
        engine.audit(AuditEventType.AUTH_FAILED, this, client, claimed.user(), EngineImpl.details(
            "level", claimed.level().name().toLowerCase(Locale.ROOT),
            "reason", e instanceof AuthenticationException
                ? (locked ? "credentials refused; too many failures, locked out" : "credentials refused")
                : "locked out"));
        throw e;
      }
      engine.throttle.succeeded(claimed.key(), client.address());
      Persistence ps = engine.persistence;
      if (ps != null && ps.shared && !id.equals(identity)) {
        ps.admitShared(this, id);
      }
      synchronized (this) {
        Identity old = identity;
        if (!id.equals(old)) {
          if (!engine.users.admit(this, id)) {
            throw closed(); // ended before its sign-in could take effect: nothing changed
          }
          if (old != null) {
            engine.users.remove(this, old);
          }
          signedInNow();
        }
        String oldNs = namespace;
        String oldDb = database;
        identity = id;
        switch (id.level()) {
          case DATABASE -> {
            namespace = id.namespace();
            database = id.database();
          }
          case NAMESPACE -> {
            namespace = id.namespace();
            database = id.namespace().equals(oldNs) ? oldDb : null;
          }
          case ROOT -> { } // keeps its selection: root may use any
        }
        long reauth = engine.config.reauthNanos();
        reauthAt(reauth == Long.MAX_VALUE ? Long.MAX_VALUE : SaturatingMath.add(engine.time.now(), reauth));
        newSecret();
      }
      if (!isLive()) {
        return id; // ended just after its sign-in took effect (the sign-in counts; the next call says it ended)
      }
      rescope();
      changed();
      engine.fireSignedIn(this);
      engine.audit(AuditEventType.AUTH_SUCCEEDED, this, EngineImpl.details(
          "level", id.level().name().toLowerCase(Locale.ROOT)));
      engine.audit(AuditEventType.TOKEN_ROTATED, this, Map.of("cause", "sign-in"));
      return id;
    } finally {
      exit();
    }
  }

  @Override
  public void signOut() {
    enter();
    try {
      refuseLeavingTransaction(null, null, "signOut()");
      synchronized (this) {
        Identity old = identity;
        if (old != null) {
          engine.users.remove(this, old);
        }
        identity = null;
        namespace = null;
        database = null;
        reauthAt(Long.MAX_VALUE);
        newSecret();
      }
      rescope();
      changed();
      engine.fireSignedOut(this);
      engine.audit(AuditEventType.TOKEN_ROTATED, this, Map.of("cause", "sign-out"));
    } finally {
      exit();
    }
  }

  @Override
  public void use(String namespace, String database) {
    Names.check("namespace", namespace);
    if (database != null) {
      Names.check("database", database);
    }
    enter();
    try {
      refuseLeavingTransaction(namespace, database, "use(" + namespace + ", " + database + ")");
      synchronized (this) {
        Identity id = identity;
        if (id == null) {
          throw denied(new AccessDeniedException("session " + id() + " is not signed in; sign in before selecting a"
              + " namespace"), "use " + namespace + (database == null ? "" : "/" + database) + ": not signed in");
        }
        if (!id.mayUse(namespace, database)) {
          throw denied(new AccessDeniedException("user " + id.key() + " may not use namespace '" + namespace + "'"
              + (database == null ? "" : " database '" + database + "'") + " (session " + id() + ")"),
              "use " + namespace + (database == null ? "" : "/" + database) + ": outside the user's scope");
        }
        this.namespace = namespace;
        this.database = database;
      }
      rescope();
      changed();
    } finally {
      exit();
    }
  }

  // ---- SQL ---------------------------------------------------------------------------------

  @Override
  public int execute(String sql, Object... params) {
    return call(() -> sql().execute(sql, params));
  }

  @Override
  public int[] executeBatch(String sql, List<Object[]> rows) {
    return call(() -> sql().executeBatch(sql, rows));
  }

  @Override
  public QueryResult query(String sql, Object... params) {
    return call(() -> sql().query(sql, params));
  }

  @Override
  public Connection jdbc() {
    return call(() -> JdbcProxy.connection(sql()));
  }

  // ---- temporary graphs ---------------------------------------------------------------------

  private SessionGraphs graphs() {
    SessionGraphs g = graphsIfAny();
    if (g == null) {
      synchronized (this) {
        Extras r = extras();
        g = r.graphs;
        if (g == null) {
          r.graphs = g = engine.newSessionGraphs(this);
        }
      }
    }
    return g;
  }

  private SessionGraphs graphsIfAny() {
    Extras r = extras;
    return r == null ? null : r.graphs;
  }

  @Override
  public TempGraph createTempGraph(String name) {
    return createTempGraph(name, 0, 0);
  }

  @Override
  public TempGraph createTempGraph(String name, long expectedNodes, long expectedEdges) {
    return call(() -> graphs().create(name, expectedNodes, expectedEdges));
  }

  @Override
  public TempGraph tempGraph(String name) {
    return call(() -> graphs().get(name));
  }

  @Override
  public List<String> tempGraphs() {
    return call(() -> {
      SessionGraphs g = graphsIfAny();
      return g == null ? List.<String>of() : g.names();
    });
  }

  @Override
  public boolean dropTempGraph(String name) {
    String key = SessionGraphs.graphName(name);
    return call(() -> {
      SessionGraphs g = graphsIfAny();
      if (g == null) {
        return false;
      }
      synchronized (g) { // against a useGraph of the same graph (see there)
        boolean dropped = g.drop(name);
        if (dropped && key.equals(currentGraph())) {
          extras.currentGraph = null;
        }
        return dropped;
      }
    });
  }

  @Override
  public String currentGraph() {
    Extras r = extras;
    return r == null ? null : r.currentGraph;
  }

  @Override
  public void useGraph(String name) {
    String key = SessionGraphs.graphName(name);
    call(() -> {
      SessionGraphs g = graphs();
      // SessionGraphs creates and drops under its monitor: holding it, the graph cannot be dropped
      // between the check and the selection (a drop clears the selection under it too)
      synchronized (g) {
        g.get(key);
        extras().currentGraph = key;
      }
      return null;
    });
  }

  /** The off-heap bytes of this session's graphs now. */
  long graphBytes() {
    SessionGraphs g = graphsIfAny();
    return g == null ? 0 : g.offHeapBytes();
  }

  @Override
  public void createTempTable(String name, String columns) {
    createTempTable(name, columns, OnCommit.PRESERVE_ROWS);
  }

  @Override
  public void createTempTable(String name, String columns, OnCommit onCommit) {
    call(() -> {
      sql().createTempTable(name, columns, onCommit);
      return null;
    });
  }

  @Override
  public List<String> tempTables() {
    return call(() -> {
      SessionConnection q = sql;
      return q == null ? List.<String>of() : q.tempTables();
    });
  }

  @Override
  public boolean dropTempTable(String name) {
    SqlText.tableName(name);
    return call(() -> {
      SessionConnection q = sql;
      return q != null && q.dropTempTable(name);
    });
  }

  @Override
  public Transaction begin() {
    return call(() -> sql().begin());
  }

  @Override
  public Transaction transaction() {
    active();
    SessionConnection q = sql;
    if (q == null) {
      return null;
    }
    q.lock.lock();
    try {
      return q.tx;
    } finally {
      q.lock.unlock();
    }
  }

  @Override
  public LiveQuery live(String table, LiveListener listener) {
    return call(() -> sql().live(table, listener));
  }

  @Override
  public String toString() {
    EndReason r = endReason();
    return "Session[" + id() + ", " + (r == null ? "ACTIVE" : r.state() + " (" + r.description() + ")")
        + (identity == null ? "" : ", " + identity.key()) + "]";
  }
}
