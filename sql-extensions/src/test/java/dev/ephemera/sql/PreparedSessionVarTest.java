package dev.ephemera.sql;

import static org.junit.jupiter.api.Assertions.*;

import dev.ephemera.Session;
import dev.ephemera.Transaction;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A driver's prepared statement reads {@code CURRENT_SESSION_VAR('name')} in a comparison once per
 * execution (as an H2 variable) instead of once per row: the results must be exactly the
 * function's, whatever happens to the variable between executions.
 */
class PreparedSessionVarTest {
  private static final AtomicInteger NAMES = new AtomicInteger();
  final String url = "jdbc:ephemera:mem:preparedvar" + NAMES.incrementAndGet();
  Connection c;
  Session session;

  @BeforeEach
  void setUp() throws SQLException {
    c = DriverManager.getConnection(url);
    session = c.unwrap(Session.class);
    try (Statement st = c.createStatement()) {
      st.execute("CREATE TEMPORARY TABLE orders (id INT PRIMARY KEY, tenant_id VARCHAR, amount INT)");
      st.execute("CREATE INDEX orders_tenant ON orders(tenant_id)");
      st.execute("INSERT INTO orders SELECT X, 'tenant_' || MOD(X, 3), X FROM SYSTEM_RANGE(0, 29)");
    }
  }

  @AfterEach
  void close() throws SQLException {
    c.close();
    EphemeraDriver.closeEngine(url);
  }

  private static List<Integer> ids(PreparedStatement ps) throws SQLException {
    List<Integer> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(rs.getInt(1));
      }
    }
    return out;
  }

  private List<Integer> byFunction(String where) {
    // the same condition through the Java API, where H2 calls the function itself
    List<Integer> out = new ArrayList<>();
    for (List<Object> row : session.query("SELECT id FROM orders WHERE " + where + " ORDER BY id").rows()) {
      out.add((Integer) row.get(0));
    }
    return out;
  }

  @Test
  void followsTheVariableFromOneExecutionToTheNext() throws SQLException {
    String where = "tenant_id = CURRENT_SESSION_VAR('tenant_id')";
    try (PreparedStatement ps = c.prepareStatement("SELECT id FROM orders WHERE " + where + " ORDER BY id")) {
      assertEquals(List.of(), ids(ps), "unset: NULL matches nothing");
      session.set("tenant_id", "tenant_1");
      assertEquals(List.of(1, 4, 7, 10, 13, 16, 19, 22, 25, 28), ids(ps));
      assertEquals(byFunction(where), ids(ps));
      session.set("tenant_id", "tenant_2");
      assertEquals(byFunction(where), ids(ps));
      assertEquals(10, ids(ps).size());
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT @__EPHEMERA_VAR_0")) {
        assertTrue(rs.next());
        assertEquals("tenant_2", rs.getString(1), "the statement read the variable once, into an H2 variable");
      }
      session.reset("tenant_id");
      assertEquals(List.of(), ids(ps));
    }
  }

  @Test
  void aRolledBackVariableIsTheOneTheNextExecutionSees() throws SQLException {
    session.set("tenant_id", "tenant_0");
    try (PreparedStatement ps = c.prepareStatement("SELECT id FROM orders WHERE tenant_id ="
        + " CURRENT_SESSION_VAR('tenant_id') ORDER BY id")) {
      List<Integer> zero = ids(ps);
      try (Transaction tx = session.begin()) {
        tx.savepoint("s");
        session.set("tenant_id", "tenant_2");
        assertEquals(byFunction("tenant_id = CURRENT_SESSION_VAR('tenant_id')"), ids(ps));
        assertNotEquals(zero, ids(ps));
        tx.rollbackTo("s");
        assertEquals(zero, ids(ps));
      }
    }
  }

  @Test
  void typedVariablesCompareAsTheFunctionsTextDoes() throws SQLException {
    session.set("min", 25);
    try (PreparedStatement ps = c.prepareStatement("SELECT id FROM orders WHERE id >= CURRENT_SESSION_VAR('min')"
        + " AND CURRENT_SESSION_VAR('min') <> amount + 100 ORDER BY id")) {
      assertEquals(List.of(25, 26, 27, 28, 29), ids(ps));
      assertEquals(byFunction("id >= CURRENT_SESSION_VAR('min')"), ids(ps));
      session.set("min", 28L);
      assertEquals(List.of(28, 29), ids(ps));
    }
  }

  @Test
  void theCallersParametersKeepTheirIndexes() throws SQLException {
    session.set("tenant_id", "tenant_1");
    try (PreparedStatement ps = c.prepareStatement("SELECT id FROM orders WHERE id > ? AND tenant_id ="
        + " CURRENT_SESSION_VAR('tenant_id') AND id < ? ORDER BY id")) {
      ps.setInt(1, 5);
      ps.setInt(2, 20);
      assertEquals(List.of(7, 10, 13, 16, 19), ids(ps));
    }
  }

  @Test
  void updatesAndBatchesReadTheVariableToo() throws SQLException {
    session.set("tenant_id", "tenant_2");
    try (PreparedStatement ps = c.prepareStatement("UPDATE orders SET amount = ? WHERE tenant_id ="
        + " CURRENT_SESSION_VAR('tenant_id') AND id = ?")) {
      ps.setInt(1, -1);
      ps.setInt(2, 2);
      assertEquals(1, ps.executeUpdate());
      ps.setInt(2, 1); // tenant_1's row: untouched
      assertEquals(0, ps.executeUpdate());
      session.set("tenant_id", "tenant_1");
      ps.setInt(1, -2);
      ps.setInt(2, 1);
      ps.addBatch();
      ps.setInt(2, 4);
      ps.addBatch();
      assertArrayEquals(new int[] {1, 1}, ps.executeBatch());
    }
    assertEquals(List.of(1, 2, 4), byFunction("amount < 0"));
  }

  @Test
  void eachConnectionSeesItsOwnSessionsValue() throws SQLException {
    try (Connection other = DriverManager.getConnection(url)) {
      Session otherSession = other.unwrap(Session.class);
      session.set("t", "mine");
      otherSession.set("t", "theirs");
      String sql = "SELECT COUNT(*) FROM (VALUES 'mine', 'theirs') v(x) WHERE x = CURRENT_SESSION_VAR('t')";
      try (PreparedStatement a = c.prepareStatement(sql.replace("COUNT(*)", "x"));
          PreparedStatement b = other.prepareStatement(sql.replace("COUNT(*)", "x"))) {
        try (ResultSet ra = a.executeQuery(); ResultSet rb = b.executeQuery()) {
          assertTrue(ra.next());
          assertTrue(rb.next());
          assertEquals("mine", ra.getString(1));
          assertEquals("theirs", rb.getString(1));
        }
      }
    }
  }

  @Test
  void anErrorShowsTheTextAsWritten() {
    SQLException e = assertThrows(SQLException.class,
        () -> c.prepareStatement("SELECT id FROM no_such_table WHERE tenant_id = CURRENT_SESSION_VAR('tenant_id')"));
    assertTrue(e.getMessage().contains("CURRENT_SESSION_VAR"), e.getMessage());
    assertFalse(e.getMessage().contains("__EPHEMERA_VAR"), e.getMessage());
  }

  @Test
  void anEndedSessionGetsAClosedConnectionErrorNotAnH2One() throws SQLException {
    PreparedStatement ps = c.prepareStatement("SELECT id FROM orders WHERE tenant_id = CURRENT_SESSION_VAR('t')");
    session.close();
    SQLException e = assertThrows(SQLException.class, ps::executeQuery);
    assertEquals("08003", e.getSQLState(), e.getMessage());
  }
}
