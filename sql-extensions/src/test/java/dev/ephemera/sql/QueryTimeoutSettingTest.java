package dev.ephemera.sql;

import static org.junit.jupiter.api.Assertions.*;

import dev.ephemera.Session;
import dev.ephemera.SessionEngine;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The seed's {@code SET SESSION query_timeout = <seconds>} sets the session's statement time limit
 * (the engine's tests show the limit cancelling statements); a bad value is refused with SQLState
 * 22023 and changes nothing.
 */
class QueryTimeoutSettingTest {
  private final SessionEngine engine = SessionEngine.builder().statementTimeout(Duration.ofMinutes(10)).build();
  private final Session session = engine.open();
  private final SessionSql sql = SessionSql.of(session);

  @AfterEach
  void close() {
    engine.close();
  }

  @Test
  void setSessionQueryTimeoutSetsTheSessionsStatementTimeLimit() throws SQLException {
    sql.execute("SET SESSION query_timeout = 300");
    assertEquals(Duration.ofSeconds(300), session.statementTimeout());
    assertEquals(300L, session.get("query_timeout"), "and it reads back as the seed's variable");
    sql.execute("SET SESSION QUERY_TIMEOUT = 5");
    assertEquals(Duration.ofSeconds(5), session.statementTimeout());
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-1", "1.5", "'abc'", "NULL", "601", "99999999999999999999"})
  void aBadQueryTimeoutIsRefusedAndChangesNothing(String value) {
    SQLException e = assertThrows(SQLException.class, () -> sql.execute("SET SESSION query_timeout = " + value));
    assertEquals("22023", e.getSQLState(), e.getMessage());
    assertEquals(Duration.ofMinutes(10), session.statementTimeout());
    assertNull(session.get("query_timeout"));
  }
}
