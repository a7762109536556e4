package dev.ephemera.graph;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A snapshot of an edge. {@code id} tells parallel edges apart (same endpoints and type) and is
 * what {@link TempGraph#removeEdge(Edge)} goes by; ids are not reused within a graph.
 */
public record Edge(long id, String from, String to, String type, Map<String, Object> properties) {
  public Edge {
    properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
  }
}
