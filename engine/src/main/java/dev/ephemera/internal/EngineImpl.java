package dev.ephemera.internal;

import dev.ephemera.AuditEvent;
import dev.ephemera.AuditEventType;
import dev.ephemera.AuthenticationException;
import dev.ephemera.BindingViolation;
import dev.ephemera.CapacityPolicy;
import dev.ephemera.ClientBinding;
import dev.ephemera.ClientInfo;
import dev.ephemera.CorruptRecordException;
import dev.ephemera.Credentials;
import dev.ephemera.EndReason;
import dev.ephemera.EngineClosedException;
import dev.ephemera.EngineStats;
import dev.ephemera.Identity;
import dev.ephemera.InvalidNameException;
import dev.ephemera.Names;
import dev.ephemera.Session;
import dev.ephemera.SessionBindingException;
import dev.ephemera.SessionEngine;
import dev.ephemera.SessionFilter;
import dev.ephemera.SessionInfo;
import dev.ephemera.SessionLimitException;
import dev.ephemera.SessionNotFoundException;
import dev.ephemera.SessionRecord;
import dev.ephemera.SessionState;
import dev.ephemera.Users;
import dev.ephemera.internal.audit.AuditDispatcher;
import dev.ephemera.internal.auth.SignInThrottle;
import dev.ephemera.internal.auth.UserIndex;
import dev.ephemera.internal.auth.UserRegistry;
import dev.ephemera.internal.graph.GraphRuntime;
import dev.ephemera.internal.graph.SessionGraphs;
import dev.ephemera.internal.spi.SqlBridge;
import dev.ephemera.internal.sql.H2Database;
import dev.ephemera.internal.sql.SessionConnection;
import dev.ephemera.internal.util.Chronicle;
import dev.ephemera.internal.util.EngineTime;
import dev.ephemera.internal.util.RandomBytes;
import dev.ephemera.internal.util.SaturatingMath;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The engine: the registry of live sessions (a {@link SessionTable} by id), the expiry
 * timer, the user registry and limits, the listeners and the counters. It owns one daemon thread
 * ({@code ephemera-engine-N}) unless time is injected.
 */
public final class EngineImpl implements SessionEngine {
  private static final System.Logger LOG = System.getLogger("dev.ephemera");
  private static final AtomicInteger ENGINES = new AtomicInteger();

  final EngineConfig config;
  /** Whether sessions are bound to their client ({@code config.binding()} is not {@code NONE}): resume checks it. */
  private final boolean bound;
  final EngineTime time;
  final RandomBytes random;
  final UserIndex users;
  private final UserRegistry registry;
  private final Listeners listeners;
  private final SessionTable<SessionImpl> sessions = new SessionTable<>();
  private final ScheduledThreadPoolExecutor thread;
  private final ExpiryTimer timers;
  private final AtomicBoolean closed = new AtomicBoolean();
  final H2Database db;
  /** Writes the audit log, or {@code null} when the engine has no audit sink. */
  final AuditDispatcher audit;
  final SignInThrottle throttle;
  /** The link to the session store, or {@code null} when sessions are not persisted. */
  final Persistence persistence;

  private final AtomicInteger live = new AtomicInteger();
  private final AtomicLong peak = new AtomicLong();
  private final LongAdder opened = new LongAdder();
  private final LongAdder[] endedBy = new LongAdder[EndReason.values().length];
  private final LongAdder endedNanos = new LongAdder();
  private final LongAdder endedOps = new LongAdder();
  private final AtomicLong openGraphs = new AtomicLong();

  public EngineImpl(EngineConfig config) {
    Chronicle.configure();
    this.config = config;
    this.bound = config.binding() != ClientBinding.NONE;
    this.time = new EngineTime(config.ticker(), config.clock());
    this.random = new RandomBytes(config.random());
    this.users = new UserIndex(config.maxSessionsPerUser(), config.exceedPolicy());
    this.registry = new UserRegistry(config.random(), config.passwordIterations(), this::killIdentity);
    this.listeners = new Listeners(config.listeners());
    for (int i = 0; i < endedBy.length; i++) {
      endedBy[i] = new LongAdder();
    }
    if (config.rootUser() != null) {
      registry.create(Credentials.root(config.rootUser(), config.rootPassword()));
    }
    int number = ENGINES.incrementAndGet();
    String name = "ephemera-engine-" + number;
    this.db = new H2Database(config.database(), name, config.random(),
        SqlBridge.extensions().stream().map(x -> (H2Database.Installer) x::install).toList());
    this.throttle = new SignInThrottle(config.maxFailedSignIns(), config.lockoutNanos(), time);
    this.audit = config.auditSink() == null ? null
        : new AuditDispatcher(config.auditSink(), config.auditBuffer(), "ephemera-audit-" + number);
    if (time.manual()) {
      this.thread = null;
    } else {
      this.thread = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
      });
      thread.setRemoveOnCancelPolicy(true);
    }
    this.timers = new ExpiryTimer(this, time, thread);
    this.persistence = config.store() == null ? null : new Persistence(this, config.store(), config.writeBehindNanos());
    if (config.warmUpGraphs()) {
      GraphRuntime.warmUpInBackground();
    }
    if (persistence != null) {
      try {
        persistence.start(); // purges expired records, restores the others
      } catch (RuntimeException | Error e) {
        close();
        throw e;
      }
    }
    if (thread != null) {
      thread.scheduleAtFixedRate(this::tick, EngineTime.TICK_NANOS, EngineTime.TICK_NANOS, TimeUnit.NANOSECONDS);
      if (persistence != null && persistence.writeBehindNanos() > 0) {
        long every = persistence.writeBehindNanos();
        thread.scheduleWithFixedDelay(this::flush, every, every, TimeUnit.NANOSECONDS);
      }
    }
  }

  private void flush() {
    try {
      persistence.flush();
    } catch (RuntimeException | Error e) {
      LOG.log(System.Logger.Level.ERROR, "ephemera write-behind flush failed", e);
    }
  }

  private void tick() {
    try {
      db.cancelOverdue(time.now());
      timers.tick();
    } catch (RuntimeException | Error e) {
      LOG.log(System.Logger.Level.ERROR, "ephemera engine tick failed", e);
    }
  }

  // ---- opening -------------------------------------------------------------------------------

  @Override
  public Session open() {
    return open(ClientInfo.none());
  }

  @Override
  public Session open(ClientInfo client) {
    Objects.requireNonNull(client, "client (use ClientInfo.none())");
    SessionImpl s = create(client);
    register(s);
    stored(s);
    fireOpened(s);
    audit(AuditEventType.SESSION_CREATED, s, Map.of());
    return s;
  }

  /** A new session with a reserved place under {@code maxSessions}, not yet registered. */
  private SessionImpl create(ClientInfo client) {
    if (closed.get()) {
      throw new EngineClosedException();
    }
    reserve();
    return new SessionImpl(this, random.stream(), client, time.coarse());
  }

  private void register(SessionImpl s) {
    sessions.put(s);
    opened.increment();
    timers.schedule(s);
    if (closed.get()) { // raced with close(): it may not have seen this session
      s.end(EndReason.ENGINE_SHUTDOWN);
      throw new EngineClosedException();
    }
  }

  /** Saves a new session's first record; if that fails, the session ends and the caller gets the error. */
  private void stored(SessionImpl s) {
    if (persistence != null) {
      try {
        persistence.changed(s);
      } catch (RuntimeException e) {
        s.end(EndReason.CLOSED);
        throw e;
      }
    }
  }

  /**
   * Registers a session restored from its store record (at start-up, or a resume from a shared
   * store); returns the session registered under its id (another thread may have restored it first).
   */
  SessionImpl restore(SessionRecord r) {
    IdKey key = IdKey.parse(r.id());
    if (key == null) {
      throw new CorruptRecordException(r.id(), "not a session id");
    }
    SessionImpl s = new SessionImpl(this, key, r);
    reserve();
    SessionImpl had = sessions.putIfAbsent(s);
    if (had != null) {
      live.decrementAndGet();
      return had;
    }
    Identity id = s.identity();
    if (id != null) {
      try {
        users.admit(s, id);
      } catch (SessionLimitException e) { // the limit is lower than when it was saved: keep it all the same
        LOG.log(System.Logger.Level.WARNING, "restored session " + r.id() + " is over its user's limit: " + e.getMessage());
      }
    }
    persistence.restored.increment();
    timers.schedule(s);
    if (closed.get()) {
      s.end(EndReason.ENGINE_SHUTDOWN);
      throw new EngineClosedException();
    }
    return s;
  }

  /** Ends the local session {@code id} if this engine holds it live; whether it did. */
  boolean endLocal(String id, EndReason reason) {
    IdKey key = IdKey.parse(id);
    SessionImpl s = key == null ? null : sessions.get(key);
    return s != null && s.end(reason);
  }

  private void reserve() {
    int max = config.maxSessions();
    for (;;) {
      int n = live.get();
      if (n < max) {
        if (live.compareAndSet(n, n + 1)) {
          if (n + 1 > peak.get()) {
            peak.accumulateAndGet(n + 1, Math::max);
          }
          return;
        }
        continue;
      }
      if (config.capacityPolicy() == CapacityPolicy.REFUSE_NEW) {
        throw new SessionLimitException("the engine holds " + n + " sessions, its maximum (maxSessions "
            + max + ", REFUSE_NEW)", max);
      }
      SessionImpl victim = lowestPriority();
      if (victim != null) {
        victim.end(EndReason.EVICTED_FOR_PRIORITY);
      } else {
        Thread.onSpinWait(); // places taken by sessions still being registered or released
      }
    }
  }

  /** The live session with the lowest priority, longest idle among equals (a scan: only when full). */
  private SessionImpl lowestPriority() {
    SessionImpl best = null;
    for (SessionImpl s : sessions.values()) {
      if (s.isLive() && (best == null || s.priority() < best.priority()
          || (s.priority() == best.priority() && s.lastActive() < best.lastActive()))) {
        best = s;
      }
    }
    return best;
  }

  /** Opens a fork of {@code parent}; called inside the parent's {@code fork()} call. */
  Session fork(SessionImpl parent) {
    SessionImpl child = spawn(parent.client, parent::copyInto, Map.of("forked_from", parent.id()));
    if (listeners.any()) {
      SessionInfo p = parent.info();
      SessionInfo c = child.info();
      listeners.fire(l -> l.forked(p, c));
    }
    return child;
  }

  /**
   * Ends {@code old} and opens a new session of its client that starts from {@code origin} (a
   * sign-in {@code old} had): what a pooled driver connection becomes when it is reset. The old
   * session is closed first, so a per-user limit counts the pair once.
   */
  Session renew(SessionImpl old, SessionImpl.Origin origin) {
    old.close();
    return spawn(old.client, child -> child.startFrom(origin), Map.of("renewed_from", old.id()));
  }

  /** Creates, admits (with the identity {@code init} gives it), registers and announces a session. */
  private SessionImpl spawn(ClientInfo client, java.util.function.Function<SessionImpl, Identity> init,
      Map<String, String> details) {
    SessionImpl child = create(client);
    try {
      Identity id = init.apply(child);
      if (id != null) {
        users.admit(child, id);
        child.signedInNow();
      }
    } catch (RuntimeException e) {
      live.decrementAndGet();
      throw e;
    }
    register(child);
    stored(child);
    fireOpened(child);
    audit(AuditEventType.SESSION_CREATED, child, details);
    return child;
  }

  SessionGraphs newSessionGraphs(SessionImpl s) {
    return new SessionGraphs(s, openGraphs, config.maxGraphBytes(), dev.ephemera.internal.graph.query.CypherLanguage.INSTANCE);
  }

  SessionConnection newSessionConnection(SessionImpl s) {
    return new SessionConnection(s, db, config.maxTempTables(), config.maxTempRows(), time,
        config.statementTimeoutNanos());
  }


  @Override
  public String databaseUrl() {
    return db.url(null);
  }

  @Override
  public String databaseUrl(String namespace, String database) {
    return db.url(Names.h2Schema(namespace, database));
  }

  // ---- finding -------------------------------------------------------------------------------

  @Override
  public Session resume(String token) {
    return resume(token, null);
  }

  @Override
  @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int): exact once narrow(token) holds
  public Session resume(String token, ClientInfo client) {
    if (closed.get()) {
      throw new EngineClosedException();
    }
    if (token == null || token.length() != Base64Url.TOKEN_CHARS) {
      throw new SessionNotFoundException();
    }
    if (!narrow(token)) { // the copy below keeps only each char's low byte: 'Ł' (U+0141) would pass for 'A'
      throw new SessionNotFoundException();
    }
    byte[] bytes = TOKEN_BUFFER.get();
    token.getBytes(0, Base64Url.TOKEN_CHARS, bytes, 0); // no array per call; chars 0x80-0xFF are not base64url
    long high = Base64Url.idHigh(bytes);
    long low = Base64Url.idLow(bytes);
    SessionImpl s;
    if ((high | low) < 0) { // not base64url
      s = null;
    } else if (persistence != null && persistence.shared) {
      bytes = bytes.clone(); // the store and the listeners it may fire can resume on this thread
      s = resumeShared(new IdKey((high << 4) | (low >>> 32), (int) low), bytes);
    } else {
      s = sessions.get((high << 4) | (low >>> 32), (int) low);
    }
    if (s == null || !s.secretMatches(bytes) || !s.isLive()) {
      throw new SessionNotFoundException();
    }
    String mismatch = bound ? s.bindingMismatch(client) : null;
    if (mismatch != null) {
      boolean kill = config.bindingViolation() == BindingViolation.REFUSE_AND_KILL;
      ClientInfo c = client == null ? ClientInfo.none() : client;
      audit(AuditEventType.BINDING_REFUSED, s, c, userOf(s), details("mismatch", mismatch, "action",
          kill ? "refused, session killed" : "refused"));
      boolean killed = kill && s.end(EndReason.KILLED);
      throw new SessionBindingException(s.id(), mismatch, killed);
    }
    if (!s.resumeTouch()) {
      throw new SessionNotFoundException();
    }
    if (persistence != null) {
      s.touched();
    }
    if (listeners.any()) {
      SessionInfo i = s.info();
      listeners.fire(l -> l.resumed(i));
    }
    return s;
  }

  /**
   * Each thread's copy of the token being resumed: the fast path reads it before anything that
   * could resume again on the same thread (listeners, a store), and the shared-store path works on
   * its own copy. 59 bytes per thread that ever resumed; a plain {@code byte[]}, so it pins no
   * class loader. (On virtual threads, one per request, the first resume of each thread pays for
   * the thread's map and the buffer: more than the array it saves. Not measured; Java 17 has none.)
   */
  private static final ThreadLocal<byte[]> TOKEN_BUFFER = ThreadLocal.withInitial(() -> new byte[Base64Url.TOKEN_CHARS]);

  /**
   * Whether every char of {@code s} fits in one byte. About 2.5 ns for a token (HotPathBenchmark
   * resumeAndGet: 74 ns with it, 72 without); what it replaces, a fresh array from
   * {@code getBytes(ISO_8859_1)}, cost about 14 ns.
   */
  static boolean narrow(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) > 0xFF) {
        return false;
      }
    }
    return true;
  }

  /**
   * A resume from a store other engines share: the store's record is the truth. No record: the
   * session ended elsewhere (closed, killed, expired), and a local copy ends too. A record with
   * another revision than the local copy's: another engine changed it, and the local copy takes
   * its state. No local copy: the session is restored from the record.
   */
  private SessionImpl resumeShared(IdKey key, byte[] token) {
    String id = key.idText();
    SessionRecord r = persistence.load(id).orElse(null);
    SessionImpl local = sessions.get(key);
    if (r == null || r.expiredAt(time.instant(time.now()))) {
      if (local != null) {
        local.end(r == null ? EndReason.KILLED : EndReason.IDLE_TIMEOUT);
      }
      return null;
    }
    if (!MessageDigest.isEqual(r.tokenHash(), Persistence.sha256(token, Base64Url.TOKEN_CHARS))) {
      return null; // a wrong token, or one rotated away on another engine
    }
    if (local == null || !local.isLive()) {
      return restore(r);
    }
    if (local.storedRevision() != r.revision()) {
      Identity before = local.refreshFrom(r, token);
      Identity after = local.identity();
      if (!Objects.equals(before, after)) {
        if (before != null) {
          users.remove(local, before);
        }
        if (after != null) {
          users.admit(local, after);
        }
      }
      local.rescopeAfterRefresh();
    }
    return local;
  }

  private SessionImpl find(String id) {
    IdKey key = IdKey.parse(id);
    if (key == null) {
      throw new InvalidNameException("not a session id (" + IdKey.PREFIX + " and " + IdKey.CHARS
          + " base64url characters): " + (id == null ? "null" : id.length() > 40 ? "a text of " + id.length()
          + " characters" : "'" + id.replaceAll("[^\\x20-\\x7e]", "?") + "'"));
    }
    SessionImpl s = sessions.get(key);
    return s != null && s.isLive() ? s : null;
  }

  @Override
  public Optional<SessionInfo> session(String id) {
    return Optional.ofNullable(find(id)).map(SessionImpl::info);
  }

  @Override
  public List<SessionInfo> sessions() {
    return sessions(SessionFilter.all());
  }

  @Override
  public List<SessionInfo> sessions(SessionFilter filter) {
    Objects.requireNonNull(filter, "filter");
    List<SessionImpl> seen = new ArrayList<>();
    List<SessionInfo> infos = new ArrayList<>();
    for (SessionImpl s : sessions.values()) {
      if (s.isLive()) {
        SessionInfo i = s.info();
        if (i.state() == SessionState.ACTIVE && filter.matches(i)) { // not one that began to end since
          seen.add(s);
          infos.add(i);
        }
      }
    }
    // A listing reads one session at a time: one read early may have ended (evicted by a sign-in
    // read later) before the scan was over. Keeping only those still live, with the identity read,
    // once the scan is over makes every session listed live at one moment, so a user limited to n
    // sessions never shows more than n in one listing. (An end sets the reason before the word: both
    // are checked, so a session caught between the two is not listed as active.)
    List<SessionInfo> out = new ArrayList<>(infos.size());
    for (int k = 0; k < seen.size(); k++) {
      SessionImpl s = seen.get(k);
      if (s.isLive() && s.endReason() == null && Objects.equals(s.identity(), infos.get(k).identity())) {
        out.add(infos.get(k));
      }
    }
    Comparator<SessionInfo> order = switch (filter.order()) {
      case AGE -> Comparator.comparing(SessionInfo::createdAt).thenComparing(SessionInfo::id);
      case IDLE -> Comparator.comparing(SessionInfo::idle).reversed().thenComparing(SessionInfo::id);
      case ID -> Comparator.comparing(SessionInfo::id);
    };
    out.sort(order);
    return out.size() > filter.limit() ? List.copyOf(out.subList(0, filter.limit())) : List.copyOf(out);
  }

  // ---- administration ------------------------------------------------------------------------

  @Override
  public boolean kill(String id) {
    SessionImpl s = find(id);
    if (s == null && persistence != null && persistence.shared) {
      return persistence.deleteRecord(id); // held by another engine: it sees the kill at the next resume
    }
    return s != null && s.end(EndReason.KILLED);
  }

  @Override
  public boolean kill(String id, Duration grace) {
    Objects.requireNonNull(grace, "grace");
    if (grace.isNegative()) {
      throw new IllegalArgumentException("grace must not be negative: " + grace);
    }
    SessionImpl s = find(id);
    if (s == null) {
      return false;
    }
    if (grace.isZero()) {
      s.end(EndReason.KILLED);
      return true;
    }
    long at = SaturatingMath.add(time.now(), grace.toNanos());
    SessionImpl.Extras ts = s.extras();
    synchronized (ts) {
      if (at < ts.killAt) {
        ts.killAt = at;
      }
    }
    if (listeners.any()) {
      SessionInfo i = s.info();
      listeners.fire(l -> l.killWarning(i, grace));
    }
    timers.arm(s);
    return true;
  }

  @Override
  public int killUser(String user) {
    Names.check("user", user);
    int n = 0;
    for (SessionImpl s : sessions.values()) {
      Identity id = s.identity();
      if (id != null && id.user().equals(user) && s.end(EndReason.KILLED)) {
        n++;
      }
    }
    return n;
  }

  private void killIdentity(Identity identity) {
    for (SessionImpl s : sessions.values()) {
      if (identity.equals(s.identity())) {
        s.end(EndReason.KILLED);
      }
    }
  }

  @Override
  public int cleanup(Duration idleLongerThan) {
    Objects.requireNonNull(idleLongerThan, "idleLongerThan");
    if (idleLongerThan.isNegative()) {
      throw new IllegalArgumentException("idleLongerThan must not be negative: " + idleLongerThan);
    }
    long limit = idleLongerThan.toNanos();
    long now = time.now();
    int n = 0;
    for (SessionImpl s : sessions.values()) {
      if (s.isLive() && !s.inFlight() && now - s.lastActive() > limit && s.end(EndReason.IDLE_TIMEOUT)) {
        n++;
      }
    }
    return n;
  }

  @Override
  public EngineStats stats() {
    Map<EndReason, Long> by = new EnumMap<>(EndReason.class);
    long ended = 0;
    for (EndReason r : EndReason.values()) {
      long c = endedBy[r.ordinal()].sum();
      by.put(r, c);
      ended += c;
    }
    long closedCount = by.get(EndReason.CLOSED) + by.get(EndReason.ENGINE_SHUTDOWN);
    long expired = by.get(EndReason.IDLE_TIMEOUT) + by.get(EndReason.LIFETIME);
    long killed = by.get(EndReason.KILLED) + by.get(EndReason.USER_LIMIT) + by.get(EndReason.EVICTED_FOR_PRIORITY);
    Duration avgDuration = ended == 0 ? Duration.ZERO : Duration.ofNanos(endedNanos.sum() / ended);
    double avgOps = ended == 0 ? 0 : (double) endedOps.sum() / ended;
    return new EngineStats(live.get(), peak.get(), opened.sum(), closedCount, expired, killed,
        Map.copyOf(by), avgDuration, avgOps, db.openConnections(), openGraphs.get(), graphBytes(),
        audit == null ? 0 : audit.written(), audit == null ? 0 : audit.dropped(), throttle.refused(),
        persistence == null ? 0 : persistence.restored.sum(), persistence == null ? 0 : persistence.writes.sum(),
        persistence == null ? 0 : persistence.failures.sum(), persistence == null ? 0 : persistence.corrupt.sum());
  }

  private long graphBytes() {
    long sum = 0;
    for (SessionImpl s : sessions.values()) {
      sum += s.graphBytes();
    }
    return sum;
  }

  @Override
  public Users users() {
    return registry;
  }

  Identity authenticate(Credentials credentials) {
    if (config.authenticator() != null) {
      Optional<Identity> id = config.authenticator().authenticate(credentials);
      if (id != null && id.isPresent()) {
        return id.get();
      }
    }
    return registry.authenticate(credentials).orElseThrow(AuthenticationException::new);
  }

  @Override
  public void runMaintenance() {
    if (!closed.get()) {
      db.cancelOverdue(time.now());
      timers.runMaintenance();
      if (persistence != null) {
        persistence.flush();
      }
    }
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    for (SessionImpl s : sessions.values()) {
      s.end(EndReason.ENGINE_SHUTDOWN);
    }
    timers.close();
    db.shutdown();
    if (persistence != null) {
      persistence.close(); // after the sessions' final saves: writes what is queued, closes the store
    }
    if (audit != null) {
      audit.close(); // after the sessions' end events: written, then the sink is flushed and closed
    }
    if (thread != null) {
      thread.shutdownNow();
      if (!Thread.currentThread().getName().startsWith("ephemera-engine-")) {
        try {
          thread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  // ---- expiry --------------------------------------------------------------------------------

  /** The session's next timed event: idle deadline, lifetime, delayed kill or idle warning. */
  long nextEventAt(SessionImpl s) {
    long idleDeadline = idleDeadline(s);
    long t = Math.min(Math.min(idleDeadline, SaturatingMath.add(s.createdAt, config.maxLifetimeNanos())), s.killAt());
    long lead = config.idleWarningNanos();
    if (lead > 0 && s.warnedFor() != idleDeadline) {
      t = Math.min(t, idleDeadline - lead);
    }
    if (persistence != null && persistence.shared) {
      t = Math.min(t, persistence.activityCheckAt(s));
    }
    return t;
  }

  private long idleDeadline(SessionImpl s) {
    return SaturatingMath.add(s.lastActive(), SaturatingMath.add(config.idleTimeoutNanos(), time.slack()));
  }

  /** A session's timer fired: end it, warn it, or arm it for its real deadline. */
  void timerFired(SessionImpl s) {
    if (!s.isLive()) {
      return;
    }
    long now = time.now();
    long killAt = s.killAt();
    if (killAt != Long.MAX_VALUE && now - killAt >= 0) {
      s.end(EndReason.KILLED);
      return;
    }
    if (SaturatingMath.sub(now, s.createdAt) >= config.maxLifetimeNanos()) {
      s.end(EndReason.LIFETIME);
      return;
    }
    if (persistence != null && persistence.shared && now >= persistence.activityCheckAt(s)) {
      persistence.checkActivity(s, now); // before the store's copy expires: other engines and Redis's TTL
    }
    if (s.inFlight()) { // a session busy in a call is not idle: its idle time starts now
      s.activeAt(now);
    } else {
      long deadline = idleDeadline(s);
      if (now >= deadline) {
        s.end(EndReason.IDLE_TIMEOUT);
        return;
      }
      long lead = config.idleWarningNanos();
      if (lead > 0 && now >= deadline - lead && s.warnedFor() != deadline) {
        s.extras().warnedFor = deadline;
        if (listeners.any()) {
          SessionInfo i = s.info();
          Duration remaining = Duration.ofNanos(deadline - now);
          listeners.fire(l -> l.idleWarning(i, remaining));
        }
      }
    }
    timers.arm(s);
  }

  /** Called exactly once per session, by whoever ended it or by its last call in flight. */
  void release(SessionImpl s) {
    s.releaseResources(); // first: roll back, drop temp objects, stop live queries
    if (persistence != null) {
      persistence.ended(s); // deletes the record, or at shutdown saves the final state
    }
    sessions.remove(s);
    Identity id = s.identity();
    if (id != null) {
      users.remove(s, id);
    }
    timers.cancel(s);
    live.decrementAndGet();
    endedBy[s.endReason().ordinal()].increment();
    endedNanos.add(s.endedAt() - s.createdAt);
    endedOps.add(s.operations());
    if (listeners.any()) {
      SessionInfo i = s.info();
      listeners.fire(l -> l.ended(i));
    }
    if (audit != null) {
      EndReason r = s.endReason();
      AuditEventType type = switch (r) {
        case CLOSED, ENGINE_SHUTDOWN -> AuditEventType.SESSION_CLOSED;
        case IDLE_TIMEOUT, LIFETIME -> AuditEventType.SESSION_EXPIRED;
        case KILLED -> AuditEventType.SESSION_KILLED;
        case USER_LIMIT, EVICTED_FOR_PRIORITY -> AuditEventType.SESSION_LIMIT_TERMINATED;
      };
      audit(type, s, Map.of("reason", r.description()));
    }
  }

  // ---- audit ---------------------------------------------------------------------------------

  /** Audit details in the order given: {@code details("a", "1", "b", "2")}. */
  static Map<String, String> details(String... keysAndValues) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }

  private static String userOf(SessionImpl s) {
    Identity id = s.identity();
    return id == null ? null : id.user();
  }

  /** Records an event about {@code s} (its user and client), if the engine keeps an audit log. */
  void audit(AuditEventType type, SessionImpl s, Map<String, String> details) {
    if (audit != null) {
      audit(type, s, s.client, userOf(s), details);
    }
  }

  /** Records an event with an explicit client and user (a refused resume, a failed sign-in). */
  void audit(AuditEventType type, SessionImpl s, ClientInfo client, String user, Map<String, String> details) {
    AuditDispatcher a = audit;
    if (a != null) {
      a.offer(new AuditEvent(type, time.instant(time.now()), s.id(), user, client.address(), client.userAgent(),
          details));
    }
  }

  // ---- events --------------------------------------------------------------------------------

  private void fireOpened(SessionImpl s) {
    if (listeners.any()) {
      SessionInfo i = s.info();
      listeners.fire(l -> l.opened(i));
    }
  }

  void fireSignedIn(SessionImpl s) {
    if (listeners.any()) {
      SessionInfo i = s.info();
      listeners.fire(l -> l.signedIn(i));
      listeners.fire(l -> l.tokenRotated(i));
    }
  }

  void fireSignedOut(SessionImpl s) {
    if (listeners.any()) {
      SessionInfo i = s.info();
      listeners.fire(l -> l.signedOut(i));
      listeners.fire(l -> l.tokenRotated(i));
    }
  }

  void fireTokenRotated(SessionImpl s) {
    if (listeners.any()) {
      SessionInfo i = s.info();
      listeners.fire(l -> l.tokenRotated(i));
    }
  }

  @Override
  public String toString() {
    return "SessionEngine[live=" + live.get() + (closed.get() ? ", closed" : "") + "]";
  }
}
