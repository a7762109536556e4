package dev.ephemera.examples;

import dev.ephemera.Credentials;
import dev.ephemera.Session;
import dev.ephemera.SessionEngine;
import dev.ephemera.SqlException;
import java.io.PrintStream;
import java.util.List;

/**
 * A multi-tenant desktop-style app: one shared {@code orders} table, a view over
 * {@code CURRENT_SESSION_VAR('tenant_id')}, and three tenant sessions of the app's that each see
 * only their tenant's rows. A tenant that writes its own SQL gets a database of its own, where the
 * shared table is not there at all. ({@code java -jar ephemera.jar example tenants})
 */
final class TenantsExample {
  private TenantsExample() {}

  static void run(PrintStream out) {
    try (SessionEngine engine = SessionEngine.builder().rootUser("root", "secret").passwordHashIterations(10_000)
        .build()) {
      // the app's own database user; each tenant's own SQL runs in a database of its own
      engine.users().create(Credentials.database("shop", "data", "app", "app-pw"));
      for (String tenant : List.of("acme", "globex", "initech")) {
        engine.users().create(Credentials.database("shop", tenant, tenant, tenant + "-pw"));
      }

      Session root = engine.open();
      root.signIn(Credentials.root("root", "secret"));
      root.use("shop", "data");
      root.execute("CREATE TABLE orders (id INT PRIMARY KEY, tenant_id VARCHAR, item VARCHAR)");
      root.executeBatch("INSERT INTO orders VALUES (?, ?, ?)", List.of(
          new Object[] {1, "acme", "anvil"}, new Object[] {2, "acme", "rocket"},
          new Object[] {3, "globex", "gear"}, new Object[] {4, "initech", "stapler"},
          new Object[] {5, "initech", "printer"}, new Object[] {6, "initech", "fax"}));
      // a join with the function: one call per query (a WHERE would call it for every row)
      root.execute("CREATE VIEW my_orders AS SELECT o.id, o.item FROM orders o"
          + " JOIN (SELECT CURRENT_SESSION_VAR('tenant_id') AS t) s ON o.tenant_id = s.t");
      root.close();
      out.println("shared table shop/data.orders: 6 rows of 3 tenants; view my_orders filters by the session's tenant_id");

      for (String tenant : List.of("acme", "globex", "initech")) {
        try (Session s = engine.open(); Session own = engine.open()) {
          s.signIn(Credentials.database("shop", "data", "app", "app-pw"));
          s.set("tenant_id", tenant); // set by the app after it authenticated the tenant
          List<Object> items = s.query("SELECT item FROM my_orders ORDER BY id").rows().stream()
              .map(r -> r.get(0)).toList();
          own.signIn(Credentials.database("shop", tenant, tenant, tenant + "-pw")); // the tenant's own SQL runs here
          String base;
          try {
            own.query("SELECT * FROM \"shop.data\".orders");
            base = "READ (this must not happen)";
          } catch (SqlException e) {
            base = "not there";
          }
          out.printf("tenant %-8s sees %s; the base table from its own database: %s%n", tenant, items, base);
        }
      }
    }
  }
}
