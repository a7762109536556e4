package dev.ephemera.sql;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Splitting a script into statements, and telling whether what was typed ends one. */
class ScriptSplitTest {
  @Test
  void statementsSplitAtSemicolonsOutsideQuotesAndComments() {
    assertEquals(List.of("SELECT 'a;b'", "SELECT \"x;\" FROM t", "SELECT 2"),
        SessionSql.statements("SELECT 'a;b'; -- a comment; with a semicolon\nSELECT \"x;\" FROM t;\n;SELECT 2"));
    assertEquals(List.of("SELECT 'it''s'"), SessionSql.statements("SELECT 'it''s';"));
    assertEquals(List.of(), SessionSql.statements("  -- only a comment\n ; ;"));
    assertThrows(NullPointerException.class, () -> SessionSql.statements(null));
  }

  @Test
  void aStatementEndsAtASemicolonOutsideQuotes() {
    assertTrue(SessionSql.endsStatement("SELECT 1;"));
    assertTrue(SessionSql.endsStatement("SELECT\n 1;  -- done\n"));
    assertFalse(SessionSql.endsStatement("SELECT 1"));
    assertFalse(SessionSql.endsStatement("SELECT 'a;"));
    assertFalse(SessionSql.endsStatement("SELECT 1; SELECT"));
    assertFalse(SessionSql.endsStatement(";"));
    assertFalse(SessionSql.endsStatement(""));
  }
}
