package dev.ephemera.sql;

import static org.junit.jupiter.api.Assertions.*;

import dev.ephemera.Credentials;
import dev.ephemera.Session;
import dev.ephemera.SessionEngine;
import dev.ephemera.SqlException;
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
 * The row-level filter of the README's Security section: one table of every tenant's rows and a
 * view over {@code CURRENT_SESSION_VAR('tenant_id')} in the database {@code shop/data}, read by the
 * application's sessions, each with the tenant's id set by the application. A database is one
 * rights boundary (every session signed in to it may read all of it), so the tenants whose own SQL
 * runs get databases of their own; from there neither the table nor the view is there at all.
 */
class RowLevelFilterTest {
  final SessionEngine engine = SessionEngine.builder().rootUser("root", "secret").passwordHashIterations(1000).build();
  Session tenantA;
  Session tenantB;

  @BeforeEach
  void setUp() {
    engine.users().create(Credentials.database("shop", "data", "app", "pw"));
    engine.users().create(Credentials.database("shop", "sandbox_a", "tenant_a", "pw"));
    Session root = engine.open();
    root.signIn(Credentials.root("root", "secret"));
    root.use("shop", "data");
    root.execute("CREATE TABLE orders (id INT PRIMARY KEY, tenant_id VARCHAR, amount INT)");
    root.execute("INSERT INTO orders VALUES (1, 'a', 10), (2, 'b', 20), (3, 'a', 30)");
    root.execute("CREATE VIEW my_orders AS SELECT o.* FROM orders o"
        + " JOIN (SELECT CURRENT_SESSION_VAR('tenant_id') AS t) s ON o.tenant_id = s.t");
    root.close();

    tenantA = engine.open();
    tenantA.signIn(Credentials.database("shop", "data", "app", "pw"));
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
    assertEquals(List.of(List.of(1, 10), List.of(3, 30)), tenantA.query("SELECT id, amount FROM my_orders ORDER BY id").rows());
    assertEquals(List.of(List.of(2, 20)), tenantB.query("SELECT id, amount FROM my_orders").rows());
    tenantA.reset("tenant_id");
    assertEquals(0L, tenantA.query("SELECT COUNT(*) FROM my_orders").single(), "no variable, no rows");
  }

  @Test
  void aTenantWritingItsOwnSqlInItsOwnDatabaseFindsNeitherTheTableNorTheView() throws SQLException {
    Session sandbox = engine.open();
    sandbox.signIn(Credentials.database("shop", "sandbox_a", "tenant_a", "pw"));
    sandbox.set("tenant_id", "b"); // whatever it sets: the view is not there
    for (String escape : List.of(
        "SELECT * FROM \"shop.data\".orders",
        "SELECT * FROM \"shop.data\".my_orders",
        "SELECT * FROM \"shop.data\".my_orders UNION SELECT * FROM \"shop.data\".orders")) {
      SqlException there = assertThrows(SqlException.class, () -> sandbox.query(escape), escape);
      SqlException nowhere = assertThrows(SqlException.class, () -> sandbox.query(escape.replace("shop.data", "shop.none")));
      assertEquals(nowhere.getMessage().replace("shop.none", "shop.data"), there.getMessage(), "as absent as a name nobody made");
    }
    for (String escape : List.of(
        "CREATE VIEW all_orders AS SELECT * FROM \"shop.data\".orders",
        "CREATE OR REPLACE VIEW \"shop.data\".my_orders AS SELECT * FROM \"shop.data\".orders",
        "DROP VIEW \"shop.data\".my_orders",
        "UPDATE \"shop.data\".my_orders SET amount = 0")) {
      assertThrows(SqlException.class, () -> sandbox.execute(escape), escape);
    }
    // through the driver too
    EphemeraDriver.register("rowlevel", engine);
    try (Connection c = DriverManager.getConnection(
            "jdbc:ephemera:engine:rowlevel;user=tenant_a;password=pw;namespace=shop;database=sandbox_a");
        Statement st = c.createStatement()) {
      st.execute("SET SESSION tenant_id = 'b'");
      SQLException e = assertThrows(SQLException.class, () -> st.executeQuery("SELECT * FROM \"shop.data\".orders"));
      SQLException none = assertThrows(SQLException.class, () -> st.executeQuery("SELECT * FROM \"shop.none\".orders"));
      assertEquals(none.getSQLState(), e.getSQLState());
    } finally {
      EphemeraDriver.unregister("rowlevel");
    }
    try (ResultSet rs = tenantA.jdbc().createStatement().executeQuery("SELECT id, amount FROM orders ORDER BY id")) {
      int rows = 0;
      long sum = 0;
      while (rs.next()) {
        rows++;
        sum += rs.getInt(2);
      }
      assertEquals(3, rows, "the table is unchanged");
      assertEquals(60, sum);
    }
  }
}
