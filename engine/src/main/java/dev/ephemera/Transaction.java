package dev.ephemera;

import java.util.List;

/**
 * A session's transaction, from {@link Session#begin()}. A rollback, whole or to a savepoint,
 * undoes everything the session changed since: its rows in H2 and its variables (and, later, its
 * temporary-graph edits), together.
 *
 * <p>Savepoints nest as in PostgreSQL: a new savepoint with the name of an older one hides it
 * (the newest wins), {@link #release(String)} removes the newest of that name and every savepoint
 * taken after it, and {@link #rollbackTo(String)} undoes everything after the savepoint, which
 * stays. A bad savepoint name throws {@link UnknownSavepointException} and leaves the transaction
 * usable.
 *
 * <p>Inside a transaction a statement that H2 would run only by committing first (most DDL:
 * {@code CREATE TABLE}, {@code DROP TABLE}, {@code CREATE INDEX}, {@code TRUNCATE}, …) is refused
 * with {@link TransactionException} before it runs; {@link Session#createTempTable} still works
 * (its table is created without a commit, and is not removed by a rollback).
 *
 * <p>{@link #close()} without {@link #commit()} rolls back, so try-with-resources never leaves a
 * transaction open. A session that ends with a transaction open rolls it back.
 */
public interface Transaction extends AutoCloseable {

  /**
   * Takes a savepoint.
   *
   * @throws InvalidNameException if {@code name} is not an identifier of at most 128 characters
   */
  Savepoint savepoint(String name);

  /** Undoes everything after the savepoint; the savepoint stays and may be rolled back to again. */
  void rollbackTo(Savepoint savepoint);

  /** Undoes everything after the newest savepoint of this name. */
  void rollbackTo(String name);

  /** Removes the newest savepoint of this name and every later one; their changes stay. */
  void release(String name);

  /** Removes this savepoint and every later one; their changes stay. */
  void release(Savepoint savepoint);

  /** The names of the savepoints in force, oldest first. */
  List<String> savepoints();

  /** Makes the transaction's changes permanent and ends it. */
  void commit();

  /** Undoes the transaction's changes and ends it. */
  void rollback();

  /** Whether the transaction is still open (not committed, rolled back or ended with its session). */
  boolean isActive();

  /** Rolls back unless the transaction was committed or rolled back already. */
  @Override
  void close();
}
