package dev.ephemera.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collection;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Every benchmark runs once in smoke mode in the normal build, so that a broken benchmark fails
 * the build: in this JVM (no fork: surefire gives it the same flags the {@code @Fork}s give
 * theirs, {@code JvmFlagsTest} checks those, and a fork each took most of the build's time), no
 * warm-up, one measured iteration of 50 ms, small data ({@code edges}, {@code earlier}, the BFS
 * graph). It times nothing: the scores are thrown away.
 */
class BenchmarksSmokeTest {
  @Test
  void everyBenchmarkRunsOnceWithoutError() throws Exception {
    String edges = System.setProperty("ephemera.bench.edges", "10000"); // what the forks got as -D
    try {
      runAll();
    } finally {
      if (edges == null) {
        System.clearProperty("ephemera.bench.edges");
      } else {
        System.setProperty("ephemera.bench.edges", edges);
      }
    }
  }

  private static void runAll() throws Exception {
    Options o = new OptionsBuilder()
        .include("dev\\.ephemera\\.benchmarks\\..*Benchmark\\..*")
        .forks(0)
        .warmupIterations(0)
        .measurementIterations(1)
        .measurementTime(TimeValue.milliseconds(50))
        .param("edges", "10000")
        .param("earlier", "100")
        .shouldFailOnError(true)
        .verbosity(VerboseMode.SILENT)
        .build();
    Collection<RunResult> results = new Runner(o).run();
    // one result per benchmark method and parameter combination (java -jar benchmarks.jar -lp)
    assertEquals(EXPECTED_RUNS, results.size(), "benchmarks that produced a result");
    for (RunResult r : results) {
      assertTrue(r.getPrimaryResult().getSampleCount() >= 1, r.getParams().getBenchmark() + " measured nothing");
    }
  }

  /**
   * Graph 4 + 1 + 3 (load: three implementations, one size here), GraphQuery 13, HotPath 16,
   * Lifecycle 4, Sql 9, SqlDialect 1 + 2 + 3 + 4, Store 8, TenantDatabase 3.
   */
  static final int EXPECTED_RUNS = 4 + 1 + 3 + 13 + 16 + 4 + 9 + 10 + 8 + 3;
}
