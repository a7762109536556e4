package dev.ephemera;

import dev.ephemera.graph.TempGraph;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One session on a {@link SessionEngine}: an identity, a secret token, a sign-in state, a selected
 * namespace and database, and private typed variables. Obtain one with
 * {@link SessionEngine#open()}, {@link SessionEngine#resume(String)} or {@link #fork()}.
 *
 * <p>A session is thread-safe. It ends by {@link #close()}, by its idle timeout or lifetime, by an
 * administrator's kill, by a limit or by the engine's shutdown; after that every method but
 * {@link #close()}, {@link #id()}, {@link #state()} and {@link #info()} throws
 * {@link SessionClosedException} naming how it ended.
 *
 * <p>Variables hold a closed set of value types: {@code null}, {@link Boolean}, {@link Long},
 * {@link Double}, {@link java.math.BigDecimal}, {@link String}, {@code byte[]},
 * {@link java.time.Instant}, and {@link java.util.List} and {@link java.util.Map} (String keys) of
 * these. {@code Integer}, {@code Short} and {@code Byte} widen to {@code Long}, {@code Float} to
 * {@code Double}; anything else is refused by {@link #set} with {@link UnsupportedValueException}.
 */
public interface Session extends AutoCloseable {

  /** The public id, {@code sess_} and 16 URL-safe characters: safe to log, list and kill by. */
  String id();

  /**
   * The secret bearer token (URL-safe, 59 characters, carrying 256 random bits) with which
   * {@link SessionEngine#resume(String)} finds this session. Treat it like a password.
   */
  String token();

  /** The session's state; never throws. */
  SessionState state();

  /** A snapshot of the session, without the token; never throws. */
  SessionInfo info();

  /** Ends the session and releases everything it holds. Idempotent. */
  @Override
  void close();

  // ---- variables -------------------------------------------------------------------------

  /**
   * Sets a variable.
   *
   * @throws InvalidNameException if {@code name} is not an identifier of at most 128 characters
   * @throws UnsupportedValueException if the value's type is not supported, or a map in it has a
   *     key with an unpaired surrogate
   * @throws ValueTooLargeException if the value, or the session's variables with it, are too large
   */
  void set(String name, Object value);

  /** The variable's value, or {@code null} if it is not set. */
  Object get(String name);

  /**
   * The variable's value as {@code type}, or {@code null} if it is not set. Whole numbers are
   * returned as {@code Integer}, {@code Short} or {@code Byte} when asked and they fit, and as
   * {@code Float} or {@code Double} when asked.
   *
   * @throws VariableTypeException if the value cannot be returned as {@code type}
   */
  <T> T get(String name, Class<T> type);

  /**
   * Removes a variable.
   *
   * @return whether it was set
   */
  boolean reset(String name);

  /** Removes every variable (flash values included). */
  void resetAll();

  /** An immutable snapshot of the variables, sorted by name. */
  Map<String, Object> variables();

  /** Stores a value that {@link #takeFlash} returns once. Same types and limits as {@link #set}. */
  void flash(String name, Object value);

  /** Returns the flash value and removes it, or {@code null} if there is none. */
  Object takeFlash(String name);

  // ---- activity ---------------------------------------------------------------------------

  /** Marks the session as used now, postponing its idle timeout. */
  void touch();

  /** Touches the session and returns {@code "PONG"}. */
  String ping();

  /**
   * Opens a new session, with a new id and token, that starts with this one's sign-in, namespace,
   * database, variables, client and priority. Later changes to either do not affect the other.
   * The fork counts towards its user's session limit.
   */
  Session fork();

  /** Sets the priority: under {@code maxSessions}, lower priorities are evicted first. Default 0. */
  void setPriority(int priority);

  /**
   * Sets the longest one of this session's statements may run before it is cancelled with a
   * {@link QueryTimeoutException} (the session keeps working). It may be lower than the engine's
   * {@code statementTimeout}, not higher: the engine's limit is the ceiling for every session.
   * Applies to the statements that start after the call. Through the dialect:
   * {@code SET SESSION query_timeout = <seconds>}.
   *
   * @throws IllegalArgumentException if {@code limit} is not positive or exceeds the engine's limit
   */
  void setStatementTimeout(Duration limit);

  /** The session's statement time limit, or {@code null} when neither it nor the engine has one. */
  Duration statementTimeout();

  /**
   * Sets the time zone of the session's SQL: {@code CURRENT_TIMESTAMP}, {@code LOCALTIMESTAMP} and
   * conversions of {@code TIMESTAMP WITH TIME ZONE} follow it (every H2 connection the session
   * opens gets it). Default: the JVM's. Through the dialect: {@code SET SESSION timezone = 'zone'}.
   */
  void setTimeZone(java.time.ZoneId zone);

  /** The time zone set with {@link #setTimeZone}, or {@code null} for the default. */
  java.time.ZoneId timeZone();

  /**
   * Sets the isolation level of the session's transactions: one of H2's, {@code "READ UNCOMMITTED"},
   * {@code "READ COMMITTED"} (the default), {@code "REPEATABLE READ"}, {@code "SNAPSHOT"},
   * {@code "SERIALIZABLE"} (case and {@code _} for spaces do not matter). Through the dialect:
   * {@code SET SESSION isolation_level = 'SNAPSHOT'}.
   *
   * @throws IllegalArgumentException for another level
   * @throws TransactionException inside a transaction
   */
  void setIsolationLevel(String level);

  /** The isolation level of the session's transactions, as {@link #setIsolationLevel} takes it. */
  String isolationLevel();

  /** The isolation level of a session's transactions until it sets another: H2's default. */
  String DEFAULT_ISOLATION_LEVEL = "READ COMMITTED";

  // ---- sign-in ----------------------------------------------------------------------------

  /**
   * Signs the session in, replacing any earlier sign-in, and gives it a new token (the old one
   * no longer resumes it). A database user has its namespace and database selected; a namespace
   * user its namespace. A refused sign-in changes nothing.
   *
   * @return the identity now signed in
   * @throws AuthenticationException if the credentials are refused
   * @throws SessionLimitException if the user has as many sessions as allowed and the policy is
   *     {@link ExceedPolicy#DENY_NEW}
   */
  Identity signIn(Credentials credentials);

  /** Signs out, clears the selected namespace and database, and rotates the token. */
  void signOut();

  /**
   * Selects a namespace and database ({@code database} may be {@code null}).
   *
   * @throws AccessDeniedException if the session is not signed in, or its user may not use them
   */
  void use(String namespace, String database);

  /** Replaces the token with a new one; the old one no longer resumes the session. */
  String rotateToken();

  // ---- SQL: the session's own H2 connection ------------------------------------------------

  /**
   * Runs one SQL statement (not a query) on the session's H2 connection, opened on first use,
   * with {@code ?} parameters bound in order.
   *
   * @return the update count
   * @throws SqlException if H2 refuses the statement (nothing changes)
   * @throws TransactionException if a transaction is open and the statement would commit it (most
   *     DDL), or the statement is transaction control ({@code COMMIT}, {@code SAVEPOINT}, …: use
   *     {@link #begin()})
   * @throws IllegalArgumentException if {@code sql} holds more than one statement
   * @throws ResourceLimitException if it would take the session over a temp-data limit (it is undone)
   */
  int execute(String sql, Object... params);

  /**
   * Runs one statement once per parameter row, all rows or none. Outside a transaction the batch
   * runs as one H2 transaction (its rows cost one commit, not one each); inside one it runs behind
   * a savepoint, so a row that fails leaves none of the batch's rows and the transaction goes on
   * with what it did before.
   *
   * <p>A one-row {@code INSERT INTO … VALUES (?, …, ?)} (only parameters in the row, the row
   * ending the text) into a table without triggers runs as multi-row INSERTs of 20 rows, the
   * rest row by row: the same rows in the same order, about a quarter less time than a JDBC
   * batch. A table with triggers (a live query's among them) gets one statement per row.
   *
   * @param rows one array per row, each holding exactly one value per {@code ?} of {@code sql}
   * @return the update count of each row
   * @throws SqlException if H2 refuses a row (nothing of the batch stays; the message shows
   *     {@code sql} as written)
   * @throws IllegalArgumentException if a row holds more or fewer values than {@code sql} has
   *     parameters (nothing runs)
   * @throws NullPointerException if {@code rows} or one of its rows is null
   */
  int[] executeBatch(String sql, List<Object[]> rows);

  /** Runs one query and reads all of its rows. Errors as for {@link #execute}. */
  QueryResult query(String sql, Object... params);

  /**
   * The session's H2 connection for plain JDBC, opened on first use. It is a wrapper: its
   * {@code close()} closes only the wrapper (the session goes on), its transaction methods
   * ({@code setAutoCommit}, {@code commit}, {@code rollback}, savepoints) drive the session's
   * {@link Transaction}, and statements run through it get the same checks as {@link #execute}.
   * Once the session has ended, every call on it throws {@link java.sql.SQLException}.
   */
  Connection jdbc();

  /**
   * Creates a temporary table private to this session ({@code ON COMMIT PRESERVE ROWS}).
   *
   * @param name an identifier (letters, digits, {@code _}; at most 128 characters); like an
   *     unquoted SQL name it is case-insensitive and stored in upper case
   * @param columns the column definitions, as between the parentheses of {@code CREATE TABLE}
   * @throws InvalidNameException if {@code name} is not an identifier
   * @throws IllegalArgumentException if {@code columns} does not stay within one parenthesis
   * @throws SqlException if H2 refuses the definition, or the table exists
   * @throws ResourceLimitException if the session has {@code maxTempTables} already
   */
  void createTempTable(String name, String columns);

  /** Creates a temporary table with the given on-commit behaviour. */
  void createTempTable(String name, String columns, OnCommit onCommit);

  /** The names of this session's temporary tables, sorted. */
  List<String> tempTables();

  /**
   * Drops one of this session's temporary tables.
   *
   * @return whether it existed
   * @throws TransactionException inside a transaction (H2 would commit it to drop a table)
   */
  boolean dropTempTable(String name);

  // ---- temporary graphs -----------------------------------------------------------------------

  /**
   * Creates a temporary graph private to this session, held off the Java heap (Chronicle Map) and
   * freed when it is dropped or the session ends. Sized for a small graph; it grows as needed.
   *
   * @param name an identifier, case-insensitive (stored in upper case)
   * @throws InvalidNameException if {@code name} is not an identifier
   * @throws dev.ephemera.graph.GraphExistsException if the session has a graph of that name (names are
   *     case-insensitive)
   * @throws ResourceLimitException if the session's graphs hold {@code maxGraphBytes} already
   * @throws EphemeraException if this JVM cannot hold graphs (no {@code jdk.compiler} module)
   */
  TempGraph createTempGraph(String name);

  /**
   * Creates a temporary graph sized up front for about this many nodes and edges, so that loading
   * them does not have to grow it (growing copies the graph into storage four times bigger).
   */
  TempGraph createTempGraph(String name, long expectedNodes, long expectedEdges);

  /**
   * One of this session's temporary graphs.
   *
   * @throws dev.ephemera.graph.GraphNotFoundException if it has none of that name
   */
  TempGraph tempGraph(String name);

  /** The names of this session's temporary graphs, sorted. */
  List<String> tempGraphs();

  /**
   * Drops a temporary graph and frees its off-heap memory at once. Not undone by a rollback.
   *
   * @return whether it existed
   */
  boolean dropTempGraph(String name);

  // ---- transactions ---------------------------------------------------------------------------

  /**
   * Opens a transaction. Its rollbacks undo rows and variables together.
   *
   * @throws TransactionException if one is open already (take a savepoint instead)
   */
  Transaction begin();

  /** The open transaction, or {@code null}. */
  Transaction transaction();

  // ---- live queries ---------------------------------------------------------------------------

  /**
   * Delivers the committed inserts, updates and deletes of a table (a shared table, or one of this
   * session's temporary tables) to {@code listener}, until the returned handle is closed or the
   * session ends. Changes made by a transaction that rolls back are never delivered; changes of
   * statements run outside an Ephemera session (a plain H2 connection to the same database) are
   * delivered as they happen, before their commit.
   *
   * @throws InvalidNameException if {@code table} is not an identifier
   * @throws SqlException if there is no such table
   * @throws TransactionException inside a transaction, when the table has no live query yet (H2
   *     creates the trigger behind it by committing)
   */
  LiveQuery live(String table, LiveListener listener);
}
