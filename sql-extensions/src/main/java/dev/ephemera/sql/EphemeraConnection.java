package dev.ephemera.sql;

import dev.ephemera.Session;
import java.sql.Connection;

/**
 * A JDBC connection of the {@code jdbc:ephemera:} driver: one Ephemera session. Closing it ends
 * the session (its temporary tables, graphs and live queries go with it). Get it with
 * {@code connection.unwrap(EphemeraConnection.class)} (also through a pool).
 */
public interface EphemeraConnection extends Connection {
  /** The session this connection is. */
  Session session();

  /** Adds a listener for the changes of the live queries started on this connection ({@code LIVE SELECT}). */
  void addLiveListener(LiveSqlListener listener);

  /** Removes a listener; returns whether it was added. */
  boolean removeLiveListener(LiveSqlListener listener);
}
