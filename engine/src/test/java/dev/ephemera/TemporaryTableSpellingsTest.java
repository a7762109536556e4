package dev.ephemera;

import static org.junit.jupiter.api.Assertions.*;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every way of spelling a temporary table in H2's SQL gives the session a private one, dropped
 * with it — never one of H2's global temporary tables, which every session of the database would
 * share and which would outlive the session. Through {@code execute}, a JDBC statement and a
 * prepared statement; for a database user, root and a session that is not signed in.
 */
class TemporaryTableSpellingsTest {
  final SessionEngine engine = SessionEngine.builder().ticker(new FakeTicker())
      .rootUser("root", "secret").passwordHashIterations(1000).build();

  @BeforeEach
  void setUp() {
    engine.users().create(Credentials.database("acme", "sales", "alice", "pw"));
  }

  @AfterEach
  void close() {
    engine.close();
  }

  static final List<String> SUFFIXES = List.of("", " ON COMMIT DELETE ROWS", " ON COMMIT DROP");

  private Session signedIn(String who) {
    Session s = engine.open();
    switch (who) {
      case "alice" -> s.signIn(Credentials.database("acme", "sales", "alice", "pw"));
      case "root" -> {
        s.signIn(Credentials.root("root", "secret"));
        s.use("acme", "sales");
      }
      default -> { } // not signed in: the lobby
    }
    return s;
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "CREATE TEMP TABLE %s (v INT)",
      "CREATE TEMPORARY TABLE %s (v INT)",
      "create global temporary table %s (v int)",
      "CREATE LOCAL TEMPORARY TABLE %s (v INT)",
      "CREATE MEMORY GLOBAL TEMPORARY TABLE %s (v INT)",
      "CREATE CACHED GLOBAL TEMPORARY TABLE %s (v INT)",
      "CREATE MEMORY LOCAL TEMPORARY TABLE %s (v INT)",
      "/* made by a tool */ CREATE GLOBAL TEMPORARY TABLE %s (v INT)",
      "-- a tool\nCREATE GLOBAL TEMPORARY TABLE IF NOT EXISTS %s (v INT)"})
  void everySpellingGivesTheSessionAPrivateTableDroppedWithIt(String spelling) throws SQLException {
    for (String who : List.of("alice", "root", "anonymous")) {
      for (int path = 0; path < 3; path++) {
        String suffix = SUFFIXES.get(path % SUFFIXES.size());
        String table = "T_" + who.toUpperCase() + "_" + path;
        String ddl = String.format(spelling, table) + suffix;
        Session owner = signedIn(who);
        switch (path) {
          case 0 -> owner.execute(ddl);
          case 1 -> {
            try (Connection c = owner.jdbc(); Statement st = c.createStatement()) {
              st.execute(ddl);
            }
          }
          default -> {
            try (Connection c = owner.jdbc(); PreparedStatement ps = c.prepareStatement(ddl)) {
              ps.execute();
            }
          }
        }
        assertTrue(owner.tempTables().contains(table), who + " " + ddl + ": " + owner.tempTables());
        assertEquals("LOCAL TEMPORARY", owner.query("SELECT TABLE_TYPE FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME = ?",
            table).single(), ddl);
        Session other = signedIn(who); // the same database, another session
        assertThrows(SqlException.class, () -> other.query("SELECT * FROM " + table), "private: " + ddl);
        other.close();
        owner.close();
        Session after = signedIn(who);
        assertThrows(SqlException.class, () -> after.query("SELECT * FROM " + table), "dropped with the session: " + ddl);
        after.close();
      }
    }
    assertEquals(0, engine.stats().sqlConnections());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "CREATE /* a comment inside */ GLOBAL TEMPORARY TABLE g (v INT)",
      "CREATE GLOBAL /* here */ TEMPORARY TABLE g (v INT)"})
  void aGlobalTemporaryTableItCannotRewriteIsRefusedWithAClearError(String ddl) {
    Session alice = signedIn("alice");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> alice.execute(ddl));
    assertTrue(e.getMessage().contains("CREATE LOCAL TEMPORARY TABLE"), e.getMessage());
    assertEquals(List.of(), alice.tempTables());
    assertThrows(SqlException.class, () -> alice.query("SELECT * FROM g"), "nothing was created");
  }
}
