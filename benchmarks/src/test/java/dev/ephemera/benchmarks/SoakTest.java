package dev.ephemera.benchmarks;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The soak run in the build's size ({@code -Dsoak.cycles} sets it; README gives the full run's
 * command): every cause of a session's end, each session holding every kind of resource, and
 * nothing left afterwards in the engine or in any of its H2 databases.
 */
class SoakTest {
  @Test
  void sessionsEndedByEveryCauseLeaveNothingBehind() throws Exception {
    long cycles = Long.getLong("soak.cycles", 1_000L);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    List<String> leaked = new Soak(cycles, new PrintStream(bytes, true, StandardCharsets.UTF_8)).run();
    String report = bytes.toString(StandardCharsets.UTF_8);
    assertEquals(List.of(), leaked, report);
    assertTrue(report.contains("soak: nothing leaked"), report);
  }

  @Test
  void theHeapSlopeIsALeastSquaresFit() {
    assertEquals(100_000.0, Soak.slopePer100k(List.of(new double[] {0, 0}, new double[] {10, 10}, new double[] {20, 20})),
        1e-6);
    assertEquals(0.0, Soak.slopePer100k(List.of(new double[] {0, 5})));
  }
}
