/** Ephemera's engine: sessions, variables, expiry, limits, sign-in, administration, SQL on H2, and temporary graphs. */
module dev.ephemera.engine {
  requires com.github.benmanes.caffeine;
  requires transitive java.sql;
  requires com.h2database;
  requires chronicle.map;
  requires chronicle.bytes;
  requires chronicle.core;
  requires chronicle.wire;

  exports dev.ephemera;
  exports dev.ephemera.graph;
  // H2 instantiates the live-query trigger by class name
  opens dev.ephemera.internal to com.h2database;
}
