package dev.ephemera.internal.sql;

import dev.ephemera.Change;
import dev.ephemera.EndReason;
import dev.ephemera.LiveListener;
import dev.ephemera.LiveQuery;
import dev.ephemera.SqlException;
import dev.ephemera.TransactionException;
import dev.ephemera.internal.sql.trigger.LiveTrigger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One session's live queries and the changes its uncommitted statements made to watched tables:
 * queued while its transaction is open, delivered when it commits, dropped when it rolls back.
 * The first live query on a table creates the H2 trigger ({@link LiveTrigger}) and its
 * {@link LiveHub}; the last one on a shared table drops it. Everything here runs under the
 * session's SQL lock ({@link SessionConnection#lock}), hubs under the database's.
 */
final class LiveQueries {
  private static final System.Logger LOG = System.getLogger("dev.ephemera");

  private final SessionConnection sql;
  /** Live-query changes made since the last commit, in order (under the lock). */
  private final ArrayList<Object[]> pending = new ArrayList<>();
  private final List<LiveQueryImpl> lives = new ArrayList<>(); // under the lock

  LiveQueries(SessionConnection sql) {
    this.sql = sql;
  }

  /** Where the queue of uncommitted changes stands (a savepoint remembers it). */
  int mark() {
    return pending.size();
  }

  /** Drops the uncommitted changes queued after {@code mark} (rolled back). */
  void truncate(int mark) {
    for (int i = pending.size() - 1; i >= mark; i--) {
      pending.remove(i);
    }
  }

  /** Called by the trigger, on this session's thread, inside one of its statements. */
  void queue(LiveHub hub, Change c) {
    pending.add(new Object[] {hub, c});
  }

  /** Delivers the queued changes (their statement or transaction committed). */
  void deliver() {
    if (pending.isEmpty()) {
      return;
    }
    Object[][] batch = pending.toArray(new Object[0][]);
    pending.clear();
    for (Object[] p : batch) {
      ((LiveHub) p[0]).deliver((Change) p[1]);
    }
  }

  /** Starts a live query on a table the session can read (see {@link dev.ephemera.Session#live}). */
  LiveQuery start(String table, LiveListener listener) {
    String name = SqlText.tableName(table);
    Objects.requireNonNull(listener, "listener");
    sql.lock.lock();
    try {
      Connection c = sql.conn();
      String schema;
      boolean temp;
      try (PreparedStatement ps = c.prepareStatement("SELECT TABLE_SCHEMA, TABLE_TYPE FROM INFORMATION_SCHEMA.TABLES"
          + " WHERE TABLE_NAME = ? AND (TABLE_SCHEMA = SCHEMA() OR TABLE_TYPE = 'LOCAL TEMPORARY')"
          + " ORDER BY TABLE_TYPE = 'LOCAL TEMPORARY'")) { // H2 finds a shared table before a temporary one
        ps.setString(1, name);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            throw new SqlException("session " + sql.owner.id() + ": no table " + name + " to watch",
                new SQLException("Table \"" + name + "\" not found", "42S02", 42102));
          }
          schema = rs.getString(1);
          temp = "LOCAL TEMPORARY".equals(rs.getString(2));
        }
      } catch (SQLException e) {
        throw sql.translate(e);
      }
      String qualified = H2Database.quote(schema) + "." + H2Database.quote(name);
      // the columns from the table itself, on the session's own connection: this is also the check
      // that the session may read the table (INFORMATION_SCHEMA lists tables it has no rights on,
      // and can miss a local temporary table, and then the rows would be keyed C1, C2, …)
      List<String> columns;
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT * FROM " + qualified + " WHERE FALSE")) {
        ResultSetMetaData md = rs.getMetaData();
        List<String> cols = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          cols.add(md.getColumnName(i));
        }
        columns = List.copyOf(cols);
      } catch (SQLException e) {
        throw sql.translate(e);
      }
      PhysicalDatabase home = sql.user().home;
      String key = temp ? "temp:" + System.identityHashCode(sql) + ":" + name
          : (home.schema == null ? "" : home.schema) + "|" + schema + "." + name; // a schema lives in one database
      LiveQueryImpl q;
      synchronized (sql.db) {
        LiveHub hub = sql.db.hubs.get(key);
        if (hub != null && hub.tempOwner != null && hub.tempOwner != sql) {
          hub = null; // an identity-hash collision between two sessions: never share a temp hub
        }
        if (hub == null) {
          if (sql.tx != null) {
            throw new TransactionException("session " + sql.owner.id() + ": starting the first live query on " + name
                + " creates an H2 trigger, which would commit the open transaction; start it outside the transaction");
          }
          String trigger = sql.db.nextTriggerName();
          hub = new LiveHub(home, key, trigger, schema, name, temp ? sql : null);
          hub.columns = columns;
          LiveTrigger.TARGETS.put(trigger, hub);
          String ddl = "CREATE TRIGGER " + hub.qualifiedTrigger + " AFTER INSERT, UPDATE, DELETE ON " + hub.qualifiedTable
              + " FOR EACH ROW CALL '" + LiveTrigger.class.getName() + "'";
          try {
            if (temp) {
              createTempTrigger(c, ddl);
            } else {
              home.adminExecute(ddl);
            }
          } catch (SQLException e) {
            LiveTrigger.TARGETS.remove(trigger);
            throw sql.translate(e);
          }
          sql.db.hubs.put(key, hub);
        }
        q = new LiveQueryImpl(sql.db.nextLiveId(), hub, listener, this);
        hub.queries.add(q);
      }
      lives.add(q);
      return q;
    } finally {
      sql.lock.unlock();
    }
  }

  /**
   * Creates a trigger on one of the session's temporary tables, which only its own connection
   * sees. H2 wants admin rights for CREATE TRIGGER, so a session that is not root holds them for
   * this one statement of the engine's (under the lock: nothing of the user's runs or is prepared
   * meanwhile, and the H2 user has no other connection).
   *
   * <p>A session whose right cannot be taken back is ended (it must never keep it).
   */
  private void createTempTrigger(Connection c, String ddl) throws SQLException {
    PhysicalDatabase.H2User u = sql.user();
    if (u.admin) {
      sql.update(c, ddl);
      return;
    }
    u.home.setAdmin(u, true, false);
    try {
      sql.update(c, ddl);
    } finally {
      try {
        u.home.setAdmin(u, false, false);
      } catch (SQLException e) {
        LOG.log(System.Logger.Level.ERROR, "session " + sql.owner.id() + ": taking back the admin right it held to"
            + " create a trigger on its temporary table failed; ending it", e);
        sql.owner.end(EndReason.KILLED); // never leave it admin
        throw e;
      }
    }
  }

  /** A live query of this session was closed by its user. */
  void closed(LiveQueryImpl q) {
    sql.lock.lock();
    try {
      lives.remove(q);
    } finally {
      sql.lock.unlock();
    }
    detach(q);
  }

  /** Removes a query from its hub; the last query on a shared table drops its trigger. */
  private void detach(LiveQueryImpl q) {
    LiveHub hub = q.hub;
    synchronized (sql.db) {
      hub.queries.remove(q);
      if (hub.queries.isEmpty() && hub.tempOwner == null && sql.db.hubs.remove(hub.key, hub)) {
        LiveTrigger.TARGETS.remove(hub.triggerName);
        try {
          hub.home.adminExecute("DROP TRIGGER IF EXISTS " + hub.qualifiedTrigger);
        } catch (SQLException e) {
          LOG.log(System.Logger.Level.WARNING, "dropping live-query trigger " + hub.triggerName + " failed", e);
        }
      }
    }
  }

  /** Forgets the queued changes (the transaction rolled back, or the session ended). */
  void dropQueued() {
    pending.clear();
  }

  /** Stops every live query of the session (it is ending); under the lock. */
  void stopAll() {
    for (LiveQueryImpl q : lives) {
      q.stopQuietly();
      detach(q);
    }
    lives.clear();
  }

  /** Forgets the hubs of the session's temporary tables (their triggers went with the connection). */
  void forgetTempHubs() {
    synchronized (sql.db) {
      sql.db.hubs.values().removeIf(h -> {
        if (h.tempOwner == sql) {
          LiveTrigger.TARGETS.remove(h.triggerName);
          return true;
        }
        return false;
      });
    }
  }
}
