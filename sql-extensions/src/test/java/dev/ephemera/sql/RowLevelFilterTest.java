package dev.ephemera.sql;

import static org.junit.jupiter.api.Assertions.*;

import dev.ephemera.AccessDeniedException;
import dev.ephemera.Credentials;
import dev.ephemera.Names;
import dev.ephemera.Session;
import dev.ephemera.SessionEngine;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The row-level filter pattern of the README's Security section: the base table lives in one
 * database, a view over {@code CURRENT_SESSION_VAR('tenant_id')} is granted to the role of the
 * tenants' database, and a tenant session — holding rights on the view only — cannot read other
 * tenants' rows from the base table, whatever SQL it writes.
 */
class RowLevelFilterTest {
  final SessionEngine engine = SessionEngine.builder().rootUser("root", "secret").passwordHashIterations(1000).build();
  Session tenantA;
  Session tenantB;

  @BeforeEach
  void setUp() {
    engine.users().create(Credentials.database("shop", "tenants", "app", "pw"));
    Session root = engine.open();
    root.signIn(Credentials.root("root", "secret"));
    root.use("shop", "data");
    root.execute("CREATE TABLE orders (id INT PRIMARY KEY, tenant_id VARCHAR, amount INT)");
    root.execute("INSERT INTO orders VALUES (1, 'a', 10), (2, 'b', 20), (3, 'a', 30)");
    root.execute("CREATE VIEW my_orders AS SELECT o.* FROM orders o"
        + " JOIN (SELECT CURRENT_SESSION_VAR('tenant_id') AS t) s ON o.tenant_id = s.t");
    root.execute("GRANT SELECT ON my_orders TO \"" + Names.h2Role("shop", "tenants") + "\"");
    root.close();

    tenantA = engine.open();
    tenantA.signIn(Credentials.database("shop", "tenants", "app", "pw"));
    tenantA.set("tenant_id", "a"); // set by the application after it authenticated the tenant
    tenantB = tenantA.fork();
    tenantB.set("tenant_id", "b");
  }

  @AfterEach
  void close() {
    engine.close();
  }

  @Test
  void eachTenantReadsOnlyItsOwnRowsThroughTheView() {
    assertEquals(List.of(List.of(1, 10), List.of(3, 30)),
        tenantA.query("SELECT id, amount FROM \"shop.data\".my_orders ORDER BY id").rows());
    assertEquals(List.of(List.of(2, 20)), tenantB.query("SELECT id, amount FROM \"shop.data\".my_orders").rows());
    tenantA.reset("tenant_id");
    assertEquals(0L, tenantA.query("SELECT COUNT(*) FROM \"shop.data\".my_orders").single(), "no variable, no rows");
  }

  @Test
  void theBaseTableIsOutOfReachWhateverTheSqlSays() throws SQLException {
    for (String escape : List.of(
        "SELECT * FROM \"shop.data\".orders",
        "SELECT COUNT(*) FROM \"shop.data\".orders WHERE tenant_id <> 'a'",
        "SELECT * FROM \"shop.data\".my_orders UNION SELECT * FROM \"shop.data\".orders")) {
      assertThrows(AccessDeniedException.class, () -> tenantA.query(escape), escape);
    }
    for (String escape : List.of(
        "CREATE VIEW all_orders AS SELECT * FROM \"shop.data\".orders",
        "CREATE OR REPLACE VIEW \"shop.data\".my_orders AS SELECT * FROM \"shop.data\".orders",
        "DROP VIEW \"shop.data\".my_orders",
        "UPDATE \"shop.data\".my_orders SET amount = 0",
        "SET SCHEMA \"shop.data\"")) {
      assertThrows(AccessDeniedException.class, () -> tenantA.execute(escape), escape);
    }
    // through the driver too, and the view still answers as before
    EphemeraDriver.register("rowlevel", engine);
    try (Connection c = DriverManager.getConnection("jdbc:ephemera:engine:rowlevel;user=app;password=pw;namespace=shop;database=tenants");
        Statement st = c.createStatement()) {
      st.execute("SET SESSION tenant_id = 'b'");
      SQLException e = assertThrows(SQLException.class, () -> st.executeQuery("SELECT * FROM \"shop.data\".orders"));
      assertEquals("42501", e.getSQLState());
      try (ResultSet rs = st.executeQuery("SELECT id FROM \"shop.data\".my_orders")) {
        assertTrue(rs.next());
        assertEquals(2, rs.getInt(1));
        assertFalse(rs.next());
      }
    } finally {
      EphemeraDriver.unregister("rowlevel");
    }
    assertEquals(2L, tenantA.query("SELECT COUNT(*) FROM \"shop.data\".my_orders").single());
  }
}
