package dev.ephemera.sql;

import static org.junit.jupiter.api.Assertions.*;

import dev.ephemera.Credentials;
import dev.ephemera.SessionEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hostile tenant of {@code HostileTenantTest}, through the {@code jdbc:ephemera:} driver: a
 * database user of {@code alpha/a} against {@code bravo/b}, and stored code left for root. Each
 * test ends by checking that the victim's rows and sequence are as they were.
 */
class DriverHostileTenantTest {
  final SessionEngine engine = SessionEngine.builder().rootUser("root", "secret").passwordHashIterations(1000).build();
  final String name = "hostile" + System.nanoTime();
  Connection mallory;
  Connection victim;
  Connection root;

  @TempDir
  Path dir;

  @BeforeEach
  void setUp() throws SQLException {
    engine.users().create(Credentials.database("alpha", "a", "mallory", "pw"));
    engine.users().create(Credentials.database("bravo", "b", "victim", "pw"));
    EphemeraDriver.register(name, engine);
    String url = "jdbc:ephemera:engine:" + name;
    victim = DriverManager.getConnection(url + ";user=victim;password=pw;namespace=bravo;database=b");
    try (Statement st = victim.createStatement()) {
      st.execute("CREATE TABLE ledger (id INT PRIMARY KEY, amount INT)");
      st.execute("INSERT INTO ledger VALUES (1, 100), (2, 200)");
      st.execute("CREATE SEQUENCE ticket START WITH 70");
    }
    mallory = DriverManager.getConnection(url + ";user=mallory;password=pw;namespace=alpha;database=a");
    root = DriverManager.getConnection(url + ";user=root;password=secret");
  }

  @AfterEach
  void close() throws SQLException {
    try (Statement st = victim.createStatement();
        ResultSet rs = st.executeQuery("SELECT (SELECT SUM(amount) FROM ledger),"
            + " (SELECT BASE_VALUE FROM INFORMATION_SCHEMA.SEQUENCES WHERE SEQUENCE_NAME = 'TICKET')")) {
      assertTrue(rs.next());
      assertEquals(300, rs.getInt(1), "the victim's rows are unchanged");
      assertEquals(70, rs.getLong(2), "the victim's sequence did not move");
    } finally {
      for (Connection c : List.of(mallory, victim, root)) {
        c.close();
      }
      EphemeraDriver.unregister(name);
      engine.close();
    }
  }

  private static SQLException fails(Connection c, String sql) {
    return assertThrows(SQLException.class, () -> {
      try (Statement st = c.createStatement()) {
        st.execute(sql);
      }
    }, sql);
  }

  @Test
  void storedCodeATenantLeftDoesNotRunWithRootsRights() throws SQLException {
    Path out = dir.resolve("written-by-root.txt");
    try (Statement st = mallory.createStatement()) {
      st.execute("CREATE FORCE VIEW trap AS SELECT FILE_WRITE('owned', '" + out + "') AS w");
      st.execute("CREATE TABLE inbox (id INT, r BLOB DEFAULT FILE_READ('/etc/hostname'))");
    }
    try (Statement st = root.createStatement()) {
      st.execute("USE NAMESPACE alpha DATABASE a");
    }
    assertEquals("42501", fails(root, "SELECT * FROM trap").getSQLState());
    assertEquals("42501", fails(root, "INSERT INTO inbox (id) VALUES (1)").getSQLState());
    assertFalse(Files.exists(out));
  }

  @Test
  void anotherTenantsSequenceAndTablesAnswerLikeOnesNobodyCreated() {
    for (String attack : List.of("SELECT NEXT VALUE FOR \"bravo.b\".ticket", "SELECT * FROM \"bravo.b\".ledger",
        "UPDATE \"bravo.b\".ledger SET amount = 0", "SELECT DISK_SPACE_USED('\"bravo.b\".LEDGER')")) {
      SQLException there = fails(mallory, attack);
      SQLException nowhere = fails(mallory, attack.replace("bravo.b", "bravo.zz"));
      assertEquals(nowhere.getSQLState(), there.getSQLState(), attack);
      assertEquals(nowhere.getErrorCode(), there.getErrorCode(), attack);
      assertEquals(nowhere.getMessage().replace("bravo.zz", "bravo.b"), there.getMessage());
    }
  }

  @Test
  void theDriversMetadataShowsNothingOfAnotherTenant() throws SQLException {
    StringBuilder seen = new StringBuilder();
    DatabaseMetaData md = mallory.getMetaData();
    for (ResultSet rs : List.of(md.getTables(null, null, "%", null), md.getSchemas(), md.getCatalogs(),
        md.getColumns(null, null, "%", "%"))) {
      try (rs) {
        while (rs.next()) {
          for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
            seen.append(rs.getString(i)).append(' ');
          }
        }
      }
    }
    try (Statement st = mallory.createStatement();
        ResultSet rs = st.executeQuery("SELECT TABLE_SCHEMA, TABLE_NAME FROM INFORMATION_SCHEMA.TABLES")) {
      while (rs.next()) {
        seen.append(rs.getString(1)).append('.').append(rs.getString(2)).append(' ');
      }
    }
    String text = seen.toString().toLowerCase(Locale.ROOT);
    assertTrue(text.contains("alpha.a"), text);
    for (String secret : List.of("bravo", "ledger", "ticket")) {
      assertFalse(text.contains(secret), "the driver's metadata shows '" + secret + "'");
    }
  }

  @Test
  void administrationStatementsOfTheDialectStayRootOnly() {
    assertEquals("42501", fails(mallory, "SHOW SESSIONS").getSQLState());
    assertEquals("42501", fails(mallory, "KILL SESSION 'sess_AAAAAAAAAAAAAAAA'").getSQLState());
    assertEquals("42501", fails(mallory, "SET EXCLUSIVE 1").getSQLState());
    assertEquals("42501", fails(mallory, "CALL ABORT_SESSION(1)").getSQLState());
  }
}
