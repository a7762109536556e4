package dev.ephemera.junit5;

import static org.junit.jupiter.api.Assertions.*;

import dev.ephemera.Session;
import dev.ephemera.SessionEngine;
import dev.ephemera.SessionState;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** Each test gets its own session from the class's one engine, ended after the test. */
@EphemeraTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SessionPerTestTest {
  static Session first;
  static SessionEngine engine;

  @Test
  @Order(1)
  void aSessionIsInjectedAndHoldsStateForThisTestOnly(Session s, SessionEngine e) {
    first = s;
    engine = e;
    s.set("mine", 1);
    s.createTempTable("scratch", "x INT");
    s.createTempGraph("g").addEdge("a", "b", "T");
    assertEquals(SessionState.ACTIVE, s.state());
  }

  @Test
  @Order(2)
  void theNextTestGetsAFreshSessionAndThePreviousOneHasEnded(Session s, SessionEngine e) {
    assertSame(engine, e, "one engine per test class");
    assertNotEquals(first.id(), s.id());
    assertEquals(SessionState.CLOSED, first.state(), "the first test's session ended with it");
    assertNull(s.get("mine"));
    assertTrue(s.tempTables().isEmpty());
    assertTrue(s.tempGraphs().isEmpty());
    assertEquals(0, e.stats().tempGraphs(), "the graph was freed");
  }

  @Test
  @Order(3)
  void twoSessionParametersAreTwoSessions(Session a, Session b) {
    assertNotEquals(a.id(), b.id());
    a.set("v", "a");
    assertNull(b.get("v"));
  }

  @Test
  @Order(4)
  void aConnectionParameterIsASessionThroughTheDriver(Connection c, SessionEngine e) throws Exception {
    try (Statement st = c.createStatement()) {
      st.execute("SET SESSION colour = 'blue'");
      try (ResultSet rs = st.executeQuery("SELECT CURRENT_SESSION_VAR('colour'), CURRENT_SESSION_ID()")) {
        assertTrue(rs.next());
        assertEquals("blue", rs.getString(1));
        assertTrue(e.session(rs.getString(2)).isPresent(), "the connection's session lives in the class's engine");
      }
    }
  }

  @AfterAll
  static void everySessionEnded() {
    assertTrue(engine.sessions().isEmpty(), "no session outlived its test: " + engine.sessions());
  }
}
