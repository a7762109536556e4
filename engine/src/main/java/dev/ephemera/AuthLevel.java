package dev.ephemera;

/** The level at which a user is defined and signs in. */
public enum AuthLevel {
  /** May use every namespace and database and administer the engine. */
  ROOT,
  /** May use every database of one namespace. */
  NAMESPACE,
  /** May use one database of one namespace. */
  DATABASE
}
