package dev.ephemera;

/** A variable exists but holds a value that cannot be returned as the requested type. */
public final class VariableTypeException extends ClassCastException {
  private static final long serialVersionUID = 1L;

  public VariableTypeException(String message) {
    super(message);
  }
}
