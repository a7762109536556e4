package dev.ephemera.sql.internal;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which CURRENT_SESSION_VAR calls the driver turns into H2 variables, and which it leaves as written. */
class VarRewriteTest {
  private static final String V0 = "CAST(@__EPHEMERA_VAR_0 AS VARCHAR)";
  private static final String V1 = "CAST(@__EPHEMERA_VAR_1 AS VARCHAR)";

  @Test
  void aComparisonWithALiteralNameBecomesAVariable() {
    VarRewrite.Rewritten r = VarRewrite.of("SELECT * FROM orders WHERE tenant_id = CURRENT_SESSION_VAR('tenant_id')");
    assertNotNull(r);
    assertEquals("SELECT * FROM orders WHERE tenant_id = " + V0, r.sql());
    assertEquals(List.of("tenant_id"), List.of(r.variables()));
    assertEquals(List.of("__EPHEMERA_VAR_0"), List.of(r.h2Names()));
  }

  @Test
  void eitherSideOfEveryComparisonOperatorAnyCaseAndSpacing() {
    for (String op : List.of("=", "<>", "!=", "<", ">", "<=", ">=")) {
      assertEquals("SELECT 1 FROM t WHERE " + V0 + " " + op + " a",
          VarRewrite.of("SELECT 1 FROM t WHERE current_session_var ( 'x' ) " + op + " a").sql(), op);
      assertEquals("DELETE FROM t WHERE a" + op + V0,
          VarRewrite.of("DELETE FROM t WHERE a" + op + "Current_Session_Var('x')").sql(), op);
    }
  }

  @Test
  void eachVariableOnceEvenWhenNamedTwice() {
    VarRewrite.Rewritten r = VarRewrite.of("UPDATE t SET c = 1 WHERE a = CURRENT_SESSION_VAR('a') AND b ="
        + " CURRENT_SESSION_VAR('b') OR a2 = CURRENT_SESSION_VAR('a')");
    assertEquals("UPDATE t SET c = 1 WHERE a = " + V0 + " AND b = " + V1 + " OR a2 = " + V0, r.sql());
    assertEquals(List.of("a", "b"), List.of(r.variables()));
  }

  @Test
  void leavesEverythingElseAsWritten() {
    for (String sql : List.of(
        "SELECT 1", // no call
        "SELECT CURRENT_SESSION_VAR('x')", // a select list keeps the function's column label
        "SELECT * FROM t WHERE a = CURRENT_SESSION_VAR_TYPE('x')", // another function
        "SELECT * FROM t WHERE a = CURRENT_SESSION_VAR(b)", // not a literal name
        "SELECT * FROM t WHERE a = CURRENT_SESSION_VAR(?)",
        "SELECT * FROM t WHERE a = CURRENT_SESSION_VAR('not a name')", // the function reports it
        "SELECT * FROM t WHERE a = PUBLIC.CURRENT_SESSION_VAR('x')", // qualified
        "SELECT * FROM t WHERE a = 'CURRENT_SESSION_VAR(''x'')'", // inside a string
        "SELECT * FROM t WHERE \"= CURRENT_SESSION_VAR('x')\" = 1", // inside a quoted name
        "SELECT * FROM t -- = CURRENT_SESSION_VAR('x')\n",
        "SELECT * FROM t /* = CURRENT_SESSION_VAR('x') */",
        "CREATE VIEW v AS SELECT * FROM t WHERE a = CURRENT_SESSION_VAR('x')", // a stored definition
        "CREATE TABLE t2 (a VARCHAR DEFAULT CURRENT_SESSION_VAR('x'))",
        "SELECT 1; CREATE VIEW v AS SELECT * FROM t WHERE a = CURRENT_SESSION_VAR('x')", // a second statement
        "EXPLAIN SELECT * FROM t WHERE a = CURRENT_SESSION_VAR('x')",
        "SELECT * FROM t WHERE a = CURRENT_SESSION_VAR('x", // unclosed: H2 reports it
        "")) {
      assertNull(VarRewrite.of(sql), sql);
    }
    assertNull(VarRewrite.of(null));
  }

  @Test
  void aTrailingSemicolonIsOneStatement() {
    assertEquals("SELECT 1 FROM t WHERE a = " + V0 + ";",
        VarRewrite.of("SELECT 1 FROM t WHERE a = CURRENT_SESSION_VAR('x');").sql());
  }

  @Test
  void parametersKeepTheirPlaces() {
    VarRewrite.Rewritten r = VarRewrite.of("SELECT * FROM t WHERE a = ? AND b = CURRENT_SESSION_VAR('x') AND c = ?");
    assertEquals("SELECT * FROM t WHERE a = ? AND b = " + V0 + " AND c = ?", r.sql());
  }
}
