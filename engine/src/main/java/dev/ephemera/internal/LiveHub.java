package dev.ephemera.internal;

import dev.ephemera.Change;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The live queries on one table and the H2 trigger that feeds them. A trigger instance finds its
 * hub by the trigger's name in {@link #BY_TRIGGER}, because H2 creates trigger objects itself.
 */
final class LiveHub {
  private static final System.Logger LOG = System.getLogger("dev.ephemera");
  static final ConcurrentHashMap<String, LiveHub> BY_TRIGGER = new ConcurrentHashMap<>();

  final H2Database db;
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

  LiveHub(H2Database db, String key, String triggerName, String schema, String table, SessionConnection tempOwner) {
    this.db = db;
    this.key = key;
    this.triggerName = triggerName;
    this.qualifiedTrigger = H2Database.quote(schema) + "." + H2Database.quote(triggerName);
    this.qualifiedTable = H2Database.quote(schema) + "." + H2Database.quote(table);
    this.table = table;
    this.tempOwner = tempOwner;
  }

  boolean hasListeners() {
    return !queries.isEmpty();
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
