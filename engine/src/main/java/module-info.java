/** Ephemera's engine: sessions, variables, expiry, limits, sign-in, administration, and SQL on H2. */
module dev.ephemera.engine {
  requires com.github.benmanes.caffeine;
  requires transitive java.sql;
  requires com.h2database;

  exports dev.ephemera;
  // H2 instantiates the live-query trigger by class name
  opens dev.ephemera.internal to com.h2database;
}
