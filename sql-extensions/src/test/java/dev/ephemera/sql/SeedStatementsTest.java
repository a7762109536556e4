package dev.ephemera.sql;

import static org.junit.jupiter.api.Assertions.*;

import dev.ephemera.ClientBinding;
import dev.ephemera.BindingViolation;
import dev.ephemera.ClientInfo;
import dev.ephemera.Credentials;
import dev.ephemera.Session;
import dev.ephemera.SessionEngine;
import dev.ephemera.SessionState;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Geode seed's own lines through the driver: its keep-alive {@code RETURN 1 AS ok}, its
 * {@code RETURN current_tenant_id() AS tenant_id} (graph queries without a graph), its client's reconnect to an existing session
 * ({@code session=<token>}), and {@code SHOW SESSIONS} with the operations column its admin view
 * shows as "Queries".
 */
class SeedStatementsTest {
  final SessionEngine engine = SessionEngine.builder().rootUser("root", "secret").passwordHashIterations(1000).build();
  final String name = "seed" + System.nanoTime();
  final String base = "jdbc:ephemera:engine:" + name;

  @BeforeEach
  void setUp() {
    engine.users().create(Credentials.database("shop", "data", "app", "pw"));
    EphemeraDriver.register(name, engine);
  }

  @AfterEach
  void close() {
    EphemeraDriver.unregister(name);
    engine.close();
  }

  private static Object one(Statement st, String sql, String label) throws SQLException {
    try (ResultSet rs = st.executeQuery(sql)) {
      assertTrue(rs.next());
      assertEquals(label, rs.getMetaData().getColumnLabel(1));
      Object v = rs.getObject(1);
      assertFalse(rs.next());
      return v;
    }
  }

  @Test
  void theSeedsTemporaryTableRunsAsWritten() throws SQLException {
    try (Connection c = DriverManager.getConnection(base); Statement st = c.createStatement()) {
      st.execute("CREATE TEMPORARY TABLE session_data (\nkey STRING,\nvalue STRING\n);"); // the Geode seed, verbatim
      st.execute("INSERT INTO session_data VALUES ('temp_key', 'temp_value');");
      try (ResultSet rs = st.executeQuery("SELECT * FROM session_data;")) {
        assertEquals("KEY", rs.getMetaData().getColumnLabel(1));
        assertEquals("VALUE", rs.getMetaData().getColumnLabel(2));
        assertEquals(java.sql.Types.VARCHAR, rs.getMetaData().getColumnType(1));
        assertTrue(rs.next());
        assertEquals("temp_key", rs.getString(1));
        assertEquals("temp_value", rs.getString(2));
      }
      assertEquals("temp_value", one(st, "SELECT \"VALUE\" FROM session_data WHERE \"KEY\" = 'temp_key'", "VALUE"));
      st.execute("CREATE TEMPORARY TABLE portable (a INT64, b FLOAT64, c DATETIME, d BOOL, e TEXT, f STRING,"
          + " PRIMARY KEY (a))");
      try (ResultSet rs = st.executeQuery("SELECT * FROM portable")) {
        java.sql.ResultSetMetaData md = rs.getMetaData();
        assertEquals(java.util.List.of("BIGINT", "DOUBLE PRECISION", "TIMESTAMP", "BOOLEAN", "CHARACTER VARYING",
            "CHARACTER VARYING"), java.util.stream.IntStream.rangeClosed(1, 6).mapToObj(i -> {
              try {
                return md.getColumnTypeName(i);
              } catch (SQLException e) {
                throw new IllegalStateException(e);
              }
            }).toList());
      }
    }
  }

  /** Waits for the graph query language: RETURN is the graph language's, run without a graph when none is selected. */
  @Test
  void returnIsTheSeedsKeepAliveAndProbe() throws SQLException {
    try (Connection c = DriverManager.getConnection(base + ";user=app;password=pw;namespace=shop;database=data");
        Statement st = c.createStatement()) {
      assertEquals(1L, one(st, "RETURN 1 AS ok", "ok"));
      st.execute("SET SESSION tenant_id = 'acme'");
      assertEquals("acme", one(st, "RETURN current_tenant_id() AS tenant_id", "tenant_id"));
      assertEquals("acme", one(st, "RETURN current_session_var('tenant_id') AS t", "t"));
      assertEquals("acme", one(st, "SELECT CURRENT_TENANT_ID() AS t", "T"));
      try (PreparedStatement ps = c.prepareStatement("RETURN $1 AS echo, 2 AS two")) {
        ps.setString(1, "x");
        try (ResultSet rs = ps.executeQuery()) {
          assertTrue(rs.next());
          assertEquals("x", rs.getString("echo"));
          assertEquals(2, rs.getInt("two"));
        }
      }
      assertEquals("42601", assertThrows(SQLException.class, () -> st.execute("RETURN")).getSQLState());
      assertThrows(SQLException.class, () -> st.execute("RETURN 1; RETURN 2"));
    }
  }

  @Test
  void aConnectionAttachesToAnExistingSessionByItsTokenAndLeavesItLiveWhenClosed() throws SQLException {
    try (Connection first = DriverManager.getConnection(base + ";user=app;password=pw;namespace=shop;database=data")) {
      Session s = first.unwrap(EphemeraConnection.class).session();
      try (Statement st = first.createStatement()) {
        st.execute("SET SESSION tenant_id = 'acme'");
        st.execute("CREATE TEMPORARY TABLE cart (item VARCHAR)");
        st.execute("INSERT INTO cart VALUES ('anvil')");
      }
      String token = s.token();
      try (Connection again = DriverManager.getConnection(base + ";session=" + token); Statement st = again.createStatement()) {
        assertEquals(s.id(), again.unwrap(EphemeraConnection.class).session().id());
        assertEquals("acme", one(st, "SELECT current_tenant_id() AS t", "T"));
        assertEquals("anvil", one(st, "SELECT item FROM cart", "ITEM"));
        assertEquals("0A000", assertThrows(SQLException.class, () -> st.execute("DISCARD ALL")).getSQLState());
      }
      assertEquals(SessionState.ACTIVE, s.state(), "closing the attached connection left the session live");
      try (Statement st = first.createStatement()) {
        assertEquals("anvil", one(st, "SELECT item FROM cart", "ITEM"));
      }
      SQLException wrong = assertThrows(SQLException.class,
          () -> DriverManager.getConnection(base + ";session=sess_AAAAAAAAAAAAAAAA.x"));
      assertFalse(wrong.getMessage().contains(token));
      java.util.Properties props = new java.util.Properties(); // README's advice: the token as a property
      props.setProperty("session", token);
      try (Connection viaProperty = DriverManager.getConnection(base, props)) {
        assertEquals(s.id(), viaProperty.unwrap(EphemeraConnection.class).session().id());
      }
      assertEquals("28000", assertThrows(SQLException.class,
          () -> DriverManager.getConnection(base + ";session=" + token + ";user=app;password=pw")).getSQLState());
    }
  }

  @Test
  void aSessionBoundToItsClientIsNotAttachedFromAnUnknownOne() {
    try (SessionEngine bound = SessionEngine.builder().bindSessionsTo(ClientBinding.ADDRESS, BindingViolation.REFUSE)
        .build()) {
      EphemeraDriver.register(name + "b", bound);
      try {
        Session s = bound.open(new ClientInfo("203.0.113.7", null, null));
        assertThrows(SQLException.class, () -> DriverManager.getConnection("jdbc:ephemera:engine:" + name + "b;session="
            + s.token()));
        assertEquals(SessionState.ACTIVE, s.state());
      } finally {
        EphemeraDriver.unregister(name + "b");
      }
    }
  }

  @Test
  void showSessionsHasTheOperationsColumn() throws SQLException {
    try (Connection root = DriverManager.getConnection(base + ";user=root;password=secret");
        Statement st = root.createStatement();
        ResultSet rs = st.executeQuery("SHOW SESSIONS")) {
      assertEquals("OPERATIONS", rs.getMetaData().getColumnLabel(rs.getMetaData().getColumnCount()));
      assertTrue(rs.next());
      assertTrue(rs.getLong("OPERATIONS") >= 1, "the root session has served this statement's sign-in at least");
    }
  }
}
