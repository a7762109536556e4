package dev.ephemera;

import java.nio.file.Path;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link JdbcSessionStoreContractBase} on an H2 file database in a temporary directory, kept open for
 * the class and shut down at its end; the store picks H2's SQL.
 */
class JdbcH2SessionStoreContractTest extends JdbcSessionStoreContractBase {
  static JdbcDataSource h2;

  @BeforeAll
  static void openDatabase(@TempDir Path dir) {
    h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:file:" + dir.resolve("sessions").toAbsolutePath() + ";DB_CLOSE_DELAY=-1");
  }

  @AfterAll
  static void shutDown() throws SQLException {
    JdbcSessionStoreH2Test.shutDown(h2);
  }

  @Override
  DataSource dataSource() {
    return h2;
  }
}
