package dev.ephemera;

/** What becomes of a temporary table's rows when a transaction commits, as in PostgreSQL. */
public enum OnCommit {
  /** Rows stay (the default). */
  PRESERVE_ROWS,
  /** Rows are deleted at every commit; outside a transaction, after every statement. */
  DELETE_ROWS,
  /** The table is dropped at the next commit; outside a transaction, by the next statement that commits. */
  DROP
}
