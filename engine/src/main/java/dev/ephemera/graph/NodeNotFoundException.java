package dev.ephemera.graph;

import dev.ephemera.EphemeraException;

/** An operation named a node key the graph does not have. Nothing was changed. */
public final class NodeNotFoundException extends EphemeraException {
  private static final long serialVersionUID = 1L;

  private final String key;

  public NodeNotFoundException(String graph, String key) {
    super("graph '" + graph + "' has no node '" + key + "'");
    this.key = key;
  }

  /** The missing key. */
  public String key() {
    return key;
  }
}
