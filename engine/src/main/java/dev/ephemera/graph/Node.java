package dev.ephemera.graph;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A snapshot of a node: its key, labels and properties. Changing the graph later does not change
 * it. Property values are of the same types as session variables.
 */
public record Node(String key, Set<String> labels, Map<String, Object> properties) {
  public Node {
    labels = Set.copyOf(labels);
    properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
  }
}
