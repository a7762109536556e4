package dev.ephemera.sql;

import dev.ephemera.Change;

/**
 * Receives the changes of the live queries started with {@code LIVE SELECT * FROM table}. Called
 * on the thread whose commit made the change; keep it short and do not block.
 */
@FunctionalInterface
public interface LiveSqlListener {
  /**
   * @param liveId the id {@code LIVE SELECT} returned (and {@code KILL LIVE} takes)
   * @param change the inserted, updated or deleted row
   */
  void changed(String liveId, Change change);
}
