package dev.ephemera.sql;

import static org.junit.jupiter.api.Assertions.*;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ephemera.sql.internal.Parser;
import dev.ephemera.sql.internal.VarRewrite;
import java.sql.SQLException;

/**
 * Coverage-guided fuzzing of the dialect's parser and of the driver's variable rewrite (Jazzer).
 * In the build ({@code ./mvnw verify}) it runs only its seed inputs, in
 * {@code src/test/resources/dev/ephemera/sql/ParserCoverageFuzzTestInputs/}; with
 * {@code JAZZER_FUZZ=1} Jazzer mutates inputs guided by the branches they reach, for 30 seconds
 * (about 250,000 inputs on 2 cores), keeping the inputs that reached new branches in
 * {@code sql-extensions/.cifuzz-corpus/} (not in git), which the next run starts from; run it again
 * for more:
 *
 * <pre>JAZZER_FUZZ=1 ./mvnw -pl sql-extensions test -Dtest=ParserCoverageFuzzTest</pre>
 *
 * Every input must parse or fail with an {@link SQLException} that has a SQLState: any other
 * exception, or an input that runs past Jazzer's per-input timeout, is a finding (saved by Jazzer
 * as a crash file that reproduces it).
 */
class ParserCoverageFuzzTest {
  @FuzzTest(maxDuration = "30s")
  void everyInputParsesOrFailsWithSqlException(String input) {
    try {
      Parser.parse(input);
    } catch (SQLException expected) {
      assertNotNull(expected.getSQLState(), "no SQLState");
    }
    VarRewrite.Rewritten r = VarRewrite.of(input);
    if (r != null) {
      assertTrue(r.sql().contains("@__EPHEMERA_VAR_0"), r.sql());
    }
  }
}
