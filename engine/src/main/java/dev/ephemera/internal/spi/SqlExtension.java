package dev.ephemera.internal.spi;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ServiceLoader;

/**
 * Installs objects into an engine's H2 database (the SQL module's functions, for example) when the
 * engine first opens it, through the engine's own connection. Found with {@link ServiceLoader}.
 */
public interface SqlExtension {
  /**
   * Installs this extension's objects into the connection's current schema ({@code PUBLIC}); runs
   * when each of the engine's H2 databases opens, before any session uses it, so it must be
   * idempotent ({@code CREATE … IF NOT EXISTS}) for a database that outlives an engine.
   */
  void install(Connection connection) throws SQLException;
}
