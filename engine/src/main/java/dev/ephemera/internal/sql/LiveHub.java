package dev.ephemera.internal.sql;

import dev.ephemera.Change;
import java.util.List;
import dev.ephemera.internal.sql.trigger.LiveTrigger;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The live queries on one table and the H2 trigger that feeds them. A trigger instance finds its
 * hub by the trigger's name in {@link LiveTrigger#TARGETS}, because H2 creates trigger objects
 * itself. A change made by an Ephemera session is queued in that session and delivered when it
 * commits (or dropped when it rolls back); a change from any other connection is delivered at once.
 */
final class LiveHub implements LiveTrigger.Target {
  private static final System.Logger LOG = System.getLogger("dev.ephemera");

  /** The H2 database of the table (its trigger is dropped there). */
  final PhysicalDatabase home;
  final String key;
  final String triggerName;
  /** The trigger's name with its schema (the table's): the administrator's connection works in PUBLIC. */
  final String qualifiedTrigger;
  final String qualifiedTable;
  final String table;
  /** The session whose temporary table this is, or {@code null} for a shared table. */
  final SessionConnection tempOwner;
  final List<LiveQueryImpl> queries = new CopyOnWriteArrayList<>();
  volatile List<String> columns = List.of();

  LiveHub(PhysicalDatabase home, String key, String triggerName, String schema, String table,
      SessionConnection tempOwner) {
    this.home = home;
    this.key = key;
    this.triggerName = triggerName;
    this.qualifiedTrigger = H2Database.quote(schema) + "." + H2Database.quote(triggerName);
    this.qualifiedTable = H2Database.quote(schema) + "." + H2Database.quote(table);
    this.table = table;
    this.tempOwner = tempOwner;
  }

  @Override
  public boolean hasListeners() {
    return !queries.isEmpty();
  }

  @Override
  public String table() {
    return table;
  }

  @Override
  public List<String> columns() {
    return columns;
  }

  @Override
  public void columns(List<String> columns) {
    this.columns = columns;
  }

  @Override
  public void changed(Object h2Session, Change c) {
    SessionConnection writer = H2Database.BY_H2_SESSION.get(h2Session);
    if (writer != null) {
      writer.live.queue(this, c);
    } else {
      deliver(c);
    }
  }

  void deliver(Change c) {
    for (LiveQueryImpl q : queries) {
      if (q.isActive()) {
        try {
          q.listener.changed(c);
        } catch (RuntimeException e) {
          LOG.log(System.Logger.Level.WARNING, "live query " + q.id() + " listener failed", e);
        }
      }
    }
  }
}
