package dev.ephemera.graph;

import dev.ephemera.EphemeraException;

/**
 * The session has no temporary graph of that name (it was never created, was dropped, or the
 * session ended), or a {@link TempGraph} handle is used after its graph was dropped.
 */
public final class GraphNotFoundException extends EphemeraException {
  private static final long serialVersionUID = 1L;

  public GraphNotFoundException(String message) {
    super(message);
  }
}
