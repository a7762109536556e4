package dev.ephemera.sql;

import static org.junit.jupiter.api.Assertions.*;

import dev.ephemera.Credentials;
import dev.ephemera.Session;
import dev.ephemera.SessionEngine;
import dev.ephemera.SessionState;
import dev.ephemera.sql.internal.Parser;
import dev.ephemera.sql.internal.VarRewrite;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A seeded random fuzz test of the dialect: token soups and mutations of valid statements, through
 * the parser and through {@link SessionSql} on a live session. Every input must parse, pass
 * through or fail with an {@link SQLException}: never another exception, never a hang. Bounded by
 * a count and a time limit so it runs in the normal test command; a failure prints the seed and
 * the input. Set {@code -Dephemera.fuzz.seed=N} to replay, {@code -Dephemera.fuzz.iterations=N} for more.
 */
class ParserFuzzTest {
  private static final long SEED = Long.getLong("ephemera.fuzz.seed", 20261124L);
  private static final int ITERATIONS = Integer.getInteger("ephemera.fuzz.iterations", 30_000);

  private static final List<String> VALID = List.of(
      "SET SESSION x = 1", "SET SESSION { a: 'x', b: ? , c: 1 + 2 }", "LET $v = UPPER('a')", "RESET SESSION x",
      "RESET SESSION ALL", "SHOW SESSION VARIABLES", "BEGIN", "START TRANSACTION", "COMMIT", "ROLLBACK",
      "SAVEPOINT sp", "ROLLBACK TO SAVEPOINT sp", "RELEASE SAVEPOINT sp",
      "CREATE TEMPORARY TABLE t (a INT, b VARCHAR(5)) ON COMMIT DELETE ROWS", "DROP TABLE t", "SHOW TEMPORARY TABLES",
      "CREATE TEMPORARY GRAPH g", "DROP GRAPH g", "SHOW GRAPHS", "INSERT INTO GRAPH g EDGES SELECT 'a', 'b', 'T'",
      "INSERT INTO GRAPH g NODES SELECT 'n', 'L'", "PING", "SHOW SESSION", "USE NAMESPACE ns DATABASE db",
      "SHOW SESSIONS WHERE USER = 'u' AND IDLE > 30 MINUTES", "KILL SESSION 'sess_AAAAAAAAAAAAAAAA'",
      "LIVE SELECT * FROM t", "KILL LIVE 'live_1'", "SELECT CURRENT_SESSION_VAR('x')",
      "SELECT * FROM t WHERE a = CURRENT_SESSION_VAR('x') AND b <> current_session_var ( 'y' )",
      "SELECT * FROM GRAPH_NEIGHBORS('g', 'a')", "SELECT 1", "USE GRAPH g", "MATCH (p:Person) RETURN p",
      "CREATE (:Person {name: 'Bob'})", "MERGE (n {k: $1})", "RETURN 1 AS ok", "UNWIND [1, 2] AS x RETURN x",
      "WITH 1 AS x RETURN x", "WITH x AS (SELECT 1) SELECT * FROM x", "EXPLAIN MATCH (n) RETURN n",
      "INSERT INTO g MATCH (p)-[:KNOWS]->(f) RETURN p, f");
  private static final List<String> WORDS = List.of(
      "SET", "SESSION", "SESSIONS", "LET", "RESET", "ALL", "SHOW", "VARIABLES", "BEGIN", "START", "TRANSACTION",
      "COMMIT", "ROLLBACK", "TO", "SAVEPOINT", "RELEASE", "CREATE", "TEMPORARY", "TEMP", "TABLE", "TABLES", "GRAPH",
      "GRAPHS", "DROP", "IF", "EXISTS", "NOT", "INSERT", "INTO", "EDGES", "NODES", "SELECT", "FROM", "WHERE", "PING",
      "USE", "NAMESPACE", "DATABASE", "KILL", "LIVE", "USER", "IDLE", "AND", "ON", "PRESERVE", "DELETE", "ROWS",
      "MINUTES", "NULL", "TRUE", "x", "t", "g", "CHARACTERISTICS", "AS", "VALUES", "WORK", "CURRENT_SESSION_VAR",
      "UPDATE", "MERGE", "WITH", "MATCH", "OPTIONAL", "UNWIND", "RETURN", "EXPLAIN", "PROFILE", "RECURSIVE");
  private static final List<String> SYMBOLS = List.of(
      "=", "(", ")", "{", "}", ":", ",", ";", "?", "*", ">", "-", "+", "'", "\"", "$", "$$", "/*", "*/", "--", "\n",
      "'it''s'", "\"q\"", "1", "-2.5", "1e3", "$x", "''", "\u00e9", "\u0000", "\ud83d\ude00");

  @Test
  void everyInputParsesPassesThroughOrFailsWithSqlException() {
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      SplittableRandom random = new SplittableRandom(SEED);
      for (int i = 0; i < ITERATIONS; i++) {
        String input = input(random);
        try {
          Parser.parse(input);
        } catch (SQLException expected) {
          assertNotNull(expected.getSQLState(), () -> "no SQLState for " + printable(input));
        } catch (Throwable t) {
          fail("seed " + SEED + ", input #" + i + " \"" + printable(input) + "\" threw " + t, t);
        }
        try {
          VarRewrite.Rewritten r = VarRewrite.of(input); // the driver's prepare: rewrites or leaves as written
          if (r != null) {
            assertTrue(r.sql().contains("@__EPHEMERA_VAR_0"), () -> printable(input));
          }
        } catch (Throwable t) {
          fail("seed " + SEED + ", input #" + i + " \"" + printable(input) + "\": VarRewrite threw " + t, t);
        }
      }
    });
  }

  @Test
  void everyInputRunsOrFailsWithSqlExceptionOnALiveSession() {
    try (SessionEngine engine = SessionEngine.builder().rootUser("root", "secret").build()) {
      assertTimeoutPreemptively(Duration.ofSeconds(90), () -> {
        SplittableRandom random = new SplittableRandom(SEED + 1);
        Session s = null;
        SessionSql sql = null;
        for (int i = 0; i < ITERATIONS / 10; i++) {
          if (s == null || s.state() != SessionState.ACTIVE) {
            s = engine.open();
            s.signIn(Credentials.root("root", "secret"));
            sql = SessionSql.of(s);
            sql.addLiveListener((id, change) -> { });
          }
          String input = random.nextInt(3) == 0 ? VALID.get(random.nextInt(VALID.size())) : mutate(random);
          try {
            sql.execute(input, "p1", 2);
          } catch (SQLException expected) {
            assertNotNull(expected.getSQLState(), () -> "no SQLState for " + printable(input));
          } catch (Throwable t) {
            fail("seed " + (SEED + 1) + ", input #" + i + " \"" + printable(input) + "\" threw " + t, t);
          }
        }
      });
    }
  }

  private static String input(SplittableRandom r) {
    return switch (r.nextInt(3)) {
      case 0 -> soup(r);
      case 1 -> mutate(r);
      default -> randomChars(r);
    };
  }

  private static String soup(SplittableRandom r) {
    StringBuilder b = new StringBuilder();
    int n = 1 + r.nextInt(12);
    for (int i = 0; i < n; i++) {
      b.append(r.nextInt(3) == 0 ? SYMBOLS.get(r.nextInt(SYMBOLS.size())) : WORDS.get(r.nextInt(WORDS.size())));
      if (r.nextInt(4) != 0) {
        b.append(' ');
      }
    }
    return b.toString();
  }

  /** A valid statement with a few characters inserted, deleted or replaced, or cut short. */
  private static String mutate(SplittableRandom r) {
    StringBuilder b = new StringBuilder(VALID.get(r.nextInt(VALID.size())));
    int edits = 1 + r.nextInt(3);
    for (int e = 0; e < edits && b.length() > 0; e++) {
      int at = r.nextInt(b.length());
      switch (r.nextInt(4)) {
        case 0 -> b.insert(at, SYMBOLS.get(r.nextInt(SYMBOLS.size())));
        case 1 -> b.deleteCharAt(at);
        case 2 -> b.setCharAt(at, (char) (32 + r.nextInt(95)));
        default -> b.setLength(at);
      }
    }
    return b.toString();
  }

  private static String randomChars(SplittableRandom r) {
    char[] c = new char[r.nextInt(40)];
    for (int i = 0; i < c.length; i++) {
      c[i] = r.nextInt(10) == 0 ? (char) r.nextInt(0x3000) : (char) (32 + r.nextInt(95));
    }
    return new String(c);
  }

  private static String printable(String s) {
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) {
      b.append(c < 32 || c > 126 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
    }
    return b.toString();
  }
}
