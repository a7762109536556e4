package dev.ephemera.sql;

import dev.ephemera.Session;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.*;

/**
 * One script of every statement and function, run through {@link SessionSql} on one session and
 * through the driver's prepared statements on another: the same rows and update counts, and the
 * same SQLStates for the bad ones.
 */
class SameThroughBothTest {
  private static final Object[][] SCRIPT = {
      {"SET SESSION { tenant_id: 't1', n: ? }", 5},
      {"LET $label = UPPER(?)", "x"},
      {"SHOW SESSION VARIABLES"},
      {"RESET SESSION label"},
      {"SELECT CURRENT_SESSION_VAR('tenant_id'), CURRENT_SESSION_VAR_TYPE('n'), CURRENT_SESSION_USER(),"
          + " CURRENT_NAMESPACE(), CURRENT_DATABASE()"},
      {"CREATE TEMPORARY TABLE links (a VARCHAR, b VARCHAR)"},
      {"INSERT INTO links VALUES (?, ?), ('b', 'c')", "a", "b"},
      {"SHOW TEMPORARY TABLES"},
      {"CREATE TEMPORARY GRAPH g"},
      {"INSERT INTO GRAPH g EDGES SELECT a, b FROM links"},
      {"INSERT INTO GRAPH g NODES SELECT a, 'START' FROM links WHERE a = ?", "a"},
      {"SHOW GRAPHS"},
      {"SELECT * FROM GRAPH_NEIGHBORS('g', 'b', 'BOTH') ORDER BY NODE"},
      {"SELECT * FROM GRAPH_TRAVERSE('g', 'a', 5)"},
      {"SELECT * FROM GRAPH_SHORTEST_PATH('g', 'a', 'c')"},
      {"SELECT * FROM GRAPH_NODES('g')"},
      {"SELECT * FROM GRAPH_EDGES('g')"},
      {"BEGIN"},
      {"SAVEPOINT sp"},
      {"SET SESSION n = 6"},
      {"INSERT INTO GRAPH g EDGES SELECT 'c', 'd'"},
      {"ROLLBACK TO SAVEPOINT sp"},
      {"RELEASE SAVEPOINT sp"},
      {"COMMIT"},
      {"SELECT CURRENT_SESSION_VAR('n')"},
      {"SHOW GRAPHS"},
      {"DROP GRAPH g"},
      {"DROP TABLE links"},
      {"PING"},
      {"USE NAMESPACE ns DATABASE db"}, // refused: not signed in
      {"SHOW SESSIONS"}, // refused: not root
      {"KILL SESSION 'sess_AAAAAAAAAAAAAAAA'"}, // refused: not root
      {"KILL LIVE 'live_0'"},
      {"SET SESSION x = = 1"},
      {"SELECT * FROM nowhere"},
  };

  @Test
  void everyStatementGivesTheSameThroughSessionSqlAndTheDriver() throws SQLException {
    String url = "jdbc:ephemera:mem:samethroughboth";
    try (Connection c = DriverManager.getConnection(url)) {
      Session viaApi = dev.ephemera.internal.spi.SqlBridge.engineOf(c.unwrap(Session.class)).open();
      SessionSql sql = SessionSql.of(viaApi);
      List<Object> results = new ArrayList<>();
      for (Object[] line : SCRIPT) {
        String text = (String) line[0];
        Object[] params = Arrays.copyOfRange(line, 1, line.length);
        Object expected;
        try {
          SqlResult r = sql.execute(text, params);
          expected = r.isQuery() ? r.rows().rows() : r.updateCount();
        } catch (SQLException e) {
          expected = e.getSQLState();
        }
        Object actual;
        try (PreparedStatement ps = c.prepareStatement(text)) {
          for (int i = 0; i < params.length; i++) {
            ps.setObject(i + 1, params[i]);
          }
          if (ps.execute()) {
            actual = rows(ps.getResultSet());
          } else {
            actual = ps.getLargeUpdateCount();
          }
        } catch (SQLException e) {
          actual = e.getSQLState();
        }
        assertEquals(expected, actual, text);
        results.add(actual);
      }
      // and the script did what it says: a few results checked outright
      int last = results.size() - 1;
      assertEquals(List.of(List.of(0, "a"), List.of(1, "b"), List.of(2, "c")), results.get(14)); // shortest path
      assertEquals(List.of(List.of("5")), results.get(24)); // n rolled back to 5
      assertEquals(List.of(List.of("PONG")), results.get(28));
      assertEquals(List.of("42501", "42501", "42501", "42704", "42601"), results.subList(29, 34));
      assertTrue(List.of("42S02", "42S04").contains(results.get(last)), String.valueOf(results.get(last)));
    } finally {
      EphemeraDriver.closeEngine(url);
    }
  }

  private static List<List<Object>> rows(ResultSet rs) throws SQLException {
    List<List<Object>> out = new ArrayList<>();
    int n = rs.getMetaData().getColumnCount();
    while (rs.next()) {
      Object[] row = new Object[n];
      for (int i = 0; i < n; i++) {
        row[i] = rs.getObject(i + 1);
      }
      out.add(Arrays.asList(row));
    }
    return out;
  }
}
