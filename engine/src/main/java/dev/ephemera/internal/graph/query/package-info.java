/**
 * The graph query language: openCypher 9's core over one temporary graph. The grammar
 * ({@code src/main/antlr4/.../Cypher.g4}) is parsed by ANTLR; {@link dev.ephemera.internal.graph.query.Compiler}
 * turns the parse tree into a {@link dev.ephemera.internal.graph.query.Plan} of stages (cached by
 * query text), which run as a push pipeline over {@link dev.ephemera.internal.graph.GraphData}.
 */
package dev.ephemera.internal.graph.query;
