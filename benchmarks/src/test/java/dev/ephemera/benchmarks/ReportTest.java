package dev.ephemera.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report reads JMH's JSON, pairs Ephemera with each peer, and draws the ratios. */
class ReportTest {
  static String result(String benchmark, String params, int threads, double score) {
    return "{\"benchmark\":\"dev.ephemera.benchmarks." + benchmark + "\",\"mode\":\"avgt\",\"threads\":" + threads
        + ",\"forks\":1,\"params\":{" + params + "},\"primaryMetric\":{\"score\":" + score
        + ",\"scoreError\":1.5,\"scoreUnit\":\"ns/op\",\"rawData\":[[1.0,2.0]]},\"secondaryMetrics\":{}}";
  }

  @Test
  void ephemeraIsComparedWithEachPeerAndStoresWithMemory(@TempDir Path dir) throws Exception {
    Path json = dir.resolve("r.json");
    Files.writeString(json, "[" + String.join(",",
        result("LifecycleBenchmark.openClose", "\"impl\":\"EPHEMERA\"", 1, 200),
        result("LifecycleBenchmark.openClose", "\"impl\":\"SPRING_SESSION\"", 1, 400),
        result("LifecycleBenchmark.openClose", "\"impl\":\"SHIRO\"", 1, 500),
        result("HotPathBenchmark.resumeAndGet2Threads", "\"impl\":\"EPHEMERA\"", 2, 100),
        result("HotPathBenchmark.resumeAndGet2Threads", "\"impl\":\"FLOOR\"", 2, 50),
        result("StoreBenchmark.writeThroughSet", "\"store\":\"MEMORY\"", 1, 10),
        result("StoreBenchmark.writeThroughSet", "\"store\":\"FILE\"", 1, 3000),
        result("SqlDialectBenchmark.parse", "", 1, 25)) + "]");
    List<Report.Row> rows = Report.read(json);
    List<Report.Ratio> ratios = Report.ratios(rows);
    assertEquals(4, ratios.size(), ratios.toString());
    assertEquals(0.5, ratios.get(0).value(), 1e-9);
    assertEquals("SPRING_SESSION", ratios.get(0).peer());
    assertEquals(0.4, ratios.get(1).value(), 1e-9);
    assertEquals("{threads=2}", ratios.get(2).params());
    assertEquals(300.0, ratios.get(3).value(), 1e-9);
    assertEquals("FILE", ratios.get(3).subject());

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Report.print(rows, ratios, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String table = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(table.contains("LifecycleBenchmark.openClose [EPHEMERA]") && table.contains("0.50"), table);
    assertTrue(table.contains("without a peer:") && table.contains("SqlDialectBenchmark.parse"), table);

    String svg = Report.svg(ratios, "t");
    assertTrue(svg.startsWith("<svg") && svg.trim().endsWith("</svg>"), svg);
    assertEquals(4, svg.split("<rect x=").length - 1, "one bar per ratio");
  }
}
