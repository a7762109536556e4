package dev.ephemera.sql;

import static org.junit.jupiter.api.Assertions.*;

import dev.ephemera.graph.Edge;
import dev.ephemera.graph.GraphPath;
import dev.ephemera.graph.Node;
import dev.ephemera.sql.internal.Result;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The openCypher text form of graph values ({@link GraphText}) on hand-built nodes, edges and
 * paths, and the driver's result set of graph values: {@code getObject} as is, {@code getString}
 * as text, the numeric getters refusing a node with an SQLException.
 */
class GraphTextTest {
  static Map<String, Object> props(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  static Node node(String key, Set<String> labels, Object... kv) {
    return new Node(key, labels, props(kv));
  }

  @Test
  void aNodeIsItsLabelsAndPropertiesInParentheses() {
    assertEquals("(:Person {name: 'Bob'})", GraphText.of(node("bob", Set.of("Person"), "name", "Bob")));
    assertEquals("(:Admin:Person {name: 'Bob', age: 3})",
        GraphText.of(node("bob", new LinkedHashSet<>(List.of("Person", "Admin")), "name", "Bob", "age", 3L)),
        "labels in alphabetical order, properties in the node's order");
    assertEquals("(:Person {age: 3, name: 'Bob'})",
        GraphText.of(node("bob", Set.of("Person"), "age", 3L, "name", "Bob")));
    assertEquals("()", GraphText.of(node("k", Set.of())));
    assertEquals("({x: null})", GraphText.of(node("k", Set.of(), "x", null)));
    assertEquals("(:`Two Words`:`it``s` {`first name`: 'A', `1x`: 1})",
        GraphText.of(node("k", Set.of("Two Words", "it`s"), "first name", "A", "1x", 1L)));
  }

  @Test
  void valuesAreWrittenAsOpenCypherLiterals() {
    assertEquals("'it\\'s a \\\\ and\\na line'", GraphText.of("it's a \\ and\na line"));
    assertEquals("[1, 2.5, 'a', true, null, [], {}]",
        GraphText.of(Arrays.asList(1L, 2.5, "a", true, null, List.of(), Map.of())));
    assertEquals("{a: 1, b: [false], `c d`: {e: 'f'}}",
        GraphText.of(props("a", 1L, "b", List.of(false), "c d", Map.of("e", "f"))));
    assertEquals("null", GraphText.of(null));
    assertEquals("12345678901234567890.5", GraphText.of(new BigDecimal("1.23456789012345678905E19")));
    assertEquals("datetime('2026-11-24T10:15:30Z')", GraphText.of(Instant.parse("2026-11-24T10:15:30Z")));
    assertEquals("0x0aff", GraphText.of(new byte[] {10, -1}));
    assertEquals("1.0E20", GraphText.of(1e20));
    assertEquals("({été: 'ü'})", GraphText.of(node("k", Set.of(), "été", "ü")), "letters of any script are plain");
  }

  @Test
  void anEdgeIsItsTypeAndPropertiesInBrackets() {
    assertEquals("[:KNOWS {since: 2020}]", GraphText.of(new Edge(1, "a", "b", "KNOWS", props("since", 2020L))));
    assertEquals("[:KNOWS]", GraphText.of(new Edge(1, "a", "b", "KNOWS", Map.of())));
    assertEquals("[:`HAS PART`]", GraphText.of(new Edge(1, "a", "b", "HAS PART", Map.of())));
  }

  @Test
  void aPathPointsEachEdgeTheWayItGoes() {
    Node a = node("a", Set.of("A"));
    Node b = node("b", Set.of("B"));
    Node c = node("c", Set.of("C"));
    GraphPath p = new GraphPath(List.of(a, b, c),
        List.of(new Edge(1, "a", "b", "T", Map.of()), new Edge(2, "c", "b", "S", Map.of())));
    assertEquals("(:A)-[:T]->(:B)<-[:S]-(:C)", GraphText.of(p));
    assertEquals("(:A)", GraphText.of(new GraphPath(List.of(a), List.of())));
    GraphPath loop = new GraphPath(List.of(a, a), List.of(new Edge(3, "a", "a", "SELF", props("w", 1.5))));
    assertEquals("(:A)-[:SELF {w: 1.5}]->(:A)", GraphText.of(loop));
    assertEquals("[(:A), [:T]]", GraphText.of(List.of(a, new Edge(1, "a", "b", "T", Map.of()))));
  }

  @Test
  void theDriversResultSetGivesValuesAsTheyAreAndTextForGraphValues() throws SQLException {
    Node bob = node("bob", Set.of("Person"), "name", "Bob");
    Result r = new Result(List.of("p", "n", "l", "b"), new int[] {Types.JAVA_OBJECT, Types.BIGINT, Types.JAVA_OBJECT,
        Types.BOOLEAN}, List.<Object[]>of(new Object[] {bob, 42L, List.of(1L, 2L), true}), -1, false);
    try (ResultSet rs = StatementHandler.toResultSet(r)) {
      assertEquals(Types.JAVA_OBJECT, rs.getMetaData().getColumnType(1));
      assertEquals("p", rs.getMetaData().getColumnLabel(1));
      assertTrue(rs.next());
      assertSame(bob, rs.getObject(1));
      assertSame(bob, rs.getObject("p", Node.class));
      assertEquals("(:Person {name: 'Bob'})", rs.getString("p"));
      assertEquals("(:Person {name: 'Bob'})", rs.getString(1));
      assertEquals(42L, rs.getLong("n"));
      assertEquals(42, rs.getInt(2));
      assertEquals(42.0, rs.getDouble(2));
      assertEquals("42", rs.getString(2));
      assertEquals("[1, 2]", rs.getString("l"));
      assertTrue(rs.getBoolean("b"));
      SQLDataException e = assertThrows(SQLDataException.class, () -> rs.getLong("p"));
      assertEquals("22018", e.getSQLState());
      assertTrue(e.getMessage().contains("holds a node"), e.getMessage());
      assertEquals("22018", assertThrows(SQLException.class, () -> rs.getBoolean(3)).getSQLState());
      assertFalse(rs.next());
    }
  }

  @Test
  void toolsCanReadTheMetadataOfEveryColumnTypeAGraphQueryGives() throws SQLException {
    int[] types = {Types.JAVA_OBJECT, Types.OTHER, Types.BIGINT, Types.DOUBLE, Types.VARCHAR, Types.BOOLEAN,
        Types.NUMERIC, Types.VARBINARY};
    Result r = new Result(List.of("a", "b", "c", "d", "e", "f", "g", "h"), types, List.of(), -1, false);
    try (ResultSet rs = StatementHandler.toResultSet(r)) {
      java.sql.ResultSetMetaData md = rs.getMetaData();
      for (int i = 1; i <= types.length; i++) {
        assertEquals(types[i - 1], md.getColumnType(i));
        assertNotNull(md.getColumnTypeName(i), "type name of " + i);
        assertNotNull(md.getColumnClassName(i), "class name of " + i);
        md.getPrecision(i);
        md.isNullable(i);
      }
    }
  }
}
