package dev.ephemera.benchmarks;

import dev.ephemera.Session;
import dev.ephemera.SessionEngine;
import dev.ephemera.graph.Direction;
import dev.ephemera.graph.Edge;
import dev.ephemera.graph.EdgeBatch;
import dev.ephemera.graph.TempGraph;
import dev.ephemera.graph.Traversal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The graph query language beside its peers in one run (the speed targets of issue 27).
 *
 * <p>The data: {@link GraphBenchmark}'s random graph (100,000 nodes, 1,000,000 edges, seed 42;
 * {@code -Dephemera.bench.edges} resizes it, a tenth as many nodes), every node {@code n<i>} with a
 * label ({@code Person} for about half, {@code Robot} otherwise) and the properties {@code name},
 * {@code city} and {@code age} (0..99, stored last so that a filter on it skips the other two);
 * edges of type {@code KNOWS}, one in ten {@code LIKES} instead. The nodes are added with
 * {@code addNode}, then the edges through one {@code EdgeBatch}.
 *
 * <ul>
 *   <li>{@code twoHopQuery}, {@code twoHopJavaApi}, {@code twoHopH2}: the paths
 *       {@code (a:Person)-[:KNOWS]->(b)-[:KNOWS]->(c)} with {@code a.age > 90}, counted: as a query,
 *       written by hand against the {@code TempGraph} API, and as SQL joins over indexed tables of
 *       the same data in an in-memory H2 database (opened with {@code OPTIMIZE_REUSE_RESULTS=FALSE},
 *       else it answers the re-run query from its last result; {@code -Dephemera.bench.explain=true}
 *       prints H2's plan). Each setup checks its answer against one
 *       computed from the on-heap arrays. Like the query language, the hand-written peers count
 *       paths (parallel edges count apart) and do not use one edge twice in a path (a self-loop).
 *   <li>{@code varLengthQuery}, {@code varLengthTraverse}: the distinct nodes 1 to 3 edges away
 *       (any type, outgoing) from a start with a typical neighbourhood (the median 3-hop reach of
 *       the first thousand nodes, and on no cycle of 3 edges or fewer, so that the query's
 *       {@code count(DISTINCT b)} and {@code reachCount - 1} count the same nodes: checked).
 *   <li>{@code cachedTrivialQuery} ({@code RETURN 1}), {@code cachedPointQuery} (one node's
 *       {@code age} by key) and {@code pointJavaApi} ({@code node(k).get().properties().get("age")}):
 *       what running a cached plan costs beyond its work.
 *   <li>{@code create100Query}, {@code create100JavaApi}: 100 nodes {@code (:N {i: i})} chained by
 *       99 {@code NEXT} edges, by one query or by 100 {@code addNode} and 99 {@code addEdge} calls;
 *       {@code create100NodesQuery}, {@code create100NodesJavaApi}: the 100 nodes alone. One graph
 *       per trial, emptied after every invocation outside the timed part ({@code Level.Invocation}
 *       teardown: {@code removeNode} of every node): an invocation takes hundreds of microseconds,
 *       far above the timestamps JMH adds around it. Not a new graph per invocation: that timed the
 *       first writes into a new map's memory, with errors as large as the scores; nor one graph per
 *       iteration: it would grow by millions of nodes and time the map's growth. Two-second
 *       iterations: each invocation also pays its untimed teardown, so fewer fit in an iteration,
 *       and one-second warm-ups were still getting faster.
 * </ul>
 *
 * <pre>{@code
 * ./mvnw -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar GraphQueryBenchmark
 * }</pre>
 */
@Fork(value = 1, jvmArgsAppend = {
    JvmFlags.OPENS_LANG, JvmFlags.OPENS_REFLECT, JvmFlags.EXPORTS_JAVAC_FILE, JvmFlags.EXPORTS_REF,
    JvmFlags.EXPORTS_NIO_CH, JvmFlags.NO_ANALYTICS, JvmFlags.NO_ANNOUNCER})
public class GraphQueryBenchmark {
  static final int EDGES = GraphBenchmark.EDGES;
  static final int NODES = GraphBenchmark.NODES;
  static final int DEPTH = 3;
  static final int MIN_AGE = 90;

  static final String TWO_HOP =
      "MATCH (a:Person)-[:KNOWS]->(b)-[:KNOWS]->(c) WHERE a.age > " + MIN_AGE + " RETURN count(*)";
  static final String TWO_HOP_SQL = "SELECT COUNT(*) FROM nodes a"
      + " JOIN edges e1 ON e1.src = a.id AND e1.type = 'KNOWS'"
      + " JOIN edges e2 ON e2.src = e1.dst AND e2.type = 'KNOWS' AND e2.id <> e1.id"
      + " WHERE a.label = 'Person' AND a.age > " + MIN_AGE;
  static final String VAR_LENGTH =
      "MATCH (a) WHERE key(a) = $k MATCH (a)-[*1.." + DEPTH + "]->(b) RETURN count(DISTINCT b)";
  static final String TRIVIAL = "RETURN 1";
  static final String POINT = "MATCH (a) WHERE key(a) = $k RETURN a.age";
  static final String CREATE_CHAIN = "UNWIND range(1, 100) AS i CREATE (n:N {i: i})"
      + " WITH collect(n) AS ns UNWIND range(1, 99) AS j WITH ns[j - 1] AS a, ns[j] AS b"
      + " CREATE (a)-[:NEXT]->(b)";
  static final String CREATE_NODES = "UNWIND range(1, 100) AS i CREATE (:N {i: i})";

  static final String[] CITIES = {"Berlin", "Paris", "Rome", "Madrid", "Vienna", "Prague", "Lisbon", "Oslo"};

  /** The random graph with its labels, properties and edge types, on the heap. */
  @State(Scope.Benchmark)
  public static class Data {
    GraphBenchmark.RandomGraph graph;
    boolean[] person;
    int[] age;
    String[] name;
    String[] city;
    /** Edge i is KNOWS (else LIKES). */
    boolean[] knows;
    /** The answer of the 2-hop question, from the arrays. */
    long twoHop;
    /** The var-length start and its answer. */
    int start;
    long reach;

    @Setup
    public void setUp() {
      graph = new GraphBenchmark.RandomGraph(NODES, EDGES, 42);
      Random r = new Random(4242);
      person = new boolean[NODES];
      age = new int[NODES];
      name = new String[NODES];
      city = new String[NODES];
      for (int i = 0; i < NODES; i++) {
        person[i] = r.nextBoolean();
        age[i] = r.nextInt(100);
        name[i] = "name-" + i;
        city[i] = CITIES[r.nextInt(CITIES.length)];
      }
      knows = new boolean[EDGES];
      for (int i = 0; i < EDGES; i++) {
        knows[i] = r.nextInt(10) != 0;
      }
      int[] offsets = new int[NODES + 1];
      for (int s : graph.src) {
        offsets[s + 1]++;
      }
      for (int i = 0; i < NODES; i++) {
        offsets[i + 1] += offsets[i];
      }
      int[] out = new int[EDGES]; // edge indexes by source
      int[] fill = offsets.clone();
      for (int i = 0; i < EDGES; i++) {
        out[fill[graph.src[i]]++] = i;
      }
      twoHop = 0;
      for (int a = 0; a < NODES; a++) {
        if (!person[a] || age[a] <= MIN_AGE) {
          continue;
        }
        for (int x = offsets[a]; x < offsets[a + 1]; x++) {
          int e1 = out[x];
          if (!knows[e1]) {
            continue;
          }
          int b = graph.dst[e1];
          for (int y = offsets[b]; y < offsets[b + 1]; y++) {
            int e2 = out[y];
            if (knows[e2] && e2 != e1) {
              twoHop++;
            }
          }
        }
      }
      chooseStart(offsets, out);
    }

    /** The first node with the median 3-hop reach of the first thousand, on no cycle of 3 or fewer edges. */
    private void chooseStart(int[] offsets, int[] out) {
      int sample = Math.min(NODES, 1000);
      int[] reaches = new int[sample];
      boolean[] cycle = new boolean[sample];
      int[] depth = new int[NODES];
      int[] queue = new int[NODES];
      for (int s = 0; s < sample; s++) {
        Arrays.fill(depth, -1);
        int head = 0;
        int tail = 0;
        depth[s] = 0;
        queue[tail++] = s;
        while (head < tail) {
          int n = queue[head++];
          if (depth[n] == DEPTH) {
            continue;
          }
          for (int x = offsets[n]; x < offsets[n + 1]; x++) {
            int m = graph.dst[out[x]];
            if (m == s) {
              cycle[s] = true;
            }
            if (depth[m] < 0) {
              depth[m] = depth[n] + 1;
              queue[tail++] = m;
            }
          }
        }
        reaches[s] = tail;
      }
      int[] sorted = reaches.clone();
      Arrays.sort(sorted);
      int median = sorted[sample / 2];
      int best = -1;
      for (int s = 0; s < sample; s++) {
        if (!cycle[s] && (best < 0 || Math.abs(reaches[s] - median) < Math.abs(reaches[best] - median))) {
          best = s;
        }
      }
      start = best;
      reach = reaches[best];
    }

    Map<String, Object> properties(int i) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("name", name[i]);
      p.put("city", city[i]);
      p.put("age", (long) age[i]);
      return p;
    }
  }

  /** The data as a temporary graph. */
  @State(Scope.Benchmark)
  public static class Graph {
    SessionEngine engine;
    TempGraph g;
    Traversal traversal;
    String startKey;
    Map<String, Object> startParam;
    long expectedAge;

    @Setup
    public void setUp(Data d) {
      engine = SessionEngine.builder().build();
      Session session = engine.open();
      g = session.createTempGraph("bench", NODES, EDGES);
      Set<String> personLabel = Set.of("Person");
      Set<String> robotLabel = Set.of("Robot");
      for (int i = 0; i < NODES; i++) {
        g.addNode(d.graph.keys[i], d.person[i] ? personLabel : robotLabel, d.properties(i));
      }
      EdgeBatch batch = g.edgeBatch();
      for (int i = 0; i < EDGES; i++) {
        batch.add(d.graph.keys[d.graph.src[i]], d.graph.keys[d.graph.dst[i]], d.knows[i] ? "KNOWS" : "LIKES");
      }
      batch.load();
      if (g.nodeCount() != NODES || g.edgeCount() != EDGES) {
        throw new IllegalStateException("loaded " + g.nodeCount() + " nodes and " + g.edgeCount() + " edges");
      }
      traversal = Traversal.bfs().maxDepth(DEPTH).direction(Direction.OUT);
      startKey = d.graph.keys[d.start];
      startParam = Map.of("k", startKey);
      expectedAge = d.age[d.start];
      check("twoHopQuery", twoHopQuery(), d.twoHop);
      check("twoHopJavaApi", twoHopJavaApi(), d.twoHop);
      check("varLengthQuery", varLengthQuery(), d.reach - 1);
      check("varLengthTraverse", varLengthTraverse(), d.reach - 1);
      check("varLengthTraverseKeys", varLengthTraverseKeys(), d.reach - 1);
      check("cachedTrivialQuery", (Long) g.query(TRIVIAL, Map.of()).single(), 1);
      check("cachedPointQuery", (Long) pointQuery(), expectedAge);
      check("pointJavaApi", (Long) pointJavaApi(), expectedAge);
    }

    long twoHopQuery() {
      return (Long) g.query(TWO_HOP, Map.of()).single();
    }

    /** The natural hand-written version: Person keys, each one's age, its KNOWS edges out, theirs. */
    long twoHopJavaApi() {
      long count = 0;
      for (String a : g.nodesWithLabel("Person")) {
        Object age = g.node(a).get().properties().get("age");
        if (!(age instanceof Long l) || l <= MIN_AGE) {
          continue;
        }
        for (Edge e1 : g.edges(a, Direction.OUT)) {
          if (!e1.type().equals("KNOWS")) {
            continue;
          }
          for (Edge e2 : g.edges(e1.to(), Direction.OUT)) {
            if (e2.type().equals("KNOWS") && e2.id() != e1.id()) {
              count++;
            }
          }
        }
      }
      return count;
    }

    long varLengthQuery() {
      return (Long) g.query(VAR_LENGTH, startParam).single();
    }

    long varLengthTraverse() {
      return g.reachCount(startKey, traversal) - 1;
    }

    long varLengthTraverseKeys() {
      return g.traverse(startKey, traversal).size() - 1;
    }

    Object pointQuery() {
      return g.query(POINT, startParam).single();
    }

    Object pointJavaApi() {
      return g.node(startKey).get().properties().get("age");
    }

    @TearDown
    public void tearDown() {
      engine.close();
    }
  }

  /** The data as indexed tables in an in-memory H2 database. */
  @State(Scope.Benchmark)
  public static class H2 {
    Connection h2;
    PreparedStatement twoHop;

    @Setup
    public void setUp(Data d) throws SQLException {
      // OPTIMIZE_REUSE_RESULTS=FALSE: else H2 answers a prepared query run again on unchanged tables
      // from the result it kept (about 2 us here), without running it
      h2 = DriverManager.getConnection(
          "jdbc:h2:mem:graph-query-bench;DB_CLOSE_DELAY=-1;OPTIMIZE_REUSE_RESULTS=FALSE", "sa", "");
      try (Statement st = h2.createStatement()) {
        st.execute("CREATE TABLE nodes(id INT PRIMARY KEY, k VARCHAR NOT NULL, label VARCHAR NOT NULL,"
            + " age INT NOT NULL, name VARCHAR NOT NULL, city VARCHAR NOT NULL)");
        st.execute("CREATE TABLE edges(id INT PRIMARY KEY, src INT NOT NULL, dst INT NOT NULL, type VARCHAR NOT NULL)");
      }
      h2.setAutoCommit(false);
      try (PreparedStatement ins = h2.prepareStatement("INSERT INTO nodes VALUES (?, ?, ?, ?, ?, ?)")) {
        for (int i = 0; i < NODES; i++) {
          ins.setInt(1, i);
          ins.setString(2, d.graph.keys[i]);
          ins.setString(3, d.person[i] ? "Person" : "Robot");
          ins.setInt(4, d.age[i]);
          ins.setString(5, d.name[i]);
          ins.setString(6, d.city[i]);
          ins.addBatch();
          if (i % 10_000 == 9_999) {
            ins.executeBatch();
          }
        }
        ins.executeBatch();
      }
      try (PreparedStatement ins = h2.prepareStatement("INSERT INTO edges VALUES (?, ?, ?, ?)")) {
        for (int i = 0; i < EDGES; i++) {
          ins.setInt(1, i);
          ins.setInt(2, d.graph.src[i]);
          ins.setInt(3, d.graph.dst[i]);
          ins.setString(4, d.knows[i] ? "KNOWS" : "LIKES");
          ins.addBatch();
          if (i % 10_000 == 9_999) {
            ins.executeBatch();
          }
        }
        ins.executeBatch();
      }
      h2.commit();
      h2.setAutoCommit(true);
      try (Statement st = h2.createStatement()) {
        st.execute("CREATE INDEX edges_src_type ON edges(src, type)");
        st.execute("CREATE INDEX nodes_label_age ON nodes(label, age)");
        st.execute("ANALYZE");
      }
      twoHop = h2.prepareStatement(TWO_HOP_SQL);
      if (Boolean.getBoolean("ephemera.bench.explain")) {
        try (Statement st = h2.createStatement(); ResultSet rs = st.executeQuery("EXPLAIN " + TWO_HOP_SQL)) {
          rs.next();
          System.out.println(rs.getString(1));
        }
      }
      check("twoHopH2", twoHop(), d.twoHop);
    }

    long twoHop() throws SQLException {
      try (ResultSet rs = twoHop.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }

    @TearDown
    public void tearDown() throws SQLException {
      try (Statement st = h2.createStatement()) {
        st.execute("DROP ALL OBJECTS");
      }
      h2.close();
    }
  }

  /** A new, empty graph per invocation, for the CREATE benchmarks. */
  @State(Scope.Benchmark)
  public static class Fresh {
    SessionEngine engine;
    Session session;
    TempGraph g;
    final String[] keys = new String[101];
    final Set<String> labels = Set.of("N");
    final List<Map<String, Object>> props = new ArrayList<>(101);

    @Setup(Level.Trial)
    public void setUp() {
      engine = SessionEngine.builder().build();
      session = engine.open();
      props.add(Map.of()); // index 0 is not used: node i has props.get(i)
      for (int i = 1; i <= 100; i++) {
        keys[i] = "n" + i;
        props.add(Map.of("i", (long) i));
      }
      session.createTempGraph("first"); // waits for the engine's background warm-up
      session.dropTempGraph("first");
      g = session.createTempGraph("c");
      // both ways make the same graph
      String[] made = new String[4];
      for (int way = 0; way < 4; way++) {
        switch (way) {
          case 0 -> chainQuery();
          case 1 -> chainJavaApi();
          case 2 -> nodesQuery();
          default -> nodesJavaApi();
        }
        made[way] = shape();
        dropGraph();
      }
      if (!made[0].equals("100 nodes, 99 edges, sum 5050, chain 1") || !made[1].equals(made[0])
          || !made[2].equals("100 nodes, 0 edges, sum 5050, chain 0") || !made[3].equals(made[2])) {
        throw new IllegalStateException("the CREATE peers made different graphs: " + Arrays.toString(made));
      }
    }

    private String shape() {
      return g.nodeCount() + " nodes, " + g.edgeCount() + " edges, sum "
          + g.query("MATCH (n:N) RETURN sum(n.i)").single() + ", chain "
          + g.query("MATCH (:N {i: 1})-[:NEXT*99]->(:N {i: 100}) RETURN count(*)").single();
    }

    long chainQuery() {
      return g.query(CREATE_CHAIN, Map.of()).size();
    }

    long chainJavaApi() {
      long made = 0;
      for (int i = 1; i <= 100; i++) {
        made += g.addNode(keys[i], labels, props.get(i)) ? 1 : 0;
      }
      for (int i = 1; i < 100; i++) {
        made += g.addEdge(keys[i], keys[i + 1], "NEXT").id() >= 0 ? 1 : 0;
      }
      return made;
    }

    long nodesQuery() {
      return g.query(CREATE_NODES, Map.of()).size();
    }

    long nodesJavaApi() {
      long made = 0;
      for (int i = 1; i <= 100; i++) {
        made += g.addNode(keys[i], labels, props.get(i)) ? 1 : 0;
      }
      return made;
    }

    /** Removes what the invocation made, outside the timed part. */
    @TearDown(Level.Invocation)
    public void dropGraph() {
      for (String k : g.nodes()) {
        g.removeNode(k);
      }
      if (g.nodeCount() != 0 || g.edgeCount() != 0) {
        throw new IllegalStateException("the graph was not emptied");
      }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      engine.close();
    }
  }

  static void check(String what, long got, long expected) {
    if (got != expected) {
      throw new IllegalStateException(what + " answered " + got + ", expected " + expected);
    }
  }

  // ---- 2-hop pattern, label and property filter, counted ----------------------------------------

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Warmup(iterations = 3, time = 2)
  @Measurement(iterations = 5, time = 2)
  public long twoHopQuery(Graph s) {
    return s.twoHopQuery();
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Warmup(iterations = 3, time = 2)
  @Measurement(iterations = 5, time = 2)
  public long twoHopJavaApi(Graph s) {
    return s.twoHopJavaApi();
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Warmup(iterations = 3, time = 2)
  @Measurement(iterations = 5, time = 2)
  public long twoHopH2(H2 s) throws SQLException {
    return s.twoHop();
  }

  // ---- variable length ----------------------------------------------------------------------------

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Warmup(iterations = 3, time = 1)
  @Measurement(iterations = 5, time = 1)
  public long varLengthQuery(Graph s) {
    return s.varLengthQuery();
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Warmup(iterations = 3, time = 1)
  @Measurement(iterations = 5, time = 1)
  public long varLengthTraverse(Graph s) {
    return s.varLengthTraverse();
  }

  /** The peer the issue names: {@code traverse}, which also builds each reached node's key and depth. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Warmup(iterations = 3, time = 1)
  @Measurement(iterations = 5, time = 1)
  public long varLengthTraverseKeys(Graph s) {
    return s.varLengthTraverseKeys();
  }

  // ---- a cached plan's overhead -------------------------------------------------------------------

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Warmup(iterations = 3, time = 1)
  @Measurement(iterations = 5, time = 1)
  public Object cachedTrivialQuery(Graph s) {
    return s.g.query(TRIVIAL, Map.of()).single();
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Warmup(iterations = 3, time = 1)
  @Measurement(iterations = 5, time = 1)
  public Object cachedPointQuery(Graph s) {
    return s.pointQuery();
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Warmup(iterations = 3, time = 1)
  @Measurement(iterations = 5, time = 1)
  public Object pointJavaApi(Graph s) {
    return s.pointJavaApi();
  }

  // ---- CREATE -------------------------------------------------------------------------------------

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Warmup(iterations = 3, time = 2)
  @Measurement(iterations = 5, time = 2)
  public long create100Query(Fresh f) {
    return f.chainQuery();
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Warmup(iterations = 3, time = 2)
  @Measurement(iterations = 5, time = 2)
  public long create100JavaApi(Fresh f) {
    return f.chainJavaApi();
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Warmup(iterations = 3, time = 2)
  @Measurement(iterations = 5, time = 2)
  public long create100NodesQuery(Fresh f) {
    return f.nodesQuery();
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Warmup(iterations = 3, time = 2)
  @Measurement(iterations = 5, time = 2)
  public long create100NodesJavaApi(Fresh f) {
    return f.nodesJavaApi();
  }
}
