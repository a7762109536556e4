package dev.ephemera;

import dev.ephemera.internal.store.JdbcSessionStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link JdbcSessionStoreDialectTest}'s cases on an H2 file database in a temporary directory, kept open
 * for the class ({@code DB_CLOSE_DELAY=-1}) and shut down at its end; the store picks H2's SQL.
 */
class JdbcSessionStoreH2Test extends JdbcSessionStoreDialectTest {
  JdbcDataSource h2;

  @BeforeAll
  void openDatabase(@TempDir Path dir) {
    h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:file:" + dir.resolve("sessions").toAbsolutePath() + ";DB_CLOSE_DELAY=-1");
  }

  @AfterAll
  void shutDown() throws SQLException {
    shutDown(h2);
  }

  static void shutDown(DataSource source) throws SQLException {
    try (Connection c = source.getConnection(); Statement st = c.createStatement()) {
      st.execute("SHUTDOWN");
    }
  }

  @Override
  DataSource dataSource() {
    return h2;
  }

  @Override
  JdbcSessionStore.Dialect expectedDialect() {
    return JdbcSessionStore.Dialect.H2;
  }

  @Override
  DataSource rowsOnlyUser(String user, String tableName) throws SQLException {
    try (Connection c = h2.getConnection(); Statement st = c.createStatement()) {
      st.execute("CREATE USER " + user + " PASSWORD 'pw'"); // not an admin: may not create tables
      st.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON \"" + tableName + "\" TO " + user);
    }
    JdbcDataSource app = new JdbcDataSource();
    app.setURL(h2.getURL().replace(";DB_CLOSE_DELAY=-1", "")); // only an admin may set it
    app.setUser(user);
    app.setPassword("pw");
    return app;
  }

  @Test
  void recordsOutliveARestartOfTheDatabase() throws SQLException {
    JdbcSessionStore s = store();
    SessionRecord r = record("sess_durable", BOB, NOW.plusSeconds(60), 9, everyValueType());
    s.save(r);
    s.close();
    shutDown(h2);
    assertEquals(r, store().load("sess_durable").orElseThrow());
  }
}
