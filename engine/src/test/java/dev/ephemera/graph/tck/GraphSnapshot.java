package dev.ephemera.graph.tck;

import dev.ephemera.graph.Edge;
import dev.ephemera.graph.Node;
import dev.ephemera.graph.TempGraph;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What a graph holds, as far as the TCK's side effects count it, read through the public Java API:
 * its node keys, its edge ids, the distinct label names on its nodes, and every property as an
 * (element, name, value) triple.
 */
record GraphSnapshot(Set<String> nodes, Set<Long> relationships, Set<String> labels, Set<Property> properties) {
  GraphSnapshot {
    nodes = Set.copyOf(nodes);
    relationships = Set.copyOf(relationships);
    labels = Set.copyOf(labels);
    properties = Set.copyOf(properties);
  }

  /**
   * One property of one node or relationship.
   *
   * @param element the node's key or the relationship's id, marked as one or the other
   */
  record Property(String element, String name, TckValue value) {}

  /** The graph as it is now. */
  static GraphSnapshot of(TempGraph graph) {
    Set<String> nodes = new HashSet<>();
    Set<String> labels = new HashSet<>();
    Set<Property> properties = new HashSet<>();
    for (String key : graph.nodes()) {
      Node node = graph.node(key).orElseThrow(() -> new IllegalStateException("node " + key + " listed but not found"));
      nodes.add(key);
      labels.addAll(node.labels());
      addProperties(properties, "node " + key, node.properties());
    }
    Set<Long> relationships = new HashSet<>();
    for (Edge edge : graph.edges()) {
      relationships.add(edge.id());
      addProperties(properties, "relationship " + edge.id(), edge.properties());
    }
    return new GraphSnapshot(nodes, relationships, labels, properties);
  }

  private static void addProperties(Set<Property> out, String element, Map<String, Object> properties) {
    properties.forEach((name, value) -> out.add(new Property(element, name, ResultValues.of(value))));
  }
}
