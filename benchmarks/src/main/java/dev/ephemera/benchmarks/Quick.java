package dev.ephemera.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The quick profile: every benchmark with a short warm-up and measurement (one fork, one warm-up
 * iteration of 0.5 s, two measured iterations of 0.5 s), then the table of {@link Report}: about
 * four minutes on 2 cores. Its figures are rougher than a full run's; the ratios are what to read.
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar dev.ephemera.benchmarks.Quick [regex] [--chart file.svg]
 * }</pre>
 *
 * <p>The JSON goes to {@code target/jmh-quick.json} (relative to the current directory).
 */
public final class Quick {
  private Quick() {}

  public static void main(String[] args) throws Exception {
    String include = ".*Benchmark.*";
    String chart = null;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--chart") && i + 1 < args.length) {
        chart = args[++i];
      } else {
        include = args[i];
      }
    }
    Path json = Path.of("target", "jmh-quick.json");
    Files.createDirectories(json.getParent());
    ChainedOptionsBuilder o = new OptionsBuilder()
        .include(include)
        .forks(1)
        .warmupIterations(1)
        .warmupTime(TimeValue.milliseconds(500))
        .measurementIterations(2)
        .measurementTime(TimeValue.milliseconds(500))
        .resultFormat(ResultFormatType.JSON)
        .result(json.toString());
    new Runner(o.build()).run();
    System.out.println();
    Report.main(chart == null ? new String[] {json.toString()} : new String[] {json.toString(), chart});
  }
}
