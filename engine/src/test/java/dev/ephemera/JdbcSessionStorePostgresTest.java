package dev.ephemera;

import dev.ephemera.internal.store.JdbcSessionStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link JdbcSessionStoreDialectTest}'s cases on a real PostgreSQL 14 server ({@link TestPostgres}: zonky's
 * embedded PostgreSQL, started once for the test run and shared with
 * {@link JdbcPostgresSessionStoreContractTest}). If the server cannot start here, every case is skipped
 * with the reason (a visible skip, never a pass), and the reason goes to stderr.
 */
@ExtendWith(TestPostgres.class)
class JdbcSessionStorePostgresTest extends JdbcSessionStoreDialectTest {
  TestPostgres.Server server;

  @BeforeAll
  void startServer(TestPostgres.Server s) {
    server = s;
  }

  @Override
  DataSource dataSource() {
    return server.dataSource();
  }

  @Override
  DataSource rowsOnlyUser(String user, String tableName) throws SQLException {
    try (Connection c = server.dataSource().getConnection(); Statement st = c.createStatement()) {
      // PostgreSQL 15+ denies everyone CREATE in schema public by default; 14 allows it: revoke it
      st.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC");
      st.execute("CREATE ROLE " + user + " LOGIN");
      st.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON \"" + tableName + "\" TO " + user);
    }
    return server.dataSource(user);
  }

  @Override
  JdbcSessionStore.Dialect expectedDialect() {
    return JdbcSessionStore.Dialect.POSTGRESQL;
  }
}
