package dev.ephemera;

/** The session's sign-in state does not allow the operation (for example {@code use} outside its scope). */
public final class AccessDeniedException extends EphemeraException {
  private static final long serialVersionUID = 1L;

  public AccessDeniedException(String message) {
    super(message);
  }

  /** An access H2 refused: {@code cause} is H2's error (its SQLState and vendor code). */
  public AccessDeniedException(String message, Throwable cause) {
    super(message, cause);
  }
}
