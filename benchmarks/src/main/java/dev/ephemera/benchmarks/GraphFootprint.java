package dev.ephemera.benchmarks;

import dev.ephemera.Session;
import dev.ephemera.SessionEngine;
import dev.ephemera.graph.TempGraph;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * The Java heap a loaded temporary graph keeps: the heap in use (after full GCs) before and after
 * loading the {@link GraphBenchmark} random graph of 1,000,000 edges into one, the edge arrays
 * and keys already allocated before the first reading. Also prints the load time and Chronicle's
 * off-heap accounting. Not a JMH benchmark: JMH measures time. Needs the Chronicle flags:
 *
 * <pre>{@code
 * java -Dchronicle.analytics.disable=true --add-opens=java.base/java.lang=ALL-UNNAMED \
 *   --add-opens=java.base/java.lang.reflect=ALL-UNNAMED \
 *   --add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED \
 *   -cp benchmarks/target/benchmarks.jar dev.ephemera.benchmarks.GraphFootprint
 * }</pre>
 */
public final class GraphFootprint {
  private GraphFootprint() {}

  public static void main(String[] args) throws Exception {
    MemoryMXBean mx = ManagementFactory.getMemoryMXBean();
    GraphBenchmark.RandomGraph graph = new GraphBenchmark.RandomGraph(GraphBenchmark.NODES, GraphBenchmark.EDGES, 42);
    try (SessionEngine engine = SessionEngine.builder().build()) {
      Session s = engine.open();
      s.dropTempGraph(s.createTempGraph("warm").name()); // after the background warm-up
      long before = usedAfterGc(mx);
      long t0 = System.nanoTime();
      TempGraph g = s.createTempGraph("g", GraphBenchmark.NODES, GraphBenchmark.EDGES);
      graph.loadInto(g);
      long loadMs = (System.nanoTime() - t0) / 1_000_000;
      long after = usedAfterGc(mx);
      System.out.printf("loaded %,d edges / %,d nodes in %,d ms%n", g.edgeCount(), g.nodeCount(), loadMs);
      System.out.printf("Java heap in use: %,d -> %,d bytes: grew by %.1f MiB%n", before, after,
          (after - before) / 1048576.0);
      System.out.printf("off-heap (Chronicle Map): %.1f MiB%n", g.offHeapBytes() / 1048576.0);
    }
  }

  private static long usedAfterGc(MemoryMXBean mx) throws InterruptedException {
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return mx.getHeapMemoryUsage().getUsed();
  }
}
