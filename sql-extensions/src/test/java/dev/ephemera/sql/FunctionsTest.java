package dev.ephemera.sql;

import static org.junit.jupiter.api.Assertions.*;

import dev.ephemera.Credentials;
import dev.ephemera.QueryResult;
import dev.ephemera.Session;
import dev.ephemera.SessionEngine;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The H2 functions: each reads the session that runs the statement, and no other. */
class FunctionsTest {
  final SessionEngine engine = SessionEngine.builder().rootUser("root", "secret").passwordHashIterations(1000).build();

  @AfterEach
  void close() {
    engine.close();
  }

  @Test
  void currentSessionVarReturnsTheCallersValueAsTextAndNullWhenUnset() {
    Session a = engine.open();
    Session b = engine.open();
    a.set("tenant_id", "t1");
    a.set("n", 42);
    a.set("on", true);
    a.set("price", new java.math.BigDecimal("1E+3"));
    b.set("tenant_id", "t2");
    assertEquals("t1", a.query("SELECT CURRENT_SESSION_VAR('tenant_id')").single());
    assertEquals("t2", b.query("SELECT CURRENT_SESSION_VAR('tenant_id')").single());
    assertEquals("42", a.query("SELECT CURRENT_SESSION_VAR('n')").single());
    assertEquals("TRUE", a.query("SELECT CURRENT_SESSION_VAR('on')").single());
    assertEquals("1000", a.query("SELECT CURRENT_SESSION_VAR('price')").single());
    assertNull(b.query("SELECT CURRENT_SESSION_VAR('n')").single());
    // H2 converts the text to the type it is compared with or computed into
    assertEquals(43L, a.query("SELECT CAST(CURRENT_SESSION_VAR('n') AS BIGINT) + 1").single());
    assertEquals(true, a.query("SELECT 42 = CURRENT_SESSION_VAR('n')").single());
    assertEquals("BIGINT", a.query("SELECT CURRENT_SESSION_VAR_TYPE('n')").single());
    assertNull(a.query("SELECT CURRENT_SESSION_VAR_TYPE('unset')").single());
  }

  @Test
  void identityFunctionsDescribeTheCaller() {
    engine.users().create(Credentials.database("acme", "sales", "bob", "pw"));
    Session s = engine.open();
    QueryResult anon = s.query("SELECT CURRENT_SESSION_ID(), CURRENT_SESSION_USER(), CURRENT_NAMESPACE(),"
        + " CURRENT_DATABASE()");
    assertEquals(java.util.Arrays.asList(s.id(), null, null, null), anon.rows().get(0));
    s.signIn(Credentials.database("acme", "sales", "bob", "pw"));
    QueryResult bob = s.query("SELECT CURRENT_SESSION_ID(), CURRENT_SESSION_USER(), CURRENT_NAMESPACE(),"
        + " CURRENT_DATABASE()");
    assertEquals(List.of(s.id(), "bob", "acme", "sales"), bob.rows().get(0));
  }

  @Test
  void aTenantViewGivesEachSessionOnlyItsOwnRows() throws Exception {
    Session admin = engine.open();
    admin.signIn(dev.ephemera.Credentials.root("root", "secret"));
    admin.use("shop", "data"); // shared tables live in a database's schema
    admin.execute("CREATE TABLE orders (id INT PRIMARY KEY, tenant_id VARCHAR, amount INT)");
    admin.execute("CREATE INDEX orders_tenant ON orders(tenant_id)");
    for (int i = 0; i < 300; i++) {
      admin.execute("INSERT INTO orders VALUES (?, ?, ?)", i, "tenant_" + (i % 3), i);
    }
    admin.execute("CREATE VIEW my_orders AS SELECT * FROM orders WHERE tenant_id = CURRENT_SESSION_VAR('tenant_id')");

    Session t0 = admin.fork();
    Session t1 = admin.fork();
    Session nobody = admin.fork();
    t0.set("tenant_id", "tenant_0");
    t1.set("tenant_id", "tenant_1");
    assertEquals(List.of(List.of("tenant_0", 100L)),
        t0.query("SELECT tenant_id, COUNT(*) FROM my_orders GROUP BY tenant_id").rows());
    assertEquals(List.of(List.of("tenant_1", 100L)),
        t1.query("SELECT tenant_id, COUNT(*) FROM my_orders GROUP BY tenant_id").rows());
    assertEquals(0L, nobody.query("SELECT COUNT(*) FROM my_orders").single());

    // interleaved on two threads, the same prepared text never sees the other's tenant
    CyclicBarrier together = new CyclicBarrier(2);
    CompletableFuture<Boolean> r0 = CompletableFuture.supplyAsync(() -> onlyOwn(t0, "tenant_0", together));
    CompletableFuture<Boolean> r1 = CompletableFuture.supplyAsync(() -> onlyOwn(t1, "tenant_1", together));
    assertTrue(r0.get());
    assertTrue(r1.get());

    // switching the variable switches the rows
    t0.set("tenant_id", "tenant_2");
    assertEquals("tenant_2", t0.query("SELECT DISTINCT tenant_id FROM my_orders").single());
  }

  private static boolean onlyOwn(Session s, String tenant, CyclicBarrier together) {
    try {
      together.await();
      for (int i = 0; i < 200; i++) {
        QueryResult r = s.query("SELECT DISTINCT tenant_id FROM my_orders");
        if (r.size() != 1 || !tenant.equals(r.single())) {
          return false;
        }
      }
      return true;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aPlainH2ConnectionGetsAClearError() throws SQLException {
    Session s = engine.open();
    s.set("x", 1);
    s.query("SELECT 1"); // opens the database
    try (Connection plain = DriverManager.getConnection(engine.databaseUrl(), "sa", "")) {
      SQLException e = assertThrows(SQLException.class,
          () -> plain.createStatement().executeQuery("SELECT CURRENT_SESSION_VAR('x')"));
      assertTrue(e.getMessage().contains("not one"), e.getMessage());
    }
  }

  @Test
  void graphTableFunctions() throws SQLException {
    Session s = engine.open();
    SessionSql.execute(s, "CREATE TEMPORARY GRAPH g");
    var g = s.tempGraph("g");
    g.addEdge("a", "b", "KNOWS");
    g.addEdge("b", "c", "KNOWS");
    g.addEdge("c", "d", "LIKES");
    g.addEdge("x", "a", "KNOWS");
    g.addNode("a", java.util.Set.of("PERSON", "ADMIN"), java.util.Map.of());

    assertEquals(List.of(List.of("b")), s.query("SELECT * FROM GRAPH_NEIGHBORS('g', 'a')").rows());
    assertEquals(List.of(List.of("x")), s.query("SELECT NODE FROM GRAPH_NEIGHBORS('g', 'a', 'IN')").rows());
    assertEquals(List.of("b", "x"),
        s.query("SELECT NODE FROM GRAPH_NEIGHBORS('g', 'a', 'both') ORDER BY NODE").rows().stream()
            .map(r -> r.get(0)).toList());
    assertEquals(List.of(List.of("a", 0), List.of("b", 1), List.of("c", 2)),
        s.query("SELECT NODE, DEPTH FROM GRAPH_TRAVERSE('g', 'a', 2) ORDER BY DEPTH").rows());
    assertEquals(List.of(List.of(0, "a"), List.of(1, "b"), List.of(2, "c"), List.of(3, "d")),
        s.query("SELECT STEP, NODE FROM GRAPH_SHORTEST_PATH('g', 'a', 'd') ORDER BY STEP").rows());
    assertEquals(0, s.query("SELECT * FROM GRAPH_SHORTEST_PATH('g', 'd', 'a')").size());
    assertEquals(List.of(List.of("a", "ADMIN,PERSON"), List.of("b", "")),
        s.query("SELECT NODE, LABELS FROM GRAPH_NODES('g') WHERE NODE IN ('a', 'b') ORDER BY NODE").rows());
    assertEquals(5L, s.query("SELECT COUNT(*) FROM GRAPH_NODES('g')").single());
    assertEquals(List.of(List.of("a", "b", "KNOWS"), List.of("b", "c", "KNOWS"), List.of("c", "d", "LIKES"),
            List.of("x", "a", "KNOWS")),
        s.query("SELECT SOURCE, TARGET, TYPE FROM GRAPH_EDGES('g') ORDER BY SOURCE").rows());
    // joins with tables like any table function
    s.createTempTable("people", "k VARCHAR, name VARCHAR");
    s.execute("INSERT INTO people VALUES ('b', 'Bob'), ('c', 'Carol')");
    assertEquals(List.of(List.of("Bob", 1), List.of("Carol", 2)), s.query("SELECT p.name, t.DEPTH FROM"
        + " GRAPH_TRAVERSE('g', 'a', 3) t JOIN people p ON p.k = t.NODE ORDER BY t.DEPTH").rows());
  }

  @Test
  void graphFunctionsSeeOnlyTheCallersGraphsAndReportBadInput() {
    Session owner = engine.open();
    owner.createTempGraph("mine").addEdge("a", "b", "E");
    Session other = engine.open();
    assertTrue(assertThrows(dev.ephemera.SqlException.class,
        () -> other.query("SELECT * FROM GRAPH_NODES('mine')")).getMessage().contains("MINE"));
    assertThrows(dev.ephemera.SqlException.class, () -> owner.query("SELECT * FROM GRAPH_NEIGHBORS('mine', 'zz')"));
    assertThrows(dev.ephemera.SqlException.class,
        () -> owner.query("SELECT * FROM GRAPH_NEIGHBORS('mine', 'a', 'SIDEWAYS')"));
    assertThrows(dev.ephemera.SqlException.class, () -> owner.query("SELECT * FROM GRAPH_TRAVERSE('mine', 'a', -1)"));
    assertThrows(dev.ephemera.SqlException.class, () -> owner.query("SELECT * FROM GRAPH_EDGES(NULL)"));
  }
}
