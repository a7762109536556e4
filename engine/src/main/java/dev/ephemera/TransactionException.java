package dev.ephemera;

/**
 * A transaction cannot do what was asked: one is already open, none is open, it has ended, or a
 * statement would commit it behind the caller's back. Nothing was changed.
 */
public class TransactionException extends EphemeraException {
  private static final long serialVersionUID = 1L;

  public TransactionException(String message) {
    super(message);
  }
}
