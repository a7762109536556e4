package dev.ephemera.sql;

import static org.junit.jupiter.api.Assertions.*;

import dev.ephemera.Credentials;
import dev.ephemera.SessionEngine;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * jOOQ's temporary tables through the {@code jdbc:ephemera:} driver: {@code createTemporaryTable}
 * and {@code createGlobalTemporaryTable} give the connection's session a private table, dropped
 * with it, whatever SQL jOOQ renders for H2.
 */
class JooqTemporaryTableTest {
  static {
    System.setProperty("org.jooq.no-logo", "true"); // jOOQ's banner and tips are noise in a build log
    System.setProperty("org.jooq.no-tips", "true");
  }

  final SessionEngine engine = SessionEngine.builder().rootUser("root", "secret").passwordHashIterations(1000).build();
  final String name = "jooq" + System.nanoTime();
  final String url = "jdbc:ephemera:engine:" + name + ";user=app;password=pw;namespace=shop;database=data";

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

  @Test
  void jooqsTemporaryTablesArePrivateAndDroppedWithTheSession() throws SQLException {
    for (boolean global : List.of(false, true)) {
      String table = global ? "G_SCRATCH" : "SCRATCH";
      try (Connection c = DriverManager.getConnection(url); Connection other = DriverManager.getConnection(url)) {
        DSLContext jooq = DSL.using(c, SQLDialect.H2);
        (global ? jooq.createGlobalTemporaryTable(table) : jooq.createTemporaryTable(table))
            .column("ID", SQLDataType.INTEGER).column("NAME", SQLDataType.VARCHAR(20)).execute();
        jooq.insertInto(DSL.table(DSL.name(table)), DSL.field(DSL.name("ID")), DSL.field(DSL.name("NAME")))
            .values(1, "a").values(2, "b").execute();
        assertEquals(2, jooq.fetchCount(DSL.table(DSL.name(table))));
        assertTrue(c.unwrap(EphemeraConnection.class).session().tempTables().contains(table), table);
        DSLContext second = DSL.using(other, SQLDialect.H2);
        assertThrows(DataAccessException.class, () -> second.fetchCount(DSL.table(DSL.name(table))),
            "another session of the same database does not see it");
      }
      try (Connection later = DriverManager.getConnection(url)) {
        assertThrows(DataAccessException.class, () -> DSL.using(later, SQLDialect.H2).fetchCount(DSL.table(DSL.name(table))),
            "dropped with the session");
      }
    }
    assertEquals(0, engine.stats().sqlConnections());
  }
}
