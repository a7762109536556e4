package dev.ephemera;

import dev.ephemera.internal.EngineConfig;
import dev.ephemera.internal.EngineImpl;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An in-process session engine: it opens, finds, lists, expires and ends {@link Session}s. Build
 * one per application and close it at shutdown; closing it ends every session it holds.
 *
 * <pre>{@code
 * try (SessionEngine engine = SessionEngine.builder()
 *     .idleTimeout(Duration.ofMinutes(15))
 *     .maxSessionsPerUser(5, ExceedPolicy.TERMINATE_OLDEST)
 *     .rootUser("root", "secret")
 *     .build()) {
 *   Session s = engine.open();
 *   s.set("tenant_id", "tenant_123");
 * }
 * }</pre>
 *
 * <p>All methods are thread-safe.
 */
public interface SessionEngine extends AutoCloseable {

  /** A builder with the defaults: 30 minutes idle timeout, no lifetime, no limits. */
  static Builder builder() {
    return new Builder();
  }

  /** Opens a new, signed-out session about whose client nothing is known. */
  Session open();

  /**
   * Opens a new, signed-out session.
   *
   * @throws SessionLimitException if the engine is full and its policy is {@link CapacityPolicy#REFUSE_NEW}
   * @throws EngineClosedException if the engine is closed
   */
  Session open(ClientInfo client);

  /**
   * Finds a live session by its token and marks it used.
   *
   * @throws SessionNotFoundException if no live session has this token (never issued, ended, or
   *     rotated away: the exception does not say which)
   */
  Session resume(String token);

  /**
   * Resumes a session by its token for a client: a session bound to its client (see {@link
   * Builder#bindSessionsTo}) resumes only for a client with the same bound values. {@code
   * resume(token)} is this with an unknown client, so it does not resume a bound session.
   *
   * @throws SessionNotFoundException as {@link #resume(String)}
   * @throws SessionBindingException if the session is bound to another client (audited; with
   *     {@link BindingViolation#REFUSE_AND_KILL} the session is killed too)
   */
  Session resume(String token, ClientInfo client);

  /** A snapshot of the live session with this public id, if any. */
  Optional<SessionInfo> session(String id);

  /** Snapshots of every live session, sorted by id. */
  List<SessionInfo> sessions();

  /** Snapshots of the live sessions that pass the filter, in its order. */
  List<SessionInfo> sessions(SessionFilter filter);

  /**
   * Ends the session with this id ({@link EndReason#KILLED}).
   *
   * @return whether a live session was ended
   */
  boolean kill(String id);

  /**
   * Warns the session's listeners ({@link SessionListener#killWarning}) and kills it after
   * {@code grace}, whatever it does meanwhile.
   *
   * @return whether a live session was found
   */
  boolean kill(String id, Duration grace);

  /**
   * Kills every session signed in as a user of this name.
   *
   * @return how many were ended
   */
  int killUser(String user);

  /**
   * Ends every session idle for longer than {@code idleLongerThan} ({@link EndReason#IDLE_TIMEOUT}).
   *
   * @return how many were ended
   */
  int cleanup(Duration idleLongerThan);

  /**
   * The JDBC URL of the engine's lobby H2 database: the one sessions with no database selected
   * use, which holds no shared table (see {@link #databaseUrl(String, String)}). It opens the
   * database as its administrator {@code sa}, for tools and tests in your own process.
   */
  String databaseUrl();

  /**
   * The JDBC URL of the H2 database that holds a namespace/database's shared tables (each pair has
   * its own, created on first use; the tables are in its schema {@link Names#h2Schema}). It opens
   * the database as its administrator {@code sa}: a plain connection sees the shared tables, never
   * a session's temporary tables.
   *
   * @throws InvalidNameException if either name is invalid
   */
  String databaseUrl(String namespace, String database);

  /** The engine's counters. */
  EngineStats stats();

  /** The built-in user registry. */
  Users users();

  /**
   * Runs pending expiry work now: idle timeouts, lifetimes, warnings and delayed kills that are
   * due. The engine does this by itself on its own thread; call it when you drive time with your
   * own {@link Builder#ticker(Ticker)}, where the engine cannot know that time has passed.
   */
  void runMaintenance();

  /**
   * Ends every session ({@link EndReason#ENGINE_SHUTDOWN}) and stops the engine's thread. Idempotent.
   * With a persistent {@link Builder#store(SessionStore) store} the sessions' records are kept (open
   * transactions rolled back first), so that the next engine on the store resumes them; then the
   * store is closed.
   */
  @Override
  void close();

  /**
   * Configures a {@link SessionEngine}. Each setting may be given once; a repeated setting throws
   * {@link IllegalStateException}, a bad value {@link IllegalArgumentException}.
   */
  final class Builder {
    private static final long UNSET = -1;

    private Duration idleTimeout;
    private Duration maxLifetime;
    private Duration idleWarning;
    private int maxSessions = -1;
    private CapacityPolicy capacityPolicy;
    private int maxSessionsPerUser = -1;
    private ExceedPolicy exceedPolicy;
    private Ticker ticker;
    private Clock clock;
    private SecureRandom random;
    private final List<SessionListener> listeners = new ArrayList<>();
    private String rootUser;
    private String rootPassword;
    private Authenticator authenticator;
    private long maxValueBytes = UNSET;
    private long maxSessionBytes = UNSET;
    private int passwordIterations = -1;
    private String database;
    private long maxTempTables = UNSET;
    private long maxTempRows = UNSET;
    private long maxGraphBytes = UNSET;
    private boolean warmUpGraphs = true;
    private AuditSink auditSink;
    private int auditBuffer = -1;
    private boolean auditValues;
    private Duration reauthInterval;
    private int maxFailedSignIns = -1;
    private Duration lockout;
    private SessionStore store;
    private Duration writeBehind;
    private ClientBinding binding;
    private BindingViolation bindingViolation;

    /** {@link #noStatementTimeout()}: a value no caller can pass. */
    private static final Duration NO_LIMIT = Duration.ofSeconds(Long.MAX_VALUE);
    private Duration statementTimeout;
    private boolean rootFileAccess;

    Builder() {}

    /** How long a session may go unused before it expires. Default 30 minutes. */
    public Builder idleTimeout(Duration timeout) {
      requireState(idleTimeout == null, "idleTimeout was already set to %s", idleTimeout);
      idleTimeout = positive("idleTimeout", timeout);
      return this;
    }

    /**
     * The longest one statement of a session may run (SQL, and the queries of a graph's
     * {@code loadEdges}/{@code loadNodes}) before it is cancelled with a {@link QueryTimeoutException};
     * the session keeps working. A session may lower it for itself ({@link
     * Session#setStatementTimeout}), never raise it. Checked on the engine's tick (every 100 ms, or
     * at {@link SessionEngine#runMaintenance()} with an injected ticker). Default 5 minutes.
     */
    public Builder statementTimeout(Duration limit) {
      requireState(statementTimeout == null, "statementTimeout was already set to %s", statementTimeout);
      statementTimeout = positive("statementTimeout", limit);
      return this;
    }

    /**
     * Gives root sessions H2's {@code ADMIN} right in the database they have selected, which H2's
     * file, CSV, linked-table and script functions need ({@code FILE_READ}, {@code FILE_WRITE},
     * {@code CSVREAD}, {@code CSVWRITE}, {@code LINK_SCHEMA}, {@code CREATE LINKED TABLE},
     * {@code RUNSCRIPT}, {@code SCRIPT TO}): they then read and write files as the engine's process.
     * Default {@code false}: no session has them, root included. H2 checks these rights when the
     * code runs, not when it is stored, so with this on a view, column default or check that a
     * tenant stored in a database runs with root's rights when a root session later uses it there:
     * turn it on only where root does not use databases whose SQL tenants write.
     */
    public Builder rootFileAccess(boolean enabled) {
      rootFileAccess = enabled;
      return this;
    }

    /** No statement time limit at all (see {@link #statementTimeout}). */
    public Builder noStatementTimeout() {
      requireState(statementTimeout == null, "statementTimeout was already set to %s", statementTimeout);
      statementTimeout = NO_LIMIT;
      return this;
    }

    /** How long a session may live, used or not. Default: no limit. */
    public Builder maxLifetime(Duration lifetime) {
      requireState(maxLifetime == null, "maxLifetime was already set to %s", maxLifetime);
      maxLifetime = positive("maxLifetime", lifetime);
      return this;
    }

    /**
     * Sends {@link SessionListener#idleWarning} this long before a session's idle timeout. Must be
     * shorter than the idle timeout. Default: no warning.
     */
    public Builder idleWarning(Duration lead) {
      requireState(idleWarning == null, "idleWarning was already set to %s", idleWarning);
      idleWarning = positive("idleWarning", lead);
      return this;
    }

    /** The most sessions the engine holds at once, and what {@code open} does when it is full. */
    public Builder maxSessions(int max, CapacityPolicy policy) {
      requireState(maxSessions < 0, "maxSessions was already set to %s", maxSessions);
      requireArgument(max > 0, "maxSessions must be positive: %s", max);
      maxSessions = max;
      capacityPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** The most sessions one user may be signed in to at once, and what happens past it. */
    public Builder maxSessionsPerUser(int max, ExceedPolicy policy) {
      requireState(maxSessionsPerUser < 0, "maxSessionsPerUser was already set to %s", maxSessionsPerUser);
      requireArgument(max > 0, "maxSessionsPerUser must be positive: %s", max);
      maxSessionsPerUser = max;
      exceedPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * The source of elapsed time for idle timeouts and lifetimes. Default {@link Ticker#system()}.
     * With any other ticker the engine runs no thread of its own: expiry happens when you call
     * {@link SessionEngine#runMaintenance()}.
     */
    public Builder ticker(Ticker ticker) {
      requireState(this.ticker == null, "ticker was already set");
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /** The wall clock that dates sessions (created, last active). Default the system UTC clock. */
    public Builder clock(Clock clock) {
      requireState(this.clock == null, "clock was already set");
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The random source that seeds the per-thread generators of ids, tokens and password salts.
     * Default {@code new SecureRandom()}.
     */
    public Builder secureRandom(SecureRandom random) {
      requireState(this.random == null, "secureRandom was already set");
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /** Adds a listener of session events; may be called more than once. */
    public Builder listener(SessionListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /** Defines a root user in the built-in registry. */
    public Builder rootUser(String user, String password) {
      requireState(rootUser == null, "rootUser was already set to %s", rootUser);
      Credentials.root(user, password); // validates
      requireArgument(!password.isEmpty(), "the root password must not be empty");
      rootUser = user;
      rootPassword = password;
      return this;
    }

    /** An authenticator asked before the built-in registry (see {@link Authenticator}). */
    public Builder authenticator(Authenticator authenticator) {
      requireState(this.authenticator == null, "authenticator was already set");
      this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
      return this;
    }

    /**
     * The largest one variable or flash value may be, in bytes as Ephemera counts them (2 per
     * character of a string, the length of a byte array, 8 per number). Default 1 MiB.
     */
    public Builder maxValueBytes(long max) {
      requireState(maxValueBytes == UNSET, "maxValueBytes was already set to %s", maxValueBytes);
      requireArgument(max > 0, "maxValueBytes must be positive: %s", max);
      maxValueBytes = max;
      return this;
    }

    /** The largest all of one session's variables and flash values may be together. Default 16 MiB. */
    public Builder maxSessionBytes(long max) {
      requireState(maxSessionBytes == UNSET, "maxSessionBytes was already set to %s", maxSessionBytes);
      requireArgument(max > 0, "maxSessionBytes must be positive: %s", max);
      maxSessionBytes = max;
      return this;
    }

    /**
     * PBKDF2 iterations for the built-in registry's password hashes. Default 600,000 (OWASP's
     * recommendation for PBKDF2-HMAC-SHA256); lower it only where speed matters more than
     * resistance to offline guessing, such as tests. At least 1,000.
     */
    public Builder passwordHashIterations(int iterations) {
      requireState(passwordIterations < 0, "passwordHashIterations was already set to %s", passwordIterations);
      requireArgument(iterations >= 1000, "passwordHashIterations must be at least 1000: %s", iterations);
      passwordIterations = iterations;
      return this;
    }

    /**
     * Where the engine's H2 databases live: {@code "mem:NAME"} (in memory, shared by engines in
     * this JVM that name it) or {@code "file:PATH"} (H2 adds {@code .mv.db}). {@code NAME}/{@code
     * PATH} is the lobby (sessions with no database selected); each namespace/database is its own
     * H2 database beside it, {@code NAME--ns.db} / {@code PATH--ns.db} (in a file name a capital
     * letter is written {@code -} and the letter). Default: private in-memory databases, gone when
     * the engine closes. H2 URL settings ({@code ;…}) are refused.
     */
    public Builder database(String location) {
      requireState(database == null, "database was already set to %s", database);
      Objects.requireNonNull(location, "location");
      requireArgument((location.startsWith("mem:") || location.startsWith("file:")) && location.indexOf(':') < location.length() - 1,
          "database must be \"mem:NAME\" or \"file:PATH\": %s", location);
      requireArgument(location.indexOf(';') < 0 && location.chars().noneMatch(Character::isISOControl),
          "database location must not contain ';' or control characters: %s", location);
      database = location;
      return this;
    }

    /** The most temporary tables one session may have at once. Default: no limit. */
    public Builder maxTempTables(long max) {
      requireState(maxTempTables == UNSET, "maxTempTables was already set to %s", maxTempTables);
      requireArgument(max > 0, "maxTempTables must be positive: %s", max);
      maxTempTables = max;
      return this;
    }

    /**
     * The most rows one session's temporary tables may hold together, checked after each
     * statement (a statement that goes over is undone). Default: no limit; with a limit each
     * statement costs one more query.
     */
    public Builder maxTempRows(long max) {
      requireState(maxTempRows == UNSET, "maxTempRows was already set to %s", maxTempRows);
      requireArgument(max > 0, "maxTempRows must be positive: %s", max);
      maxTempRows = max;
      return this;
    }

    /**
     * The most off-heap bytes one session's temporary graphs may hold together (Chronicle Map's
     * accounting, which counts storage reserved, not only used). Checked before each change that
     * adds data: once a session is at the limit, such changes get {@link ResourceLimitException}
     * and leave the graph as it was; a change may take the session over by the storage it
     * needs. Default: no limit.
     */
    public Builder maxGraphBytes(long max) {
      requireState(maxGraphBytes == UNSET, "maxGraphBytes was already set to %s", maxGraphBytes);
      requireArgument(max > 0, "maxGraphBytes must be positive: %s", max);
      maxGraphBytes = max;
      return this;
    }

    /**
     * Whether the engine warms Chronicle Map up in the background when it starts (once per JVM),
     * so that the first temporary graph does not pay the second or so its class generation
     * costs. Default: {@code true}; turn it off for an application that never uses graphs.
     */
    public Builder warmUpGraphs(boolean warmUp) {
      warmUpGraphs = warmUp;
      return this;
    }

    /**
     * Builds and starts the engine.
     *
     * @throws IllegalStateException if settings conflict (for example an idle warning not shorter
     *     than the idle timeout)
     */
    /**
     * Writes the audit log to {@code sink} (for example {@link AuditSinks#jsonLines}): session
     * created and ended (closed, expired, killed, terminated by a limit), sign-in succeeded and
     * failed, token rotated, binding refused, variable changed (names only, see {@link
     * #auditVariableValues}), access denied. Events are written by one thread of the engine's
     * from a bounded buffer ({@link #auditBufferSize}); a full buffer never blocks a session: the
     * event is dropped and counted in {@link EngineStats#auditDropped()}. The sink is flushed and
     * closed with the engine. Default: no audit log.
     */
    public Builder audit(AuditSink sink) {
      requireState(auditSink == null, "audit sink was already set");
      auditSink = Objects.requireNonNull(sink, "sink");
      return this;
    }

    /** How many audit events may wait for the sink before new ones are dropped. Default 8,192. */
    public Builder auditBufferSize(int events) {
      requireState(auditBuffer < 0, "auditBufferSize was already set to %s", auditBuffer);
      requireArgument(events > 0, "auditBufferSize must be positive: %s", events);
      auditBuffer = events;
      return this;
    }

    /**
     * Whether {@code variable_changed} events carry the new value (rendered as text). Default
     * {@code false}: only the name, the value is redacted.
     */
    public Builder auditVariableValues(boolean values) {
      auditValues = values;
      return this;
    }

    /**
     * How long a sign-in lasts: after this a signed-in session must {@link Session#signIn sign in}
     * again before any operation other than sign-in, ping and close ({@link
     * ReauthenticationRequiredException}). Default: no limit.
     */
    public Builder reauthInterval(Duration interval) {
      requireState(reauthInterval == null, "reauthInterval was already set to %s", reauthInterval);
      reauthInterval = positive("reauthInterval", interval);
      return this;
    }

    /**
     * After {@code maxFailures} failed sign-ins in a row for one user from one client address
     * (within {@code lockout} of each other), sign-ins for that user from that address are
     * refused for {@code lockout} without checking the password ({@link
     * SignInLockedException}). Other addresses are not affected, and a lockout always ends.
     * Default: 10 failures, 5 minutes.
     */
    public Builder signInLockout(int maxFailures, Duration lockout) {
      requireState(maxFailedSignIns < 0, "signInLockout was already set to %s failures", maxFailedSignIns);
      requireArgument(maxFailures > 0, "maxFailures must be positive: %s", maxFailures);
      this.lockout = positive("lockout", lockout);
      maxFailedSignIns = maxFailures;
      return this;
    }

    /**
     * Binds each session to values of the client that opened it ({@link SessionEngine#open(ClientInfo)}):
     * resuming it from a client with other values is refused and audited, and with {@link
     * BindingViolation#REFUSE_AND_KILL} the session is killed as hijacked. Default: {@link
     * ClientBinding#NONE}.
     */
    public Builder bindSessionsTo(ClientBinding binding, BindingViolation onViolation) {
      requireState(this.binding == null, "bindSessionsTo was already set to %s", this.binding);
      this.binding = Objects.requireNonNull(binding, "binding");
      this.bindingViolation = Objects.requireNonNull(onViolation, "onViolation");
      return this;
    }

    /**
     * Where sessions are persisted ({@link SessionStores}); default {@link SessionStores#memory()}, no
     * persistence. With a persistent store, sessions outlive the engine: {@link SessionEngine#close()}
     * releases their in-process resources but keeps their records, and the next engine on the
     * store resumes them by token. The engine owns the store and closes it when it closes.
     */
    public Builder store(SessionStore store) {
      requireState(this.store == null, "store was already set to %s", this.store);
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * Writes changes to the store in the background, at most {@code maxDelay} after they are made,
     * instead of before each call returns (write-through, the default). Faster writes, at the risk
     * of losing the last {@code maxDelay} of changes if the process dies. Needs a {@link #store}.
     */
    public Builder writeBehind(Duration maxDelay) {
      requireState(writeBehind == null, "writeBehind was already set to %s", writeBehind);
      writeBehind = positive("maxDelay", maxDelay);
      return this;
    }

    public SessionEngine build() {
      requireState(writeBehind == null || (store != null && store != SessionStores.memory()),
          "writeBehind(%s) needs a persistent store(...)", writeBehind);
      Duration idle = idleTimeout == null ? Duration.ofMinutes(30) : idleTimeout;
      requireState(idleWarning == null || idleWarning.compareTo(idle) < 0,
          "idleWarning (%s) must be shorter than idleTimeout (%s)", idleWarning, idle);
      long maxValue = maxValueBytes == UNSET ? 1L << 20 : maxValueBytes;
      long maxSession = maxSessionBytes == UNSET ? 16L << 20 : maxSessionBytes;
      requireState(maxValue <= maxSession,
          "maxValueBytes (%s) must not exceed maxSessionBytes (%s)", maxValue, maxSession);
      EngineConfig config = new EngineConfig(
          nanos(idle),
          maxLifetime == null ? Long.MAX_VALUE : nanos(maxLifetime),
          idleWarning == null ? 0 : nanos(idleWarning),
          maxSessions < 0 ? Integer.MAX_VALUE : maxSessions,
          capacityPolicy == null ? CapacityPolicy.REFUSE_NEW : capacityPolicy,
          maxSessionsPerUser < 0 ? Integer.MAX_VALUE : maxSessionsPerUser,
          exceedPolicy == null ? ExceedPolicy.ALLOW_ALL : exceedPolicy,
          ticker == null ? Ticker.system() : ticker,
          clock == null ? Clock.systemUTC() : clock,
          random == null ? new SecureRandom() : random,
          List.copyOf(listeners),
          rootUser,
          rootPassword,
          authenticator,
          maxValue,
          maxSession,
          passwordIterations < 0 ? 600_000 : passwordIterations,
          database,
          maxTempTables == UNSET ? Long.MAX_VALUE : maxTempTables,
          maxTempRows == UNSET ? Long.MAX_VALUE : maxTempRows,
          maxGraphBytes == UNSET ? Long.MAX_VALUE : maxGraphBytes,
          warmUpGraphs,
          auditSink,
          auditBuffer < 0 ? 8192 : auditBuffer,
          auditValues,
          reauthInterval == null ? Long.MAX_VALUE : nanos(reauthInterval),
          maxFailedSignIns < 0 ? 10 : maxFailedSignIns,
          lockout == null ? Duration.ofMinutes(5).toNanos() : nanos(lockout),
          binding == null ? ClientBinding.NONE : binding,
          bindingViolation == null ? BindingViolation.REFUSE : bindingViolation,
          store == null || store == SessionStores.memory() ? null : store,
          writeBehind == null ? 0 : nanos(writeBehind),
          statementTimeout == null ? Duration.ofMinutes(5).toNanos()
              : statementTimeout == NO_LIMIT ? Long.MAX_VALUE : nanos(statementTimeout),
          rootFileAccess);
      return new EngineImpl(config);
    }

    private static long nanos(Duration d) {
      try {
        return d.toNanos();
      } catch (ArithmeticException e) {
        return Long.MAX_VALUE;
      }
    }

    private static Duration positive(String what, Duration d) {
      Objects.requireNonNull(d, what);
      requireArgument(!d.isNegative() && !d.isZero(), "%s must be positive: %s", what, d);
      return d;
    }

    private static void requireArgument(boolean ok, String format, Object... args) {
      if (!ok) {
        throw new IllegalArgumentException(String.format(format, args));
      }
    }

    private static void requireState(boolean ok, String format, Object... args) {
      if (!ok) {
        throw new IllegalStateException(String.format(format, args));
      }
    }
  }
}
