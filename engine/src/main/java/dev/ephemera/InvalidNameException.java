package dev.ephemera;

/**
 * A name (variable, namespace, database, user) is not a valid identifier: it must start with an
 * ASCII letter or {@code _}, continue with ASCII letters, digits or {@code _}, and be at most
 * 128 characters long.
 */
public final class InvalidNameException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public InvalidNameException(String message) {
    super(message);
  }
}
