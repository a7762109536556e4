package dev.ephemera.benchmarks;

import dev.ephemera.Session;
import dev.ephemera.SessionEngine;
import dev.ephemera.graph.EdgeBatch;
import dev.ephemera.graph.TempGraph;
import dev.ephemera.graph.Traversal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Temporary graphs, beside their peers in one run.
 *
 * <ul>
 *   <li>{@code createAddDrop}: on a warm engine, {@code createTempGraph} + 10 edges + drop.
 *   <li>{@code bfsDepth3}: on a random directed graph of 100,000 nodes and 1,000,000
 *       edges (seed 42), breadth first from node 0 along outgoing edges to depth 3, counting the
 *       nodes reached. EPHEMERA uses {@code reachCount} (no keys built), EPHEMERA_KEYS
 *       {@code traverse} (a {@code Visit} with its key per node), H2_CTE a recursive CTE over an
 *       indexed edge table in H2, CSR a plain on-heap int-array BFS (the floor). The setup checks
 *       that all four reach the same number of nodes.
 *   <li>{@code load}: a fresh session loads {@code edges} random edges (a tenth as many nodes)
 *       through one {@code EdgeBatch} (EPHEMERA) or {@code addEdge} per edge
 *       (EPHEMERA_ADD_EDGE), the graph sized from hints, beside H2's indexed temporary table
 *       (H2_TEMP_TABLE); once per iteration. Compare the two sizes for linearity.
 * </ul>
 *
 * <pre>{@code
 * ./mvnw -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar GraphBenchmark
 * }</pre>
 */
@Fork(value = 1, jvmArgsAppend = {
    JvmFlags.OPENS_LANG, JvmFlags.OPENS_REFLECT, JvmFlags.EXPORTS_JAVAC_FILE, JvmFlags.EXPORTS_REF,
    JvmFlags.EXPORTS_NIO_CH, JvmFlags.NO_ANALYTICS, JvmFlags.NO_ANNOUNCER})
public class GraphBenchmark {
  /** The BFS graph's size; the build's smoke run ({@code BenchmarksSmokeTest}) makes it small. */
  static final int EDGES = Integer.getInteger("ephemera.bench.edges", 1_000_000);
  static final int NODES = EDGES / 10;
  static final int DEPTH = 3;

  /** The random graph: edge i goes from {@code src[i]} to {@code dst[i]}; node i's key is {@code keys[i]}. */
  static final class RandomGraph {
    final int nodes;
    final int[] src;
    final int[] dst;
    final String[] keys;

    RandomGraph(int nodes, int edges, long seed) {
      this.nodes = nodes;
      Random r = new Random(seed);
      src = new int[edges];
      dst = new int[edges];
      for (int i = 0; i < edges; i++) {
        src[i] = r.nextInt(nodes);
        dst[i] = r.nextInt(nodes);
      }
      keys = new String[nodes];
      for (int i = 0; i < nodes; i++) {
        keys[i] = "n" + i;
      }
    }

    /** Inserts the edges into the H2 table {@code e(src, dst)}: batches of 10,000, one transaction. */
    long insertInto(Connection h2) throws SQLException {
      h2.setAutoCommit(false);
      try (PreparedStatement ins = h2.prepareStatement("INSERT INTO e VALUES (?, ?)")) {
        for (int i = 0; i < src.length; i++) {
          ins.setInt(1, src[i]);
          ins.setInt(2, dst[i]);
          ins.addBatch();
          if (i % 10_000 == 9_999) {
            ins.executeBatch();
          }
        }
        ins.executeBatch();
      }
      h2.commit();
      h2.setAutoCommit(true);
      return src.length;
    }

    long batchInto(TempGraph g) {
      EdgeBatch batch = g.edgeBatch();
      for (int i = 0; i < src.length; i++) {
        batch.add(keys[src[i]], keys[dst[i]], "T");
      }
      batch.load();
      return g.edgeCount();
    }

    long loadInto(TempGraph g) {
      for (int i = 0; i < src.length; i++) {
        g.addEdge(keys[src[i]], keys[dst[i]], "T");
      }
      return g.edgeCount();
    }
  }

  /** The on-heap floor: compressed sparse rows and an epoch-stamped visited array. */
  static final class Csr {
    final int[] offsets;
    final int[] targets;
    final int[] stamp;
    final int[] queue;
    final int[] depth;
    int epoch;

    Csr(RandomGraph g) {
      offsets = new int[g.nodes + 1];
      for (int s : g.src) {
        offsets[s + 1]++;
      }
      for (int i = 0; i < g.nodes; i++) {
        offsets[i + 1] += offsets[i];
      }
      targets = new int[g.src.length];
      int[] fill = offsets.clone();
      for (int i = 0; i < g.src.length; i++) {
        targets[fill[g.src[i]]++] = g.dst[i];
      }
      stamp = new int[g.nodes];
      queue = new int[g.nodes];
      depth = new int[g.nodes];
    }

    int bfs(int start, int maxDepth) {
      int e = ++epoch;
      int head = 0;
      int tail = 0;
      stamp[start] = e;
      queue[tail] = start;
      depth[tail++] = 0;
      while (head < tail) {
        int n = queue[head];
        int d = depth[head++];
        if (d >= maxDepth) {
          break;
        }
        for (int i = offsets[n]; i < offsets[n + 1]; i++) {
          int m = targets[i];
          if (stamp[m] != e) {
            stamp[m] = e;
            queue[tail] = m;
            depth[tail++] = d + 1;
          }
        }
      }
      return tail;
    }
  }

  @State(Scope.Benchmark)
  public static class Warm {
    SessionEngine engine;
    Session session;
    final String[] keys = new String[11];

    @Setup
    public void setUp() {
      engine = SessionEngine.builder().build();
      session = engine.open();
      for (int i = 0; i < keys.length; i++) {
        keys[i] = "k" + i;
      }
      session.createTempGraph("first"); // waits for the engine's background warm-up
      session.dropTempGraph("first");
    }

    @TearDown
    public void tearDown() {
      engine.close();
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Warmup(iterations = 3, time = 1)
  @Measurement(iterations = 5, time = 1)
  public long createAddDrop(Warm w) {
    TempGraph g = w.session.createTempGraph("g");
    for (int i = 0; i < 10; i++) {
      g.addEdge(w.keys[i], w.keys[i + 1], "T");
    }
    long n = g.edgeCount();
    w.session.dropTempGraph("g");
    return n;
  }

  @State(Scope.Benchmark)
  public static class Big {
    @Param({"EPHEMERA", "EPHEMERA_KEYS", "H2_CTE", "CSR"})
    public String impl;

    RandomGraph graph;
    Csr csr;
    SessionEngine engine;
    TempGraph temp;
    Traversal traversal;
    Connection h2;
    PreparedStatement cte;

    @Setup
    public void setUp() throws SQLException {
      graph = new RandomGraph(NODES, EDGES, 42);
      csr = new Csr(graph);
      int expected = csr.bfs(0, DEPTH);
      switch (impl) {
        case "EPHEMERA", "EPHEMERA_KEYS" -> {
          engine = SessionEngine.builder().build();
          temp = engine.open().createTempGraph("bench", NODES, EDGES);
          graph.loadInto(temp);
          traversal = Traversal.bfs().maxDepth(DEPTH);
        }
        case "H2_CTE" -> {
          h2 = DriverManager.getConnection("jdbc:h2:mem:graph-bench;DB_CLOSE_DELAY=-1", "sa", "");
          try (Statement st = h2.createStatement()) {
            st.execute("CREATE TABLE e(src INT NOT NULL, dst INT NOT NULL)");
          }
          graph.insertInto(h2);
          try (Statement st = h2.createStatement()) {
            st.execute("CREATE INDEX e_src ON e(src)");
          }
          cte = h2.prepareStatement("WITH RECURSIVE r(n, d) AS (SELECT CAST(? AS INT), 0 UNION ALL"
              + " SELECT e.dst, r.d + 1 FROM r JOIN e ON e.src = r.n WHERE r.d < ?) SELECT COUNT(DISTINCT n) FROM r");
        }
        case "CSR" -> { }
        default -> throw new IllegalArgumentException(impl);
      }
      long got = bfs();
      if (got != expected) {
        throw new IllegalStateException(impl + " reached " + got + " nodes, the CSR floor " + expected);
      }
    }

    long bfs() throws SQLException {
      switch (impl) {
        case "EPHEMERA":
          return temp.reachCount("n0", traversal);
        case "EPHEMERA_KEYS":
          return temp.traverse("n0", traversal).size();
        case "H2_CTE":
          cte.setInt(1, 0);
          cte.setInt(2, DEPTH);
          try (ResultSet rs = cte.executeQuery()) {
            rs.next();
            return rs.getLong(1);
          }
        default:
          return csr.bfs(0, DEPTH);
      }
    }

    @TearDown
    public void tearDown() throws SQLException {
      if (engine != null) {
        engine.close();
      }
      if (h2 != null) {
        try (Statement st = h2.createStatement()) {
          st.execute("DROP ALL OBJECTS");
        }
        h2.close();
      }
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Warmup(iterations = 3, time = 2)
  @Measurement(iterations = 5, time = 2)
  public long bfsDepth3(Big b) throws SQLException {
    return b.bfs();
  }

  @State(Scope.Benchmark)
  public static class Load {
    @Param({"250000", "1000000"})
    public int edges;

    /**
     * EPHEMERA: every edge into one {@code EdgeBatch}, then {@code load()}, into a temporary graph
     * sized from hints. EPHEMERA_ADD_EDGE: {@code addEdge} per edge instead. H2_TEMP_TABLE: the
     * peer a user would write by hand — the same edges as ints into an H2 {@code LOCAL TEMPORARY}
     * table indexed on the source, JDBC batches of 10,000 in one transaction.
     */
    @Param({"EPHEMERA", "EPHEMERA_ADD_EDGE", "H2_TEMP_TABLE"})
    public String impl;

    RandomGraph graph;
    SessionEngine engine;
    Session session;
    Connection h2;

    @Setup(Level.Trial)
    public void graph() throws SQLException {
      graph = new RandomGraph(edges / 10, edges, 7);
      if (impl.startsWith("EPHEMERA")) {
        engine = SessionEngine.builder().build();
      } else {
        h2 = DriverManager.getConnection("jdbc:h2:mem:graph-load;DB_CLOSE_DELAY=-1", "sa", "");
      }
    }

    @Setup(Level.Iteration)
    public void session() throws SQLException {
      if (engine != null) {
        session = engine.open();
      } else {
        try (Statement st = h2.createStatement()) {
          st.execute("CREATE LOCAL TEMPORARY TABLE e (src INT NOT NULL, dst INT NOT NULL)");
          st.execute("CREATE INDEX e_src ON e(src)");
        }
      }
    }

    @TearDown(Level.Iteration)
    public void endSession() throws SQLException {
      if (session != null) {
        session.close();
      } else {
        try (Statement st = h2.createStatement()) {
          st.execute("DROP TABLE e");
        }
      }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws SQLException {
      if (engine != null) {
        engine.close();
      }
      if (h2 != null) {
        try (Statement st = h2.createStatement()) {
          st.execute("SHUTDOWN");
        }
      }
    }

    long loadH2() throws SQLException {
      return graph.insertInto(h2);
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 1)
  @Measurement(iterations = 3)
  public long load(Load l) throws SQLException {
    if (l.impl.equals("EPHEMERA")) {
      return l.graph.batchInto(l.session.createTempGraph("load", l.edges / 10, l.edges));
    }
    if (l.impl.equals("EPHEMERA_ADD_EDGE")) {
      return l.graph.loadInto(l.session.createTempGraph("load", l.edges / 10, l.edges));
    }
    return l.loadH2();
  }
}
