package dev.ephemera.examples;

import static org.junit.jupiter.api.Assertions.*;

import dev.ephemera.Session;
import dev.ephemera.graph.TempGraph;
import dev.ephemera.graph.Traversal;
import dev.ephemera.junit5.EphemeraTest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * The test-suite example: scratch state per test with the JUnit 5 extension. Each test fills its
 * own session — temp tables, variables, a graph — and the next test starts empty, in any order.
 */
@EphemeraTest
class ScratchStateExampleTest {
  @Test
  void pricesInAScratchTable(Session s) {
    s.createTempTable("prices", "item VARCHAR, cents INT");
    s.execute("INSERT INTO prices VALUES ('tea', 250), ('cake', 400)");
    assertEquals(650L, ((Number) s.query("SELECT SUM(cents) FROM prices").single()).longValue());
  }

  @Test
  void anotherTestStartsEmpty(Session s) {
    assertTrue(s.tempTables().isEmpty(), "no table from the other test");
    assertTrue(s.variables().isEmpty());
  }

  @Test
  void aGraphForOneTest(Session s) {
    TempGraph g = s.createTempGraph("deps");
    g.addEdge("app", "lib", "USES");
    g.addEdge("lib", "core", "USES");
    assertEquals(3, g.reachCount("app", Traversal.bfs()));
  }

  @Test
  void throughJdbc(Connection c) throws Exception {
    try (Statement st = c.createStatement()) {
      st.execute("CREATE TEMPORARY TABLE t (x INT)");
      st.execute("INSERT INTO t VALUES (1), (2)");
      try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM t")) {
        assertTrue(rs.next());
        assertEquals(2, rs.getInt(1));
      }
    }
  }
}
