package dev.ephemera.sql;

import static org.junit.jupiter.api.Assertions.*;

import dev.ephemera.QueryResult;
import dev.ephemera.Session;
import dev.ephemera.SessionEngine;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLSyntaxErrorException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's SQL section, run, so that the manual cannot rot. Keep the two in step. */
class ReadmeSqlExamplesTest {
  @Test
  void fromJava() throws SQLException {
    try (SessionEngine engine = SessionEngine.builder().build()) {
      Session session = engine.open();
      SessionSql.execute(session, "SET SESSION tenant_id = ?", "tenant_123");
      QueryResult vars = SessionSql.execute(session, "SHOW SESSION VARIABLES").rows();
      assertEquals(List.of(List.of("tenant_id", "VARCHAR", "tenant_123", false)), vars.rows());
    }
  }

  @Test
  void throughJdbc() throws SQLException {
    Session s;
    try (Connection c = DriverManager.getConnection("jdbc:ephemera:mem:app;idleTimeout=15m")) {
      c.createStatement().execute("SET SESSION tenant_id = 'tenant_123'");
      s = c.unwrap(EphemeraConnection.class).session();
      assertEquals("tenant_123", s.get("tenant_id"));
    } finally {
      EphemeraDriver.closeEngine("jdbc:ephemera:mem:app");
    }
    assertEquals(dev.ephemera.SessionState.CLOSED, s.state());
  }

  @Test
  void theTenantViewAsTheReadmeWritesIt() {
    try (SessionEngine engine = SessionEngine.builder().rootUser("root", "secret").passwordHashIterations(1000).build()) {
      Session admin = engine.open();
      admin.signIn(dev.ephemera.Credentials.root("root", "secret"));
      admin.use("shop", "data");
      admin.execute("CREATE TABLE orders (id INT PRIMARY KEY, tenant_id VARCHAR)");
      admin.execute("INSERT INTO orders VALUES (1, 'a'), (2, 'b'), (3, 'a')");
      admin.execute("CREATE VIEW my_orders AS\n"
          + "  SELECT o.* FROM orders o JOIN (SELECT CURRENT_SESSION_VAR('tenant_id') AS t) s ON o.tenant_id = s.t");
      Session a = admin.fork();
      a.set("tenant_id", "a");
      Session b = admin.fork();
      b.set("tenant_id", "b");
      assertEquals(List.of(List.of(1), List.of(3)), a.query("SELECT id FROM my_orders ORDER BY id").rows());
      assertEquals(List.of(List.of(2)), b.query("SELECT id FROM my_orders").rows());
    }
  }

  @Test
  void theErrorMessageTheReadmeQuotes() {
    try (SessionEngine engine = SessionEngine.builder().build()) {
      SQLSyntaxErrorException e = assertThrows(SQLSyntaxErrorException.class,
          () -> SessionSql.execute(engine.open(), "SET SESSION x 1"));
      assertEquals("syntax error at position 15: expected '=', found '1' in \"SET SESSION x 1\"", e.getMessage());
    }
  }
}
