/**
 * Ephemera's session SQL dialect ({@link dev.ephemera.sql.SessionSql}), the H2 functions that
 * read the calling session, and the {@code jdbc:ephemera:} JDBC driver.
 */
module dev.ephemera.sql {
  requires transitive dev.ephemera.engine;
  requires com.h2database;

  exports dev.ephemera.sql;
  // H2 calls the functions by class name
  opens dev.ephemera.sql.internal to com.h2database;

  provides java.sql.Driver with dev.ephemera.sql.EphemeraDriver;
  provides dev.ephemera.internal.spi.SqlExtension with dev.ephemera.sql.internal.Functions.Installer;
}
