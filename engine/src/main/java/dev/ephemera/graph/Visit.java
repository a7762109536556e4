package dev.ephemera.graph;

/**
 * A node reached by a traversal and its depth: the number of edges on the shortest way from the
 * start (the start itself has depth 0).
 */
public record Visit(String key, int depth) {}
