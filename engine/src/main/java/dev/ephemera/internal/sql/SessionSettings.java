package dev.ephemera.internal.sql;

import dev.ephemera.TransactionException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Set;

/**
 * The settings of a session's SQL that live on its H2 connection — its time zone and the isolation
 * level of its transactions — kept here so that every connection the session opens (one per
 * database it selects) gets them. Guarded by the session connection's lock.
 */
public final class SessionSettings {
  public static final String DEFAULT_ISOLATION = dev.ephemera.Session.DEFAULT_ISOLATION_LEVEL;
  private static final Set<String> LEVELS = Set.of("READ UNCOMMITTED", "READ COMMITTED", "REPEATABLE READ", "SNAPSHOT",
      "SERIALIZABLE");

  private final SessionConnection sql;
  private ZoneId timeZone; // null: the default
  private String isolation = DEFAULT_ISOLATION;

  SessionSettings(SessionConnection sql) {
    this.sql = sql;
  }

  public ZoneId timeZone() {
    sql.lock.lock();
    try {
      return timeZone;
    } finally {
      sql.lock.unlock();
    }
  }

  public String isolation() {
    sql.lock.lock();
    try {
      return isolation;
    } finally {
      sql.lock.unlock();
    }
  }

  public void setTimeZone(ZoneId zone) {
    sql.lock.lock();
    try {
      Connection c = sql.openConnectionOrNull();
      if (c != null) {
        run(c, timeZoneSql(zone));
      }
      timeZone = zone;
    } finally {
      sql.lock.unlock();
    }
  }

  public void setIsolation(String level) {
    String l = level.strip().replace('_', ' ').toUpperCase(Locale.ROOT);
    if (!LEVELS.contains(l)) {
      throw new IllegalArgumentException("session " + sql.owner.id() + ": '" + SqlText.abbreviate(level) + "' is not an"
          + " isolation level H2 has; one of " + String.join(", ", new java.util.TreeSet<>(LEVELS)));
    }
    sql.lock.lock();
    try {
      if (sql.tx != null) {
        throw new TransactionException("session " + sql.owner.id() + ": the isolation level changes between"
            + " transactions; commit or roll back first");
      }
      Connection c = sql.openConnectionOrNull();
      if (c != null) {
        run(c, isolationSql(l));
      }
      isolation = l;
    } finally {
      sql.lock.unlock();
    }
  }

  /** Gives a connection the session opens (or brings back) the session's settings; callers hold the lock. */
  void applyTo(Connection c) throws SQLException {
    if (timeZone != null) {
      try (Statement st = c.createStatement()) {
        st.execute(timeZoneSql(timeZone));
      }
    }
    if (!isolation.equals(DEFAULT_ISOLATION)) {
      try (Statement st = c.createStatement()) {
        st.execute(isolationSql(isolation));
      }
    }
  }

  private void run(Connection c, String statement) {
    try (Statement st = c.createStatement()) {
      st.execute(statement);
    } catch (SQLException e) {
      throw sql.translate(e);
    }
  }

  private static String timeZoneSql(ZoneId zone) {
    return "SET TIME ZONE '" + zone.getId().replace("'", "''") + "'";
  }

  private static String isolationSql(String level) {
    return "SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL " + level;
  }
}
