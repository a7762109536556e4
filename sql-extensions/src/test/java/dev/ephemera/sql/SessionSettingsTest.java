package dev.ephemera.sql;

import static org.junit.jupiter.api.Assertions.*;

import dev.ephemera.Credentials;
import dev.ephemera.Session;
import dev.ephemera.SessionEngine;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Geode seed's session settings, through the driver: {@code SET SESSION timezone},
 * {@code isolation_level}, {@code priority}, {@code language} (and {@code query_timeout},
 * {@code QueryTimeoutSettingTest}) do what they say, a bad value is refused with 22023 and leaves
 * the old one, {@code SHOW SESSION VARIABLES} marks them, and {@code RESET} restores the defaults.
 */
class SessionSettingsTest {
  final SessionEngine engine = SessionEngine.builder().passwordHashIterations(1000).build();
  final String name = "settings" + System.nanoTime();
  Connection c;
  Statement st;
  Session session;

  @BeforeEach
  void setUp() throws SQLException {
    engine.users().create(Credentials.namespace("shop", "app", "pw"));
    EphemeraDriver.register(name, engine);
    c = DriverManager.getConnection("jdbc:ephemera:engine:" + name + ";user=app;password=pw;level=namespace;namespace=shop;database=data");
    st = c.createStatement();
    session = c.unwrap(EphemeraConnection.class).session();
  }

  @AfterEach
  void close() throws SQLException {
    c.close();
    EphemeraDriver.unregister(name);
    engine.close();
  }

  private Object one(String sql) throws SQLException {
    try (ResultSet rs = st.executeQuery(sql)) {
      assertTrue(rs.next());
      return rs.getObject(1);
    }
  }

  private java.time.ZoneOffset offsetOfNow() throws SQLException {
    try (ResultSet rs = st.executeQuery("SELECT CURRENT_TIMESTAMP")) {
      assertTrue(rs.next());
      return rs.getObject(1, OffsetDateTime.class).getOffset();
    }
  }

  @Test
  void timezoneSetsTheTimeZoneOfTheSessionsSqlInEveryDatabaseItUses() throws SQLException {
    st.execute("SET SESSION timezone = 'Asia/Kathmandu'"); // +05:45 all year: no daylight saving to guess
    assertEquals(java.time.ZoneOffset.ofHoursMinutes(5, 45), offsetOfNow());
    assertEquals(ZoneId.of("Asia/Kathmandu"), session.timeZone());
    st.execute("USE NAMESPACE shop DATABASE other"); // another H2 database, another connection
    assertEquals(java.time.ZoneOffset.ofHoursMinutes(5, 45), offsetOfNow());
    st.execute("SET SESSION timezone = 'America/New_York'");
    assertEquals(ZoneId.of("America/New_York").getRules().getOffset(Instant.now()), offsetOfNow());
    assertEquals("America/New_York", one("SELECT CURRENT_SESSION_VAR('timezone')"));
  }

  @Test
  void isolationLevelSetsTheIsolationOfTheSessionsTransactions() throws SQLException {
    st.execute("SET SESSION isolation_level = 'SNAPSHOT'");
    assertEquals("SNAPSHOT", session.isolationLevel());
    st.execute("SET SESSION isolation_level = 'repeatable_read'");
    assertEquals("REPEATABLE READ", session.isolationLevel());
    assertEquals(Connection.TRANSACTION_REPEATABLE_READ, c.unwrap(Session.class).jdbc().getTransactionIsolation());
  }

  @Test
  void priorityIsTheSessionsPriorityAndShowSessionShowsIt() throws SQLException {
    st.execute("SET SESSION priority = 'high'");
    assertEquals(10, session.info().priority());
    try (ResultSet rs = st.executeQuery("SHOW SESSION")) {
      assertTrue(rs.next());
      assertEquals(10, rs.getInt("PRIORITY"));
    }
    st.execute("SET SESSION priority = -3");
    assertEquals(-3, session.info().priority());
  }

  @Test
  void languageIsKeptAndReadable() throws SQLException {
    st.execute("SET SESSION language = 'en-US'");
    assertEquals("en-US", one("SELECT CURRENT_SESSION_VAR('language')"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"timezone = 'Mars/Olympus'", "timezone = 42", "isolation_level = 'CHAOS'",
      "priority = 'urgent'", "priority = 1.5", "language = 'not a tag!'", "query_timeout = 0"})
  void aBadValueIsRefusedAndLeavesTheOldOne(String assignment) throws SQLException {
    st.execute("SET SESSION { timezone: 'UTC', isolation_level: 'SERIALIZABLE', priority: 'low', language: 'fr',"
        + " query_timeout: 60 }");
    Map<String, Object> before = new HashMap<>(session.variables());
    SQLException e = assertThrows(SQLException.class, () -> st.execute("SET SESSION " + assignment));
    assertEquals("22023", e.getSQLState(), e.getMessage());
    assertEquals(before, session.variables());
    assertEquals(ZoneId.of("UTC"), session.timeZone());
    assertEquals("SERIALIZABLE", session.isolationLevel());
    assertEquals(-10, session.info().priority());
    assertEquals(java.time.Duration.ofSeconds(60), session.statementTimeout());
  }

  @Test
  void showSessionVariablesMarksSettingsAndResetRestoresTheDefaults() throws SQLException {
    st.execute("SET SESSION { timezone: 'Asia/Kathmandu', priority: 'high', isolation_level: 'SNAPSHOT', tenant_id: 'a' }");
    Map<String, Boolean> setting = new HashMap<>();
    try (ResultSet rs = st.executeQuery("SHOW SESSION VARIABLES")) {
      while (rs.next()) {
        setting.put(rs.getString("NAME"), rs.getBoolean("SETTING"));
      }
    }
    assertEquals(Map.of("timezone", true, "priority", true, "isolation_level", true, "tenant_id", false), setting);
    st.execute("RESET SESSION timezone");
    assertEquals(ZoneId.systemDefault(), session.timeZone());
    st.execute("SET SESSION query_timeout = 30");
    st.execute("RESET SESSION ALL");
    assertEquals(java.time.Duration.ofMinutes(5), session.statementTimeout(), "the engine's limit again");
    assertEquals(0, session.info().priority());
    assertEquals(Session.DEFAULT_ISOLATION_LEVEL, session.isolationLevel());
    assertTrue(session.variables().isEmpty());
  }
}
