package dev.ephemera;

/**
 * Base class of the exceptions Ephemera throws for a state or an operation that cannot go ahead
 * (as opposed to a bad argument, which gets an {@link IllegalArgumentException} subtype).
 * Messages name the session by its public id, never by its token.
 */
public class EphemeraException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public EphemeraException(String message) {
    super(message);
  }

  public EphemeraException(String message, Throwable cause) {
    super(message, cause);
  }
}
