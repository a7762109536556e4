package dev.ephemera;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Found by StoreCrashTest: with the JDBC store on an H2 file database at H2's default settings, a
 * SIGKILL lost a save the engine had acknowledged (stored 8, acknowledged 9): H2 writes a commit
 * to its file up to WRITE_DELAY ms later. The store warns at open when the database delays commits.
 * (With {@code ;WRITE_DELAY=0} H2 still loses the last few commits to a kill: StoreCrashTest counts
 * them, and README says to use the file store or a database server for crash safety.)
 */
class JdbcStoreWriteDelayTest {
  @TempDir
  Path dir;

  final List<String> warnings = new ArrayList<>();
  final Handler handler = new Handler() {
    @Override
    public void publish(LogRecord r) {
      if (r.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
        warnings.add(r.getMessage());
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  @BeforeEach
  void listen() {
    Logger.getLogger("dev.ephemera").addHandler(handler);
  }

  @AfterEach
  void stopListening() {
    Logger.getLogger("dev.ephemera").removeHandler(handler);
  }

  private void open(String url) throws Exception {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL(url + ";DB_CLOSE_DELAY=-1");
    SessionStores.jdbc(ds).close();
    try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
      st.execute("SHUTDOWN");
    }
  }

  @Test
  void anH2FileDatabaseThatDelaysCommitsIsNamedInAWarning() throws Exception {
    open("jdbc:h2:file:" + dir.resolve("delayed").toAbsolutePath());
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).contains("WRITE_DELAY") && warnings.get(0).contains(";WRITE_DELAY=0"), warnings.get(0));
  }

  @Test
  void noWarningWithoutADelayOrForAnInMemoryDatabase() throws Exception {
    open("jdbc:h2:file:" + dir.resolve("prompt").toAbsolutePath() + ";WRITE_DELAY=0");
    open("jdbc:h2:mem:write_delay_test");
    assertEquals(List.of(), warnings);
  }
}
