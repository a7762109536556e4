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
 * the build: one fork each (with the JVM flags of its {@code @Fork}), no warm-up, one measured
 * iteration of 50 ms, small data ({@code edges}, {@code earlier}, the BFS graph). It times
 * nothing: the scores are thrown away.
 */
class BenchmarksSmokeTest {
  @Test
  void everyBenchmarkRunsOnceWithoutError() throws Exception {
    Options o = new OptionsBuilder()
        .include("dev\\.ephemera\\.benchmarks\\..*Benchmark\\..*")
        .forks(1)
        .warmupIterations(0)
        .measurementIterations(1)
        .measurementTime(TimeValue.milliseconds(50))
        .param("edges", "10000")
        .param("earlier", "100")
        .jvmArgsPrepend("-Dephemera.bench.edges=10000", "-Xmx512m")
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
   * Graph 4 + 1 + 3 (load: three implementations, one size here), HotPath 16, Lifecycle 4, Sql 9,
   * SqlDialect 1 + 2 + 3 + 4, Store 8, TenantDatabase 3.
   */
  static final int EXPECTED_RUNS = 4 + 1 + 3 + 16 + 4 + 9 + 10 + 8 + 3;
}
