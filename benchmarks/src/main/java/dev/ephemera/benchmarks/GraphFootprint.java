package dev.ephemera.benchmarks;

import dev.ephemera.Session;
import dev.ephemera.SessionEngine;
import dev.ephemera.graph.TempGraph;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * The Java heap a loaded temporary graph keeps: the heap in use (after full GCs) before and after
 * loading the {@link GraphBenchmark} random graph of 1,000,000 edges into one, the edge arrays
 * and keys already allocated before the first reading. It loads the graph twice, into two fresh
 * graphs: with an {@code EdgeBatch} (as {@code GraphBenchmark.load} does), for which it also
 * prints the bytes the thread allocated while filling and loading the batch (an upper bound of
 * the heap the load needs while it runs: all of it is garbage afterwards), and with
 * {@code addEdge} per edge. Also prints the load times and Chronicle's off-heap accounting. Not a
 * JMH benchmark: JMH measures time. Needs the Chronicle flags:
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
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    GraphBenchmark.RandomGraph graph = new GraphBenchmark.RandomGraph(GraphBenchmark.NODES, GraphBenchmark.EDGES, 42);
    try (SessionEngine engine = SessionEngine.builder().build()) {
      Session s = engine.open();
      s.dropTempGraph(s.createTempGraph("warm").name()); // after the background warm-up
      for (boolean batch : new boolean[] {true, false}) {
        String name = batch ? "batch" : "one_by_one";
        long before = usedAfterGc(mx);
        long allocated = threads.getCurrentThreadAllocatedBytes();
        long t0 = System.nanoTime();
        TempGraph g = s.createTempGraph(name, GraphBenchmark.NODES, GraphBenchmark.EDGES);
        if (batch) {
          graph.batchInto(g);
        } else {
          graph.loadInto(g);
        }
        long loadMs = (System.nanoTime() - t0) / 1_000_000;
        allocated = threads.getCurrentThreadAllocatedBytes() - allocated;
        long after = usedAfterGc(mx);
        System.out.printf("%s: loaded %,d edges / %,d nodes in %,d ms%n", batch ? "EdgeBatch" : "addEdge per edge",
            g.edgeCount(), g.nodeCount(), loadMs);
        System.out.printf("  Java heap in use: %,d -> %,d bytes: grew by %.1f MiB%n", before, after,
            (after - before) / 1048576.0);
        if (batch) {
          System.out.printf("  allocated while filling and loading the batch: %.1f MiB%n", allocated / 1048576.0);
        }
        System.out.printf("  off-heap (Chronicle Map): %.1f MiB%n", g.offHeapBytes() / 1048576.0);
        s.dropTempGraph(name);
      }
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
