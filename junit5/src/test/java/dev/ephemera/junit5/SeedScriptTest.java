package dev.ephemera.junit5;

import static org.junit.jupiter.api.Assertions.*;

import dev.ephemera.Session;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** The seed script runs before each test, in each test's own session. */
@EphemeraTest(seed = "/seed.sql")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SeedScriptTest {
  @Test
  @Order(1)
  void theSeedsTableAndVariableAreThere(Session s) {
    assertEquals(2L, s.query("SELECT COUNT(*) FROM items").single());
    assertEquals("first; with a semicolon", s.query("SELECT name FROM items WHERE id = 1").single());
    assertEquals("acme", s.get("tenant"));
    s.execute("INSERT INTO items VALUES (3, 'only in this test')");
  }

  @Test
  @Order(2)
  void eachTestStartsFromTheSeedAgain(Session s) {
    assertEquals(2L, s.query("SELECT COUNT(*) FROM items").single());
  }

  @Test
  @Order(3)
  void aConnectionIsSeededToo(Connection c) throws Exception {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM items")) {
      assertTrue(rs.next());
      assertEquals(2, rs.getInt(1));
    }
  }

  @Test
  void theSplitterKeepsQuotedSemicolonsAndDropsComments() {
    assertEquals(List.of("SELECT 'a;b'", "SELECT \"x;\" FROM t", "SELECT 2"),
        dev.ephemera.sql.SessionSql.statements("SELECT 'a;b'; -- a comment; with a semicolon\nSELECT \"x;\" FROM t;\n;SELECT 2"));
  }
}
