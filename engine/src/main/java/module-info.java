/** Ephemera's engine: sessions, variables, expiry, limits, sign-in, administration, SQL on H2, and temporary graphs. */
@SuppressWarnings("module") // dev.ephemera.sql (the qualified export below) is built after the engine
module dev.ephemera.engine {
  requires com.github.benmanes.caffeine;
  requires transitive java.sql;
  requires com.h2database;
  requires org.antlr.antlr4.runtime;
  requires chronicle.map;
  requires chronicle.bytes;
  requires chronicle.core;
  // not chronicle.wire: the engine uses none of it, and its jar names no module (a filename-based
  // automodule, which Maven warns about publishing); the JVM resolves it with the other automodules

  exports dev.ephemera;
  exports dev.ephemera.graph;
  // the SQL dialect, functions and JDBC driver reach sessions from H2 connections through SqlBridge
  exports dev.ephemera.internal.spi to dev.ephemera.sql;

  // the SQL module installs its functions into each engine's database
  uses dev.ephemera.internal.spi.SqlExtension;
  // SessionStores.open finds stores of other schemes (the Redis module's redis://) with ServiceLoader
  uses dev.ephemera.SessionStoreProvider;
  // H2 instantiates the live-query trigger by class name: the only package opened to it
  opens dev.ephemera.internal.sql.trigger to com.h2database;
}
