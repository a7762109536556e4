package dev.ephemera;

/** No savepoint in force has this name, or the given one was released or rolled past. The transaction stays usable. */
public final class UnknownSavepointException extends TransactionException {
  private static final long serialVersionUID = 1L;

  private final String savepoint;

  public UnknownSavepointException(String savepoint, String message) {
    super(message);
    this.savepoint = savepoint;
  }

  /** The name asked for. */
  public String savepoint() {
    return savepoint;
  }
}
