package dev.ephemera;

import static org.junit.jupiter.api.Assertions.*;

import dev.ephemera.testkit.JdbcWalk;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Wrapper;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A hostile tenant reaches for H2's raw connection through the JDBC objects the engine hands out
 * ({@code Session.jdbc()} and everything reachable from it): back-references, {@code unwrap},
 * {@code isWrapperFor}, metadata. None of them leads to an object of H2's own, so every statement
 * still passes the engine's checks; and a session, root included, cannot change the pooled H2
 * user it runs as. After each attempt the victim's rows are unchanged.
 */
class RawConnectionTest {
  final SessionEngine engine = SessionEngine.builder().ticker(new FakeTicker())
      .rootUser("root", "secret").passwordHashIterations(1000).build();
  Session root;
  Session alice; // database user of acme/sales: the attacker
  Connection c;

  @BeforeEach
  void setUp() {
    engine.users().create(Credentials.database("acme", "sales", "alice", "pw"));
    root = engine.open();
    root.signIn(Credentials.root("root", "secret"));
    root.use("acme", "hr");
    root.execute("CREATE TABLE salaries (name VARCHAR PRIMARY KEY, amount INT)");
    root.execute("INSERT INTO salaries VALUES ('alice', 100), ('bob', 200)");
    root.use("acme", "sales");
    root.execute("CREATE TABLE orders (id INT PRIMARY KEY)");
    root.execute("INSERT INTO orders VALUES (1)");
    alice = engine.open();
    alice.signIn(Credentials.database("acme", "sales", "alice", "pw"));
    c = alice.jdbc();
  }

  @AfterEach
  void close() {
    engine.close();
  }

  /** The victim's data: rows and their sum, read by root. */
  private long salaries() {
    root.use("acme", "hr");
    return ((Number) root.query("SELECT COUNT(*) + SUM(amount) FROM salaries").single()).longValue();
  }

  /** What the raw connection would let through; on the engine's wrapper each must be refused. */
  private void assertStillChecked(Connection reached) throws SQLException {
    assertSame(c, reached, "the way back leads to the session's own wrapper");
    long before = salaries();
    try (Statement st = reached.createStatement()) {
      assertThrows(SQLException.class, () -> st.execute("SET SCHEMA \"acme.hr\"; DELETE FROM salaries"));
      assertThrows(SQLException.class, () -> st.execute("SET SCHEMA \"acme.hr\""));
      assertThrows(SQLException.class, () -> st.execute("DELETE FROM \"acme.hr\".salaries"));
      assertThrows(SQLException.class, () -> st.execute("SET PASSWORD 'mine'"));
      assertThrows(SQLException.class, () -> st.execute("COMMIT"));
    }
    assertEquals(before, salaries());
  }

  @Test
  void metadataLeadsBackToTheSessionsWrapperNotToH2() throws SQLException {
    DatabaseMetaData md = c.getMetaData();
    assertFalse(JdbcWalk.isH2s(md));
    assertStillChecked(md.getConnection());
  }

  @Test
  void aResultSetsStatementAndItsConnectionAreTheWrappers() throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT id FROM orders")) {
      assertFalse(JdbcWalk.isH2s(rs));
      assertSame(st, rs.getStatement());
      assertStillChecked(rs.getStatement().getConnection());
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT id FROM orders WHERE id = ?")) {
      ps.setInt(1, 1);
      try (ResultSet rs = ps.executeQuery()) {
        assertSame(ps, rs.getStatement());
        assertFalse(JdbcWalk.isH2s(ps.getMetaData()));
        assertFalse(JdbcWalk.isH2s(ps.getParameterMetaData()));
      }
      assertTrue(ps.execute());
      assertSame(ps, ps.getResultSet().getStatement());
    }
  }

  @Test
  void aMetadataResultSetBelongsToNoStatementAndUnwrapsToNothingOfH2s() throws SQLException {
    try (ResultSet tables = c.getMetaData().getTables(null, null, "%", null)) {
      assertFalse(JdbcWalk.isH2s(tables));
      assertNull(tables.getStatement());
      assertThrows(SQLException.class, () -> tables.unwrap(org.h2.jdbc.JdbcResultSet.class));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"org.h2.jdbc.JdbcConnection", "org.h2.jdbc.JdbcStatement", "org.h2.jdbc.JdbcPreparedStatement",
      "org.h2.jdbc.JdbcResultSet", "org.h2.jdbc.JdbcDatabaseMetaData", "org.h2.jdbc.JdbcResultSetMetaData",
      "org.h2.jdbc.JdbcParameterMetaData", "java.lang.Object"})
  void nothingUnwrapsToAnObjectOfH2s(String className) throws Exception {
    Class<?> type = Class.forName(className);
    try (Statement st = c.createStatement(); PreparedStatement ps = c.prepareStatement("SELECT id FROM orders");
        ResultSet rs = st.executeQuery("SELECT id FROM orders")) {
      for (Wrapper w : List.<Wrapper>of(c, st, ps, rs, c.getMetaData(), rs.getMetaData(), ps.getParameterMetaData())) {
        if (type == Object.class) {
          assertSame(w, w.unwrap(Object.class), "unwrapping to a type the wrapper is gives the wrapper");
          continue;
        }
        assertFalse(w.isWrapperFor(type), w + " claims to wrap " + className);
        SQLException e = assertThrows(SQLException.class, () -> w.unwrap(type), w + " unwrapped to " + className);
        assertEquals("0A000", e.getSQLState());
      }
    }
  }

  /**
   * Walks every getter with no arguments, from the connection, four steps deep, as an attacker
   * exploring the API would: no object reached is one of H2's JDBC or engine objects.
   */
  @Test
  void noGetterReachableFromTheConnectionReturnsAnObjectOfH2s() throws Exception {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT id FROM orders");
        PreparedStatement ps = c.prepareStatement("SELECT id FROM orders")) {
      ps.executeQuery();
      rs.next();
      JdbcWalk walk = new JdbcWalk().from(c, "c").from(st, "statement").from(rs, "resultSet").from(ps, "prepared");
      assertEquals(List.of(), walk.leaks());
      assertTrue(walk.reached() > 8, "the walk reached the objects: " + walk.reached());
    }
  }

  @Test
  void getObjectOfAnArrayOrALobHandsOutNoObjectOfH2s() throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT ARRAY[1, 2], CAST('text' AS CLOB), CAST(X'0102' AS BLOB)")) {
      assertTrue(rs.next());
      List<Class<?>> h2s = List.of(org.h2.jdbc.JdbcArray.class, org.h2.jdbc.JdbcClob.class, org.h2.jdbc.JdbcBlob.class);
      for (int i = 1; i <= 3; i++) {
        Object v = rs.getObject(i);
        assertFalse(JdbcWalk.isH2s(v), i + ": " + v.getClass());
        Class<?> h2 = h2s.get(i - 1);
        if (v instanceof java.sql.Array a) {
          assertThrows(SQLException.class, () -> a.getResultSet().unwrap(org.h2.jdbc.JdbcResultSet.class));
        }
        assertFalse(h2.isInstance(v));
      }
      java.sql.Array a = (java.sql.Array) rs.getObject(1);
      assertArrayEquals(new Object[] {1, 2}, (Object[]) a.getArray());
      try (ResultSet inner = a.getResultSet()) {
        assertFalse(JdbcWalk.isH2s(inner));
        assertTrue(inner.next());
      }
      assertEquals("text", ((java.sql.Clob) rs.getObject(2)).getSubString(1, 4));
      assertArrayEquals(new byte[] {1, 2}, ((java.sql.Blob) rs.getObject(3)).getBytes(1, 2));
      assertFalse(JdbcWalk.isH2s(rs.getClob(2)));
      assertFalse(JdbcWalk.isH2s(rs.getBlob(3)));
    }
  }

  @Test
  void noSessionRootIncludedMayChangeThePooledH2UserItRunsAs() {
    for (String change : List.of("SET PASSWORD 'mine'", "ALTER USER SA SET PASSWORD 'x'", "CREATE USER evil PASSWORD 'x'",
        "DROP USER SA")) {
      AccessDeniedException e = assertThrows(AccessDeniedException.class, () -> root.execute(change), change);
      assertTrue(e.getMessage().contains("changes an H2 user"), e.getMessage());
    }
    root.close();
    // the H2 users go back to the pool and serve the next sessions: five in a row, and a root one
    for (int i = 0; i < 5; i++) {
      try (Session s = engine.open()) {
        s.signIn(Credentials.database("acme", "sales", "alice", "pw"));
        assertEquals(1, s.query("SELECT id FROM orders").single());
      }
    }
    try (Session r = engine.open()) {
      r.signIn(Credentials.root("root", "secret"));
      r.use("acme", "hr");
      assertEquals(302L, ((Number) r.query("SELECT COUNT(*) + SUM(amount) FROM salaries").single()).longValue());
    }
  }
}
