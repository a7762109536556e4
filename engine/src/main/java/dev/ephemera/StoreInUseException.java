package dev.ephemera;

/**
 * A file store is open in another engine (in this process or another one). A file store has one
 * writer at a time; share sessions between engines with a shared store (Redis, JDBC) instead.
 */
public class StoreInUseException extends SessionStoreException {
  private static final long serialVersionUID = 1L;

  public StoreInUseException(String message) {
    super(message);
  }
}
