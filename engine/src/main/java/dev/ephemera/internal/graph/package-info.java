/**
 * Temporary graphs: the facade, block-list storage over one Chronicle map per graph, batch
 * loading, algorithms, SQL import and export. Sees its session only through
 * {@link dev.ephemera.internal.graph.GraphOwner}.
 */
package dev.ephemera.internal.graph;
