package dev.ephemera.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The quick profile: every benchmark with a short warm-up and measurement (one fork, two warm-up
 * iterations of 1 s, two measured iterations of 0.5 s), then the table of {@link Report}: under
 * five minutes on 2 cores. Its figures are rougher than a full run's (with half a second of
 * warm-up the engine's paths were not compiled yet and it looked up to 3× slower than it is).
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
        .warmupIterations(2)
        .warmupTime(TimeValue.seconds(1))
        .measurementIterations(2)
        .measurementTime(TimeValue.milliseconds(500))
        .resultFormat(ResultFormatType.JSON)
        .result(json.toString());
    new Runner(o.build()).run();
    System.out.println();
    Report.main(chart == null ? new String[] {json.toString()} : new String[] {json.toString(), chart});
  }
}
