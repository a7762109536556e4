/**
 * Temporary graphs: nodes with labels and properties, typed directed edges with properties, held
 * off the Java heap in Chronicle Map, private to one session and freed when it ends. Start from
 * {@link dev.ephemera.Session#createTempGraph(String)}.
 */
package dev.ephemera.graph;
