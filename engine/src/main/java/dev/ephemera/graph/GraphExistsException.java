package dev.ephemera.graph;

import dev.ephemera.EphemeraException;

/** The session already has a temporary graph of that name (names are case-insensitive). Nothing was created. */
public final class GraphExistsException extends EphemeraException {
  private static final long serialVersionUID = 1L;

  public GraphExistsException(String message) {
    super(message);
  }
}
