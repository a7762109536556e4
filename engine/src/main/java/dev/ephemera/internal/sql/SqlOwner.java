package dev.ephemera.internal.sql;

import dev.ephemera.AccessDeniedException;
import dev.ephemera.EndReason;
import dev.ephemera.Session;
import dev.ephemera.SessionClosedException;
import dev.ephemera.SessionEngine;
import java.sql.SQLException;

/**
 * What a session's SQL side ({@link SessionConnection}, its transaction, its JDBC wrapper and live
 * queries) needs of the session that owns it, and nothing more: the SQL package never sees the
 * session's other state. The engine's session implements it.
 */
public interface SqlOwner {
  /** A unit of work run as one call of the session. */
  @FunctionalInterface
  interface Work<T> {
    T run() throws SQLException;
  }

  /** The session's public id ({@code sess_…}), for messages. */
  String id();

  /** The session as its users see it. */
  Session session();

  /** The engine the session belongs to. */
  SessionEngine engine();

  /** The session's SQL side, created on first use. */
  SessionConnection sql();

  /** Whether the session has not begun to end. */
  boolean isLive();

  /** The exception a call on the ended session gets. */
  SessionClosedException closed();

  /** Ends the session (the SQL side found it cannot keep its rights); whether this call ended it. */
  boolean end(EndReason reason);

  /** The H2 rights the session's scope gives its connection, read consistently. */
  SessionConnection.Scope h2Scope();

  /** Records in the audit log that the session was refused something, and returns {@code e}. */
  AccessDeniedException denied(AccessDeniedException e, String reason);

  /** Records in the audit log that the session was refused something. */
  void auditDenied(String reason);

  /** The open transaction's undo log (variable writes record into it), or {@code null} when it ends. */
  void undoLog(UndoLog log);

  /** The session's transaction ended (commit or rollback): its store gets what it changed. */
  void transactionEnded();

  /**
   * Runs {@code body} as a call of the session (it cannot be released under it); an
   * {@link SQLException} escaping the body is a bug (bodies translate their own).
   */
  <T> T call(Work<T> body);

  /** {@link #call}, letting the body's {@link SQLException} through (for the JDBC wrapper). */
  <T> T callJdbc(Work<T> body) throws SQLException;

  /** The sign-in and selection this session has now, for {@link #renew} later (opaque to SQL code). */
  Object sqlOrigin();

  /**
   * Ends this session and returns a new one of the same engine and client that starts from
   * {@code origin} ({@link #sqlOrigin}): a reset driver connection's next session.
   */
  Session renew(Object origin);

  /**
   * The temporary graph the SQL dialect's graph statements run on ({@code USE GRAPH g}): its
   * name as stored (upper case), or {@code null} when none is selected. Dropping that graph
   * clears it; a new session (a renewed one included) has none; {@code use(ns, db)} keeps it.
   */
  String currentGraph();

  /**
   * Selects the session's temporary graph {@code name} for the dialect's graph statements.
   *
   * @throws dev.ephemera.InvalidNameException if the name is not a valid graph name
   * @throws dev.ephemera.graph.GraphNotFoundException if the session has no such graph (then
   *     the selection is unchanged)
   */
  void useGraph(String name);
}
