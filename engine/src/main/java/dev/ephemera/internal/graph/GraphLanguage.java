package dev.ephemera.internal.graph;

import dev.ephemera.QueryResult;
import java.util.Map;

/**
 * The graph query language, as the graph package sees it: implemented in {@code
 * internal.graph.query} and handed to each session's graphs by the engine, so that this package
 * does not depend on the language (which depends on it, through {@link GraphData}).
 */
public interface GraphLanguage {
  /** Runs a query on a graph ({@link dev.ephemera.graph.TempGraph#query}). */
  QueryResult query(GraphData graph, String query, Map<String, ?> parameters);

  /** Copies what a reading query returns from {@code source} into {@code target} ({@link dev.ephemera.graph.TempGraph#insertInto}). */
  long insertInto(GraphData source, GraphData target, String query, Map<String, ?> parameters);
}
