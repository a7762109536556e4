package dev.ephemera.sql;

import static org.junit.jupiter.api.Assertions.*;

import dev.ephemera.Credentials;
import dev.ephemera.Names;
import dev.ephemera.Session;
import dev.ephemera.SessionEngine;
import java.nio.file.Path;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Migrations, as README shows them: Flyway on {@code engine.databaseUrl(ns, db)} (the database's
 * administrator connection, opened by the engine with its schema and the SQL functions), into the
 * database's schema; the sessions of that database then see the tables, and a view over
 * {@code CURRENT_SESSION_VAR} defined by a migration that ran before any session used SQL works.
 */
class FlywayMigrationTest {
  @TempDir
  Path dir;

  private static Flyway flyway(SessionEngine engine) {
    return Flyway.configure()
        .dataSource(engine.databaseUrl("shop", "data"), "sa", "")
        .schemas(Names.h2Schema("shop", "data"))
        .locations("classpath:db/migration/shop")
        .load();
  }

  @Test
  void flywayMigratesADatabaseBeforeAnySessionUsesItAndTheSessionsSeeTheResult() {
    String location = "file:" + dir.resolve("app").toAbsolutePath();
    try (SessionEngine engine = SessionEngine.builder().database(location).passwordHashIterations(1000).build()) {
      engine.users().create(Credentials.database("shop", "data", "app", "pw"));
      assertEquals(2, flyway(engine).migrate().migrationsExecuted);
      assertEquals(0, flyway(engine).migrate().migrationsExecuted, "a second run has nothing to do");
      Session app = engine.open();
      app.signIn(Credentials.database("shop", "data", "app", "pw"));
      app.set("tenant_id", "acme");
      assertEquals(List.of(List.of(1, 10), List.of(3, 30)), app.query("SELECT id, amount FROM my_orders ORDER BY id").rows());
      assertEquals(3L, app.query("SELECT COUNT(*) FROM orders").single());
    }
    try (SessionEngine again = SessionEngine.builder().database(location).passwordHashIterations(1000).build()) {
      assertEquals(0, flyway(again).migrate().migrationsExecuted, "after a restart: migrated already");
      again.users().create(Credentials.database("shop", "data", "app", "pw"));
      Session app = again.open();
      app.signIn(Credentials.database("shop", "data", "app", "pw"));
      app.set("tenant_id", "globex");
      assertEquals(List.of(List.of(2, 20)), app.query("SELECT id, amount FROM my_orders").rows());
    }
  }
}
