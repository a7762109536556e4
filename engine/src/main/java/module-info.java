/** Ephemera's engine: sessions, variables, expiry, limits, sign-in, administration, SQL on H2, and temporary graphs. */
@SuppressWarnings("module") // dev.ephemera.sql (the qualified export below) is built after the engine
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
  // the SQL dialect, functions and JDBC driver reach sessions from H2 connections through SqlBridge
  exports dev.ephemera.internal to dev.ephemera.sql;

  uses dev.ephemera.internal.SqlBridge.Extension;
  // SessionStores.open finds stores of other schemes (the Redis module's redis://) with ServiceLoader
  uses dev.ephemera.SessionStoreProvider;
  // H2 instantiates the live-query trigger by class name
  opens dev.ephemera.internal to com.h2database;
}
