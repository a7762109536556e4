package dev.ephemera.sql;

import static org.junit.jupiter.api.Assertions.*;

import dev.ephemera.Session;
import dev.ephemera.SessionEngine;
import dev.ephemera.internal.spi.SqlBridge;
import dev.ephemera.testkit.JdbcWalk;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Wrapper;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The same attacks as the engine's {@code RawConnectionTest}, through the {@code jdbc:ephemera:}
 * driver: the way back from a result set or metadata leads to the driver's own statement and
 * connection (never the session's inner one, never H2's), nothing unwraps to an object of H2's,
 * and no getter reachable from the connection returns one.
 */
class DriverRawConnectionTest {
  private static final AtomicInteger NAMES = new AtomicInteger();
  private final String url = "jdbc:ephemera:mem:rawtest" + NAMES.incrementAndGet()
      + ";rootUser=root;rootPassword=pw";
  private Connection root;
  private Connection c;

  @BeforeEach
  void open() throws SQLException {
    root = DriverManager.getConnection(url + ";user=root;password=pw");
    try (Statement st = root.createStatement()) {
      st.execute("USE NAMESPACE acme DATABASE hr");
      st.execute("CREATE TABLE salaries (name VARCHAR PRIMARY KEY, amount INT)");
      st.execute("INSERT INTO salaries VALUES ('alice', 100), ('bob', 200)");
    }
    c = DriverManager.getConnection(url); // not signed in: only its own temporary tables
    try (Statement st = c.createStatement()) {
      st.execute("CREATE TEMPORARY TABLE mine (id INT)");
      st.execute("INSERT INTO mine VALUES (1)");
    }
  }

  @AfterEach
  void close() throws SQLException {
    c.close();
    SessionEngine engine = SqlBridge.engineOf(root.unwrap(Session.class));
    root.close();
    engine.close();
  }

  private long salaries() throws SQLException {
    try (Statement st = root.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) + SUM(amount) FROM salaries")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void metadataAndResultSetsLeadBackToTheDriversOwnObjects() throws SQLException {
    long before = salaries();
    DatabaseMetaData md = c.getMetaData();
    assertSame(c, md.getConnection());
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT id FROM mine")) {
      assertSame(st, rs.getStatement());
      assertSame(c, rs.getStatement().getConnection());
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT id FROM mine WHERE id = ?")) {
      ps.setInt(1, 1);
      try (ResultSet rs = ps.executeQuery()) {
        assertSame(ps, rs.getStatement());
      }
    }
    try (Statement st = md.getConnection().createStatement()) {
      assertThrows(SQLException.class, () -> st.execute("SELECT * FROM \"acme.hr\".salaries"));
      assertThrows(SQLException.class, () -> st.execute("SET SCHEMA \"acme.hr\""));
      assertThrows(SQLException.class, () -> st.execute("SET PASSWORD 'mine'"));
    }
    assertEquals(before, salaries());
  }

  @Test
  void nothingUnwrapsToAnObjectOfH2s() throws Exception {
    try (Statement st = c.createStatement(); PreparedStatement ps = c.prepareStatement("SELECT id FROM mine");
        ResultSet rs = st.executeQuery("SELECT id FROM mine")) {
      for (Wrapper w : List.<Wrapper>of(c, st, ps, rs, c.getMetaData(), rs.getMetaData())) {
        for (String name : List.of("org.h2.jdbc.JdbcConnection", "org.h2.jdbc.JdbcStatement",
            "org.h2.jdbc.JdbcPreparedStatement", "org.h2.jdbc.JdbcResultSet", "org.h2.jdbc.JdbcDatabaseMetaData",
            "org.h2.jdbc.JdbcResultSetMetaData")) {
          Class<?> type = Class.forName(name);
          assertFalse(w.isWrapperFor(type), w + " claims to wrap " + name);
          assertThrows(SQLException.class, () -> w.unwrap(type), w + " unwrapped to " + name);
        }
      }
    }
  }

  @Test
  void noGetterReachableFromTheConnectionReturnsAnObjectOfH2s() throws Exception {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT id FROM mine")) {
      rs.next();
      JdbcWalk walk = new JdbcWalk().from(c, "c").from(st, "statement").from(rs, "resultSet");
      assertEquals(List.of(), walk.leaks());
      assertTrue(walk.reached() > 5, "the walk reached the objects: " + walk.reached());
    }
  }
}
