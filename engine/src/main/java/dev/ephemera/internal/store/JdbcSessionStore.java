package dev.ephemera.internal.store;

import dev.ephemera.CorruptRecordException;
import dev.ephemera.InvalidNameException;
import dev.ephemera.Names;
import dev.ephemera.SessionRecord;
import dev.ephemera.SessionStore;
import dev.ephemera.SessionStoreException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * {@code SessionStores.jdbc(dataSource, table)}: session records in one table of a JDBC database,
 * one row per session:
 *
 * <pre>
 * id          VARCHAR(64) PRIMARY KEY   the public session id
 * user_key    VARCHAR(1100)             {@link SessionRecord#userKey()}, or NULL (indexed)
 * expires_at  BIGINT NOT NULL           {@link SessionRecord#expiresAt()} in epoch milliseconds (indexed)
 * revision    BIGINT NOT NULL           {@link SessionRecord#revision()}
 * record      BYTEA | VARBINARY | BLOB  {@link SessionRecord#toBytes()}, as it is
 * </pre>
 *
 * <p>The table and its two indexes are created when the store is, if the JDBC metadata does not list
 * the table; an existing table is used as it is, so a user without the right to create tables can
 * use one made for it (it needs SELECT, INSERT, UPDATE and DELETE). The SQL is chosen by the database's product name ({@link Dialect}):
 * PostgreSQL and H2 get their own upsert, any other database a portable UPDATE-then-INSERT.
 *
 * <p>Every operation borrows a connection from the {@link DataSource} and closes it before it
 * returns, so give it a pool. A connection is used with the auto-commit mode the DataSource gives
 * it; if that is off, the store commits (or, on failure, rolls back) before closing it. A save is
 * therefore as durable as the database's commit, and the last save of a session wins. The store
 * never closes the DataSource: its owner does, after the engine has closed.
 *
 * <p>Thread-safe, and shared: any number of engines, in any number of processes, may use one table.
 */
public final class JdbcSessionStore implements SessionStore {
  /** The table {@code SessionStores.jdbc(dataSource)} uses. */
  public static final String DEFAULT_TABLE = "ephemera_sessions";
  /** The longest table name, schema prefix included. */
  public static final int MAX_TABLE_NAME = 128;
  /** The longest session id the {@code id} column holds. */
  public static final int MAX_ID = 64;
  /** The longest user key the {@code user_key} column holds. */
  public static final int MAX_USER_KEY = 1100;
  /** Rows fetched per round trip by {@link #scan}. */
  static final int FETCH_SIZE = 200;
  /** Index names are kept to PostgreSQL's limit, so that it never truncates two to one name. */
  private static final int MAX_INDEX_NAME = 63;
  /** How often a generic save retries its UPDATE after losing an INSERT race to another writer. */
  private static final int SAVE_ATTEMPTS = 3;

  /** The SQL a database gets, chosen by {@link DatabaseMetaData#getDatabaseProductName()}. */
  public enum Dialect {
    /** H2: {@code VARBINARY}, {@code MERGE INTO … KEY (id)}. */
    H2("VARBINARY"),
    /** PostgreSQL: {@code BYTEA}, {@code INSERT … ON CONFLICT (id) DO UPDATE}. */
    POSTGRESQL("BYTEA"),
    /**
     * Any other database: {@code BLOB}, DDL without IF NOT EXISTS; a save is an UPDATE, then an INSERT
     * if no row was updated, retrying the UPDATE if the INSERT hit a duplicate key (another writer won
     * the race).
     */
    GENERIC("BLOB");

    private final String binaryType;

    Dialect(String binaryType) {
      this.binaryType = binaryType;
    }

    /** The dialect of a database, by its JDBC product name. */
    public static Dialect of(String productName) {
      String p = productName == null ? "" : productName.toLowerCase(Locale.ROOT);
      if (p.equals("h2")) {
        return H2;
      }
      if (p.equals("postgresql")) {
        return POSTGRESQL;
      }
      return GENERIC;
    }
  }

  private final DataSource dataSource;
  private final String table;
  private final Clock clock;
  private final Dialect dialect;
  private final String product;
  private final Sql sql;
  private volatile boolean closed;

  /**
   * Opens the store: validates {@code table}, then borrows one connection to learn the database and
   * to create the table and its indexes if they are missing.
   *
   * @param dataSource where connections come from; not closed by the store
   * @param table the table name, optionally with one {@code schema.} prefix (see {@link #checkTable})
   * @param dialect the SQL to use, or {@code null} to choose it by the database's product name
   * @param clock the clock {@link #sessionsOf} compares expiry times with
   * @throws InvalidNameException if the table name is not valid (before any connection is made)
   * @throws SessionStoreException if no connection can be had or the table cannot be created
   */
  public JdbcSessionStore(DataSource dataSource, String table, Dialect dialect, Clock clock) {
    checkTable(table);
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.table = table;
    this.clock = Objects.requireNonNull(clock, "clock");
    Connection c = borrow("open");
    try (c) {
      DatabaseMetaData meta = c.getMetaData();
      this.product = meta.getDatabaseProductName();
      this.dialect = dialect != null ? dialect : Dialect.of(product);
      this.sql = new Sql(this.dialect, table, meta.getIdentifierQuoteString());
      createTable(c, meta);
      if (this.dialect == Dialect.H2) {
        warnIfCommitsWait(c, meta);
      }
    } catch (SQLException e) {
      throw failure("creating the table", null, e);
    }
  }

  /**
   * An H2 file database writes a commit to its file up to {@code WRITE_DELAY} ms later (500 by
   * default): a process killed in that time loses saves the engine acknowledged (StoreCrashTest
   * found it; with {@code WRITE_DELAY=0} it still loses the last few). Says so, once, at open.
   */
  private void warnIfCommitsWait(Connection c, DatabaseMetaData meta) throws SQLException {
    String url = String.valueOf(meta.getURL());
    if (url.startsWith("jdbc:h2:mem:")) {
      return;
    }
    try (java.sql.Statement st = c.createStatement();
        java.sql.ResultSet rs = st.executeQuery(
            "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'WRITE_DELAY'")) {
      if (rs.next() && !"0".equals(rs.getString(1).trim())) {
        System.getLogger("dev.ephemera").log(System.Logger.Level.WARNING, "session store table " + table + " is in an H2"
            + " database that writes commits to its file up to " + rs.getString(1).trim() + " ms later (WRITE_DELAY):"
            + " saves acknowledged in that time are lost if the process is killed. ;WRITE_DELAY=0 in its URL narrows"
            + " that to the last few (H2 does not keep every commit through a kill); for crash safety use the file"
            + " store or a database server");
      }
    }
  }

  /**
   * Returns {@code table} if it is a valid table name: an identifier (an ASCII letter or {@code _},
   * then ASCII letters, digits or {@code _}), optionally prefixed by one schema identifier and a
   * dot, at most {@value #MAX_TABLE_NAME} characters in all. Being identifiers, the parts are quoted
   * into SQL as they are: the name is case-sensitive.
   *
   * @throws InvalidNameException if it is not
   */
  public static String checkTable(String table) {
    if (table == null) {
      throw new InvalidNameException("session table name must not be null");
    }
    if (table.length() > MAX_TABLE_NAME) {
      throw new InvalidNameException("session table name is " + table.length() + " characters long; at most "
          + MAX_TABLE_NAME + " are allowed (schema prefix included)");
    }
    int dot = table.indexOf('.');
    if (dot >= 0) {
      Names.check("session table's schema", table.substring(0, dot));
      Names.check("session table", table.substring(dot + 1));
    } else {
      Names.check("session table", table);
    }
    return table;
  }

  /** The SQL dialect in use. */
  public Dialect dialect() {
    return dialect;
  }

  /** The table name, as given. */
  public String table() {
    return table;
  }

  // ---------------------------------------------------------------- the SessionStore operations

  @Override
  public Optional<SessionRecord> load(String id) {
    Objects.requireNonNull(id, "id");
    byte[] bytes = run("load", id, false, c -> {
      try (PreparedStatement ps = c.prepareStatement(sql.select)) {
        ps.setString(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return null;
          }
          byte[] b = rs.getBytes(1);
          return b == null ? new byte[0] : b; // a NULL record (a table made by hand) is unreadable, not absent
        }
      }
    });
    return bytes == null ? Optional.empty() : Optional.of(SessionRecord.fromBytes(bytes, id));
  }

  @Override
  public void save(SessionRecord record) {
    Objects.requireNonNull(record, "record");
    String id = record.id();
    if (id.length() > MAX_ID) {
      throw new IllegalArgumentException("session id is " + id.length() + " characters long; the " + table
          + " table holds at most " + MAX_ID);
    }
    String userKey = record.userKey();
    if (userKey != null && userKey.length() > MAX_USER_KEY) {
      throw new IllegalArgumentException("user key of session " + id + " is " + userKey.length()
          + " characters long; the " + table + " table holds at most " + MAX_USER_KEY);
    }
    byte[] bytes = record.toBytes();
    long expires = ceilMillis(record.expiresAt());
    run("save", id, false, c -> {
      if (dialect == Dialect.GENERIC) {
        updateOrInsert(c, id, userKey, expires, record.revision(), bytes);
      } else {
        try (PreparedStatement ps = c.prepareStatement(sql.upsert)) {
          bindRow(ps, id, userKey, expires, record.revision(), bytes);
          ps.executeUpdate();
        }
      }
      return null;
    });
  }

  /** The portable save: UPDATE; if no row, INSERT; if another writer inserted first, UPDATE again. */
  private void updateOrInsert(Connection c, String id, String userKey, long expires, long revision, byte[] bytes)
      throws SQLException {
    for (int attempt = 1; ; attempt++) {
      try (PreparedStatement ps = c.prepareStatement(sql.update)) {
        ps.setString(1, userKey);
        ps.setLong(2, expires);
        ps.setLong(3, revision);
        ps.setBytes(4, bytes);
        ps.setString(5, id);
        if (ps.executeUpdate() > 0) {
          return;
        }
      }
      try (PreparedStatement ps = c.prepareStatement(sql.insert)) {
        bindRow(ps, id, userKey, expires, revision, bytes);
        ps.executeUpdate();
        return;
      } catch (SQLException e) {
        if (attempt >= SAVE_ATTEMPTS || !isDuplicateKey(e)) {
          throw e;
        }
        // another writer inserted this id between our UPDATE and INSERT: update its row
      }
    }
  }

  private static void bindRow(PreparedStatement ps, String id, String userKey, long expires, long revision,
      byte[] bytes) throws SQLException {
    ps.setString(1, id);
    ps.setString(2, userKey);
    ps.setLong(3, expires);
    ps.setLong(4, revision);
    ps.setBytes(5, bytes);
  }

  /** SQLState class 23 is "integrity constraint violation": a duplicate primary key among others. */
  private static boolean isDuplicateKey(SQLException e) {
    String state = e.getSQLState();
    return state != null && state.startsWith("23");
  }

  @Override
  public boolean delete(String id) {
    Objects.requireNonNull(id, "id");
    return run("delete", id, false, c -> {
      try (PreparedStatement ps = c.prepareStatement(sql.delete)) {
        ps.setString(1, id);
        return ps.executeUpdate() > 0;
      }
    });
  }

  /**
   * Streams every row ({@value #FETCH_SIZE} per round trip) in one read-only transaction: PostgreSQL's
   * driver fetches in batches only inside one, so auto-commit is switched off for the scan and
   * switched back on after it. {@code each} and {@code corrupt} are called while the connection is
   * held; an exception they throw ends the scan and is thrown as it is.
   */
  @Override
  public void scan(Consumer<SessionRecord> each, Consumer<CorruptRecordException> corrupt) {
    Objects.requireNonNull(each, "each");
    Objects.requireNonNull(corrupt, "corrupt");
    run("scan", null, true, c -> {
      try (PreparedStatement ps = c.prepareStatement(sql.scan, ResultSet.TYPE_FORWARD_ONLY,
          ResultSet.CONCUR_READ_ONLY)) {
        ps.setFetchSize(FETCH_SIZE);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            String id = rs.getString(1);
            byte[] b = rs.getBytes(2);
            SessionRecord r;
            try {
              r = SessionRecord.fromBytes(b == null ? new byte[0] : b, id);
            } catch (CorruptRecordException e) {
              corrupt.accept(e);
              continue;
            }
            each.accept(r);
          }
        }
      }
      return null;
    });
  }

  @Override
  public boolean shared() {
    return true;
  }

  /** One query on the {@code user_key} index, of the sessions that have not expired by the store's clock. */
  @Override
  public List<String> sessionsOf(String userKey) {
    Objects.requireNonNull(userKey, "userKey");
    long now = floorMillis(clock.instant());
    return run("sessionsOf", null, false, c -> {
      try (PreparedStatement ps = c.prepareStatement(sql.sessionsOf)) {
        ps.setString(1, userKey);
        ps.setLong(2, now);
        List<String> ids = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            ids.add(rs.getString(1));
          }
        }
        return ids;
      }
    });
  }

  /**
   * One {@code DELETE … WHERE expires_at <= now}. Expiry times are kept in whole milliseconds, rounded
   * up, so a record is never purged before it has expired (it may be purged up to 1 ms later).
   */
  @Override
  public int purgeExpired(Instant now) {
    long cutoff = floorMillis(Objects.requireNonNull(now, "now"));
    return run("purgeExpired", null, false, c -> {
      try (PreparedStatement ps = c.prepareStatement(sql.purge)) {
        ps.setLong(1, cutoff);
        return ps.executeUpdate();
      }
    });
  }

  /** Marks the store closed; later calls throw {@link SessionStoreException}. The DataSource stays open. */
  @Override
  public void close() {
    closed = true;
  }

  @Override
  public String toString() {
    return "SessionStores.jdbc(" + table + " on " + product + ")";
  }

  // ---------------------------------------------------------------- connections and errors

  /** Work on a borrowed connection. */
  @FunctionalInterface
  private interface Work<T> {
    T apply(Connection c) throws SQLException;
  }

  /**
   * Borrows a connection, does {@code work} on it, commits if auto-commit is off (rolls back if the
   * work failed) and closes it. With {@code inTransaction}, auto-commit is switched off for the work
   * and restored after it.
   */
  private <T> T run(String operation, String id, boolean inTransaction, Work<T> work) {
    if (closed) {
      throw new SessionStoreException(this + " is closed");
    }
    Connection c = borrow(operation);
    try (c) {
      boolean auto = c.getAutoCommit();
      boolean switched = inTransaction && auto;
      if (switched) {
        c.setAutoCommit(false);
      }
      boolean manual = !auto || switched;
      T result;
      try {
        result = work.apply(c);
        if (manual) {
          c.commit();
        }
      } catch (SQLException | RuntimeException | Error e) {
        if (manual) {
          try {
            c.rollback();
          } catch (SQLException r) {
            e.addSuppressed(r);
          }
        }
        throw e;
      } finally {
        if (switched) {
          c.setAutoCommit(true); // hand it back as it came (a pool may not reset it)
        }
      }
      return result;
    } catch (SQLException e) {
      throw failure(operation, id, e);
    }
  }

  private Connection borrow(String operation) {
    Connection c;
    try {
      c = dataSource.getConnection();
    } catch (SQLException e) {
      throw new SessionStoreException("JDBC session store '" + table + "': " + operation
          + " could not get a connection from the DataSource " + dataSource + ": " + describe(e), e);
    } catch (RuntimeException e) {
      throw new SessionStoreException("JDBC session store '" + table + "': " + operation
          + " could not get a connection from the DataSource " + dataSource + ": " + e, e);
    }
    if (c == null) {
      throw new SessionStoreException("JDBC session store '" + table + "': " + operation + ": the DataSource "
          + dataSource + " returned no connection (null)");
    }
    return c;
  }

  private SessionStoreException failure(String operation, String id, SQLException e) {
    return new SessionStoreException("JDBC session store '" + table + "'" + (product == null ? "" : " on " + product)
        + ": " + operation + (id == null ? "" : " of " + id) + " failed: " + describe(e), e);
  }

  /** The message, SQLState and vendor code of an SQL error, and those of the errors chained to it. */
  static String describe(SQLException e) {
    StringBuilder b = new StringBuilder();
    int n = 0;
    for (SQLException x = e; x != null && n < 3; x = x.getNextException(), n++) {
      if (n > 0) {
        b.append("; next: ");
      }
      b.append(x.getMessage()).append(" (SQLState ").append(x.getSQLState()).append(", vendor code ")
          .append(x.getErrorCode()).append(')');
    }
    return b.toString();
  }

  // ---------------------------------------------------------------- the table

  private void createTable(Connection c, DatabaseMetaData meta) throws SQLException {
    boolean auto = c.getAutoCommit();
    for (int attempt = 1; ; attempt++) {
      try {
        // look first: a user who may not create tables (PostgreSQL 15+ by default) can still use a
        // table made for it, and IF NOT EXISTS checks that right before it looks
        if (!tableExists(c, meta)) {
          boolean ifNotExists = dialect != Dialect.GENERIC;
          try (Statement st = c.createStatement()) {
            st.execute(sql.createTable(ifNotExists));
            st.execute(sql.createIndex(ifNotExists, sql.userKeyIndex, "user_key"));
            st.execute(sql.createIndex(ifNotExists, sql.expiresIndex, "expires_at"));
          }
        }
        if (!auto) {
          c.commit();
        }
        return;
      } catch (SQLException e) {
        if (!auto) {
          try {
            c.rollback();
          } catch (SQLException r) {
            e.addSuppressed(r);
          }
        }
        // two engines creating the table at once: PostgreSQL's IF NOT EXISTS can still fail, and the
        // generic check-then-create can race; the second attempt finds the table made
        if (attempt >= 2) {
          throw e;
        }
      }
    }
  }

  /** Whether the JDBC metadata lists the table (in the connection's current schema if none is given). */
  private boolean tableExists(Connection c, DatabaseMetaData meta) throws SQLException {
    String schema = sql.schema;
    if (schema == null) {
      try {
        schema = c.getSchema();
      } catch (SQLException | AbstractMethodError e) {
        schema = null; // a driver older than JDBC 4.1: look in every schema
      }
    }
    String name = sql.name;
    if (!sql.quoted) { // the database folds unquoted names: look for the name as it stored it
      if (meta.storesUpperCaseIdentifiers()) {
        name = name.toUpperCase(Locale.ROOT);
        schema = sql.schema == null ? schema : schema.toUpperCase(Locale.ROOT);
      } else if (meta.storesLowerCaseIdentifiers()) {
        name = name.toLowerCase(Locale.ROOT);
        schema = sql.schema == null ? schema : schema.toLowerCase(Locale.ROOT);
      }
    }
    int max = meta.getMaxTableNameLength(); // PostgreSQL keeps the first 63 characters of a longer name
    if (max > 0 && name.length() > max) {
      name = name.substring(0, max);
    }
    try (ResultSet rs = meta.getTables(null, schema == null ? null : escape(meta, schema), escape(meta, name), null)) {
      while (rs.next()) {
        if (name.equals(rs.getString("TABLE_NAME"))) { // a quoted name is case-sensitive
          return true;
        }
      }
    }
    return false;
  }

  /** A metadata search pattern that matches {@code name} only ({@code _} is a wildcard there). */
  private static String escape(DatabaseMetaData meta, String name) throws SQLException {
    String esc = meta.getSearchStringEscape();
    if (esc == null || esc.isEmpty()) {
      return name;
    }
    return name.replace(esc, esc + esc).replace("_", esc + "_").replace("%", esc + "%");
  }

  // ---------------------------------------------------------------- time

  /** Epoch milliseconds rounded up, saturating. */
  static long ceilMillis(Instant t) {
    long ms = floorMillis(t);
    return t.getNano() % 1_000_000 != 0 && ms != Long.MAX_VALUE ? ms + 1 : ms;
  }

  /** Epoch milliseconds rounded down, saturating. */
  static long floorMillis(Instant t) {
    try {
      return t.toEpochMilli();
    } catch (ArithmeticException e) {
      return t.isBefore(Instant.EPOCH) ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }

  // ---------------------------------------------------------------- the SQL

  /** Every statement the store runs, for one dialect and table: the only place SQL text is made. */
  private static final class Sql {
    final Dialect dialect;
    final String schema;
    final String name;
    /** Whether names are quoted (the database supports it), and so case-sensitive. */
    final boolean quoted;
    final String table;
    final String userKeyIndex;
    final String expiresIndex;
    final String select;
    final String upsert;
    final String update;
    final String insert;
    final String delete;
    final String scan;
    final String sessionsOf;
    final String purge;

    Sql(Dialect dialect, String qualifiedName, String quoteString) {
      this.dialect = dialect;
      int dot = qualifiedName.indexOf('.');
      this.schema = dot < 0 ? null : qualifiedName.substring(0, dot);
      this.name = qualifiedName.substring(dot + 1);
      // the names are identifiers (checkTable), so quoting never needs escaping; a database
      // without quoting reports " " (JDBC) and gets the names as they are
      String q = quoteString == null || quoteString.isBlank() ? "" : quoteString.strip();
      this.quoted = !q.isEmpty();
      this.table = (schema == null ? "" : q + schema + q + ".") + q + name + q;
      // PostgreSQL puts an index in its table's schema and takes no schema before its name; H2 would
      // put an unqualified one in the current schema
      String indexSchema = schema != null && dialect == Dialect.H2 ? q + schema + q + "." : "";
      this.userKeyIndex = indexSchema + q + indexName(name, "_user_key_idx") + q;
      this.expiresIndex = indexSchema + q + indexName(name, "_expires_at_idx") + q;
      String columns = "(id, user_key, expires_at, revision, record)";
      this.select = "SELECT record FROM " + table + " WHERE id = ?";
      this.upsert = switch (dialect) {
        case H2 -> "MERGE INTO " + table + " " + columns + " KEY (id) VALUES (?, ?, ?, ?, ?)";
        case POSTGRESQL -> "INSERT INTO " + table + " " + columns + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE"
            + " SET user_key = EXCLUDED.user_key, expires_at = EXCLUDED.expires_at,"
            + " revision = EXCLUDED.revision, record = EXCLUDED.record";
        case GENERIC -> null;
      };
      this.update = "UPDATE " + table + " SET user_key = ?, expires_at = ?, revision = ?, record = ? WHERE id = ?";
      this.insert = "INSERT INTO " + table + " " + columns + " VALUES (?, ?, ?, ?, ?)";
      this.delete = "DELETE FROM " + table + " WHERE id = ?";
      this.scan = "SELECT id, record FROM " + table;
      this.sessionsOf = "SELECT id FROM " + table + " WHERE user_key = ? AND expires_at > ?";
      this.purge = "DELETE FROM " + table + " WHERE expires_at <= ?";
    }

    String createTable(boolean ifNotExists) {
      return "CREATE TABLE " + (ifNotExists ? "IF NOT EXISTS " : "") + table + " (id VARCHAR(" + MAX_ID
          + ") PRIMARY KEY, user_key VARCHAR(" + MAX_USER_KEY + "), expires_at BIGINT NOT NULL,"
          + " revision BIGINT NOT NULL, record " + dialect.binaryType + " NOT NULL)";
    }

    String createIndex(boolean ifNotExists, String index, String column) {
      return "CREATE INDEX " + (ifNotExists ? "IF NOT EXISTS " : "") + index + " ON " + table + " (" + column + ")";
    }

    /** {@code table + suffix}, or if that is too long a prefix of the table, a hash of it, and the suffix. */
    static String indexName(String table, String suffix) {
      String n = table + suffix;
      if (n.length() <= MAX_INDEX_NAME) {
        return n;
      }
      String hash = String.format("%08x", table.hashCode());
      return table.substring(0, MAX_INDEX_NAME - suffix.length() - hash.length() - 1) + "_" + hash + suffix;
    }
  }
}
