package dev.ephemera;

/**
 * A {@link SessionStore} could not read or write a session record: the store's file, database or
 * server failed, or a record is unreadable ({@link CorruptRecordException}). With write-through,
 * a change whose save failed stays in memory but is not durable; the exception says so.
 */
public class SessionStoreException extends EphemeraException {
  private static final long serialVersionUID = 1L;

  public SessionStoreException(String message) {
    super(message);
  }

  public SessionStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
