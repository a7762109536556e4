package dev.ephemera;

import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link JdbcSessionStoreContractBase} on a real PostgreSQL 14 server ({@link TestPostgres}, shared with
 * {@link JdbcSessionStorePostgresTest}); the store picks PostgreSQL's SQL. If the server cannot start,
 * every case is reported as skipped, with the reason.
 */
@ExtendWith(TestPostgres.class)
class JdbcPostgresSessionStoreContractTest extends JdbcSessionStoreContractBase {
  static TestPostgres.Server server;

  @BeforeAll
  static void startServer(TestPostgres.Server s) {
    server = s;
  }

  @Override
  DataSource dataSource() {
    return server.dataSource();
  }
}
