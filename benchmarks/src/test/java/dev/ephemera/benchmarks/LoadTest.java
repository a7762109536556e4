package dev.ephemera.benchmarks;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The load run, briefly (README has the full run's command and figures): every request of the mix
 * succeeds from one and from two threads, and the table has a row per thread count. No timing is
 * asserted.
 */
class LoadTest {
  @Test
  void aShortLoadRunServesEveryRequestWithoutAnError() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    List<Load.Result> results = Load.run(0.4, List.of(1, 2), 16, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String table = bytes.toString(StandardCharsets.UTF_8);
    assertEquals(2, results.size(), table);
    for (Load.Result r : results) {
      assertEquals(0, r.errors(), table);
      assertTrue(r.requests() > 0, table);
      assertEquals(r.requests(), r.latency().getTotalCount(), "every request is in the histogram");
    }
    assertTrue(table.startsWith(Load.HEADER), table);
    assertEquals(4, table.lines().count(), table);
  }

  @Test
  void eachThreadHasItsOwnSessionsAndTogetherTheyCoverAll() {
    for (int threads : new int[] {1, 2, 3, 8}) {
      Set<Integer> all = new HashSet<>();
      for (int t = 0; t < threads; t++) {
        for (int i : Load.shareOf(t, threads, Load.SESSIONS)) {
          assertTrue(all.add(i), "session " + i + " given twice");
        }
      }
      assertEquals(Load.SESSIONS, all.size());
    }
  }
}
