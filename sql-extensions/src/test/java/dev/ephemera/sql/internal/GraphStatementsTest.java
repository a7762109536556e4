package dev.ephemera.sql.internal;

import static org.junit.jupiter.api.Assertions.*;

import dev.ephemera.QueryResult;
import dev.ephemera.graph.GraphQueryException;
import dev.ephemera.graph.Node;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How the dialect hands JDBC parameters to a graph query and takes its result back. */
class GraphStatementsTest {
  @Test
  void jdbcParameterIIsTheQuerysDollarIAsAValueOfTheLanguage() throws SQLException {
    Instant at = Instant.parse("2026-11-24T10:15:30Z");
    Map<String, Object> p = GraphStatements.parameters(new Object[] {
        7, (short) 1, (byte) 2, 1.5f, 2.5, "x", null, true, new BigInteger("12"), new BigDecimal("1.5"),
        Timestamp.from(at), new Object[] {1, "a"}, List.of(3, List.of(4f)), Map.of("k", 5)});
    assertEquals(List.of("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14"),
        List.copyOf(p.keySet()));
    assertEquals(Arrays.asList(7L, 1L, 2L, 1.5, 2.5, "x", null, true, new BigDecimal("12"), new BigDecimal("1.5"), at,
        List.of(1L, "a"), List.of(3L, List.of(4.0)), Map.of("k", 5L)), new java.util.ArrayList<>(p.values()));
    assertEquals(Map.of(), GraphStatements.parameters(new Object[0]));
    assertEquals("22023", assertThrows(SQLException.class,
        () -> GraphStatements.parameters(new Object[] {java.time.LocalDate.of(2026, 1, 1)})).getSQLState());
  }

  @Test
  void eachColumnsTypeComesFromItsFirstValue() {
    Node n = new Node("k", Set.of("L"), Map.of());
    QueryResult q = new QueryResult(List.of("n", "i", "d", "s", "b", "l", "m", "none", "dec", "later"), List.of(
        Arrays.asList(n, 1L, 1.5, "s", true, List.of(), Map.of(), null, BigDecimal.ONE, null),
        Arrays.asList(null, 2L, 2.5, "t", false, List.of(1L), Map.of(), null, BigDecimal.TEN, "x")));
    Result r = GraphStatements.result(q);
    assertTrue(r.isQuery());
    assertEquals(List.of("n", "i", "d", "s", "b", "l", "m", "none", "dec", "later"), r.columns());
    assertArrayEquals(new int[] {Types.JAVA_OBJECT, Types.BIGINT, Types.DOUBLE, Types.VARCHAR, Types.BOOLEAN,
        Types.JAVA_OBJECT, Types.JAVA_OBJECT, Types.OTHER, Types.NUMERIC, Types.VARCHAR}, r.types());
    assertSame(n, r.rows().get(0)[0]);
    assertEquals(2, r.rows().size());
  }

  @Test
  void aGraphQueryErrorKeepsItsMessageWithTheSqlStateOfItsKind() {
    String message = "expected ')'\nMATCH (n RETURN n\n         ^";
    Map<GraphQueryException.Kind, String> states = Map.of(GraphQueryException.Kind.SYNTAX, "42601",
        GraphQueryException.Kind.SEMANTIC, "42000", GraphQueryException.Kind.TYPE, "22000",
        GraphQueryException.Kind.RUNTIME, "HY000");
    for (GraphQueryException.Kind kind : GraphQueryException.Kind.values()) {
      GraphQueryException e = new GraphQueryException(kind, message, 1, 10);
      SQLException sql = Errors.translate(e);
      assertEquals(states.get(kind), sql.getSQLState(), kind.name());
      assertEquals(message, sql.getMessage());
      assertSame(e, sql.getCause());
    }
    assertInstanceOf(java.sql.SQLSyntaxErrorException.class,
        Errors.translate(new GraphQueryException(GraphQueryException.Kind.SYNTAX, message, 1, 10)));
  }

  @Test
  void aQueryWithoutColumnsIsAnUpdateThatExecuteQueryMayAlsoTake() {
    Result r = GraphStatements.result(new QueryResult(List.of(), List.of()));
    assertFalse(r.isQuery());
    assertEquals(0, r.updateCount());
    assertTrue(r.alsoRows());
  }
}
