package dev.ephemera;

/** A savepoint within a {@link Transaction}. */
public interface Savepoint {
  /** The name it was taken with. */
  String name();

  /** Whether it is still in force (not released, not removed by a rollback to an earlier one). */
  boolean isValid();
}
