package dev.ephemera;

import dev.ephemera.internal.store.JdbcSessionStore.Dialect;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link JdbcSessionStoreTest}'s contract on a real PostgreSQL 14 server: zonky's embedded PostgreSQL,
 * started once for the class in a temporary data directory on a free port, and stopped (its data
 * deleted) at the end. As root, zonky runs {@code initdb} and {@code postgres} in a user namespace
 * ({@code unshare -U}), since PostgreSQL refuses to run as root. If the server cannot start here, every
 * case is skipped with the reason (a visible skip, never a pass), and the reason goes to stderr.
 */
class JdbcSessionStorePostgresTest extends JdbcSessionStoreTest {
  EmbeddedPostgres pg;
  String whyNot;

  @BeforeAll
  void startServer() {
    try {
      pg = EmbeddedPostgres.builder().start();
    } catch (IOException | RuntimeException e) {
      StringBuilder reason = new StringBuilder(e.toString());
      for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
        reason.append("; caused by ").append(t);
      }
      if ("root".equals(System.getProperty("user.name"))) {
        reason.append(" (this JVM runs as root: initdb and postgres refuse root, and zonky's way around it,"
            + " running them under 'unshare -U', did not work here)");
      }
      whyNot = reason.toString();
      System.err.println("PostgreSQL could not start here: " + whyNot
          + " -- the PostgreSQL cases of JdbcSessionStoreTest are skipped");
      e.printStackTrace();
    }
  }

  @AfterAll
  void stopServer() throws IOException {
    if (pg != null) {
      pg.close();
    }
  }

  @Override
  DataSource dataSource() {
    if (pg == null) {
      Assumptions.abort("PostgreSQL could not start here: " + whyNot);
    }
    return pg.getPostgresDatabase();
  }

  @Override
  DataSource rowsOnlyUser(String user, String tableName) throws SQLException {
    try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
      // PostgreSQL 15+ denies everyone CREATE in schema public by default; 14 allows it: revoke it
      st.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC");
      st.execute("CREATE ROLE " + user + " LOGIN");
      st.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON \"" + tableName + "\" TO " + user);
    }
    return pg.getDatabase(user, "postgres");
  }

  @Override
  Dialect expectedDialect() {
    return Dialect.POSTGRESQL;
  }
}
