package dev.ephemera.internal.graph;

import dev.ephemera.Session;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Supplier;

/**
 * What a session's temporary graphs need of the session that owns them, and nothing more: the
 * graph package never sees the session's other state. The engine's session implements it.
 */
public interface GraphOwner {
  /** JDBC work on the session's connection. */
  @FunctionalInterface
  interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
  }

  /** The session's public id ({@code sess_…}), for messages. */
  String id();

  /** The session as its users see it (graphs export into its temporary tables through it). */
  Session session();

  /** Runs {@code body} as a call of the session: the session cannot be released under it. */
  <T> T inCall(Supplier<T> body);

  /** Whether a transaction is open: a change then records how to undo it ({@link #recordUndo}). */
  boolean inTransaction();

  /** Records how to undo a change, if a transaction is open; a rollback past this point runs it. */
  void recordUndo(Runnable undo);

  /**
   * Runs {@code body} as a call of the session, holding its SQL lock (so a rollback, which undoes
   * graph edits under that lock, cannot run meanwhile), on the session's JDBC connection; an
   * {@link SQLException} becomes the engine's typed exception.
   */
  <T> T withSqlLock(SqlWork<T> body);
}
