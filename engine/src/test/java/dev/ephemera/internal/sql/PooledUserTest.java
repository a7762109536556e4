package dev.ephemera.internal.sql;

import static org.junit.jupiter.api.Assertions.*;

import dev.ephemera.FakeTicker;
import dev.ephemera.Session;
import dev.ephemera.SessionEngine;
import dev.ephemera.SqlException;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The H2 users sessions run as are pooled; one whose connection cannot be opened (its state is not
 * what the engine set) is dropped, not given back: a failed lease fails that one statement of that
 * one session, and the next lease, of that session or another, gets a good user.
 */
class PooledUserTest {
  private final SessionEngine engine = SessionEngine.builder().ticker(new FakeTicker()).build();

  @AfterEach
  void close() {
    engine.close();
  }

  private static SessionConnection sql(Session s) {
    return ((SqlOwner) s).sql();
  }

  @Test
  void aPooledUserThatCannotConnectIsDroppedAndFailsNoLaterSession() throws SQLException {
    String name;
    PhysicalDatabase db;
    try (Session first = engine.open()) {
      assertEquals(1, first.query("SELECT 1").single());
      SessionConnection c = sql(first);
      c.lock.lock();
      try {
        db = c.user().home;
        name = c.user().name;
      } finally {
        c.lock.unlock();
      }
    }
    // the user is back in the pool; something outside the engine's control breaks it
    db.adminExecute("ALTER USER " + H2Database.quote(name) + " SET PASSWORD 'not the engine''s'");
    Session unlucky = engine.open();
    SqlException e = assertThrows(SqlException.class, () -> unlucky.query("SELECT 1"));
    assertTrue(e.getMessage().contains("could not open its H2 connection"), e.getMessage());
    assertEquals(1, unlucky.query("SELECT 1").single(), "the same session's next statement gets a good user");
    for (int i = 0; i < 5; i++) {
      try (Session s = engine.open()) {
        assertEquals(1, s.query("SELECT 1").single(), "session " + i + " after the failed lease");
      }
    }
    unlucky.close();
    assertEquals(0, engine.stats().sqlConnections(), "no connection left open");
  }
}
