package dev.ephemera.internal.graph.query;

/** A compiled expression: its value for a row. */
@FunctionalInterface
interface Ev {
  Object ev(Object[] row, Ctx c);
}
