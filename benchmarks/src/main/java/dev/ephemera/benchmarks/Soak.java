package dev.ephemera.benchmarks;

import dev.ephemera.CapacityPolicy;
import dev.ephemera.Credentials;
import dev.ephemera.EngineStats;
import dev.ephemera.Session;
import dev.ephemera.SessionEngine;
import dev.ephemera.Ticker;
import dev.ephemera.Transaction;
import dev.ephemera.graph.TempGraph;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The soak run: sessions opened and ended by every cause — close, idle expiry, lifetime, kill,
 * eviction under {@code maxSessions}, engine close — while each holds variables, a temporary
 * table with rows, a temporary graph, a live query and an open transaction with a savepoint, in
 * one of four namespace/databases (each its own H2 database). Time is virtual (an injected
 * ticker), so expiry costs no waiting. After the run it checks that nothing is left: no session,
 * SQL connection, graph or off-heap byte in the engine; in every H2 database no session but the
 * checker's and the engine's own, no table, no user beyond the pool's; and it reports the slope
 * of the heap after GC, the thread count and the open file descriptors.
 *
 * <p>Run: {@code java @benchmarks/target/jvm.args -cp benchmarks/target/benchmarks.jar dev.ephemera.benchmarks.Soak
 * [cycles]} (default 1,000,000; {@code SoakTest} runs 1,000 in the build). Exit 0 when nothing
 * leaked, 1 otherwise.
 */
public final class Soak {
  static final List<String> DATABASES = List.of("a", "b", "c", "d");
  static final int ENGINE_RESTART_EVERY = 500;

  private final long cycles;
  private final PrintStream out;
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final Ticker ticker = now::get;
  private final List<String> problems = new ArrayList<>();

  Soak(long cycles, PrintStream out) {
    this.cycles = cycles;
    this.out = out;
  }

  public static void main(String[] args) throws Exception {
    long cycles = args.length > 0 ? Long.parseLong(args[0]) : Long.getLong("soak.cycles", 1_000_000L);
    Soak soak = new Soak(cycles, System.out);
    List<String> problems = soak.run();
    System.exit(problems.isEmpty() ? 0 : 1);
  }

  private SessionEngine newEngine() {
    SessionEngine e = SessionEngine.builder().ticker(ticker).idleTimeout(Duration.ofMinutes(1))
        .maxLifetime(Duration.ofMinutes(10)).maxSessions(8, CapacityPolicy.EVICT_LOWEST_PRIORITY)
        .rootUser("root", "secret").passwordHashIterations(1000).build();
    e.users().create(Credentials.namespace("soak", "app", "pw"));
    return e;
  }

  /** Runs the cycles; returns what leaked (empty: nothing). */
  List<String> run() throws Exception {
    // the baselines are taken after the first engine restart: class loading opens the jars it reads
    // and the JIT settles in the first cycles, which a leak check must not count
    long warm = Math.min(ENGINE_RESTART_EVERY, cycles);
    long threadsBefore = -1;
    long fdsBefore = -1;
    java.util.Set<String> filesBefore = java.util.Set.of();
    List<double[]> heap = new ArrayList<>(); // (cycle, bytes after GC)
    long sampleEvery = Math.max(1, (cycles - warm) / 10);
    long start = System.nanoTime();
    SessionEngine engine = newEngine();
    Session template = template(engine);
    for (long i = 0; i < cycles; i++) {
      if (i > 0 && i % ENGINE_RESTART_EVERY == 0) { // cause: engine close, with a session live
        check(engine, "before a restart at cycle " + i, template.state() == dev.ephemera.SessionState.ACTIVE);
        engine.close();
        engine = newEngine();
        template = template(engine);
      }
      if (i == warm) {
        threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
        fdsBefore = openFiles();
        filesBefore = openFileNames();
      }
      cycle(engine, template, i);
      if (template.state() != dev.ephemera.SessionState.ACTIVE) { // time moved past its idle or lifetime limit
        template = template(engine);
      }
      if (i >= warm && (i - warm) % sampleEvery == 0) {
        heap.add(new double[] {i, usedAfterGc()});
        out.printf("soak: %,d of %,d cycles (%.0f s)%n", i, cycles, (System.nanoTime() - start) / 1e9);
      }
    }
    check(engine, "at the end, before the engine closes", template.state() == dev.ephemera.SessionState.ACTIVE);
    engine.close();
    heap.add(new double[] {cycles, usedAfterGc()});
    double slope = slopePer100k(heap);
    long threadsAfter = ManagementFactory.getThreadMXBean().getThreadCount();
    long fdsAfter = openFiles();
    out.printf("soak: %,d cycles in %.1f s; after the first %,d: heap after GC %,.0f -> %,.0f bytes (slope %,.0f bytes"
        + " per 100k cycles); threads %d -> %d; open files %d -> %d%n", cycles, (System.nanoTime() - start) / 1e9, warm,
        heap.get(0)[1],
        heap.get(heap.size() - 1)[1], slope, threadsBefore, threadsAfter, fdsBefore, fdsAfter);
    if (threadsBefore >= 0 && threadsAfter > threadsBefore + 2) {
      problems.add("threads " + threadsBefore + " -> " + threadsAfter);
    }
    if (fdsBefore >= 0 && fdsAfter > fdsBefore + 8) {
      java.util.Map<String, Long> added = new java.util.TreeMap<>();
      for (String f : openFileNames()) {
        if (!filesBefore.contains(f)) {
          added.merge(f.replaceAll("[0-9]+", "N"), 1L, Long::sum);
        }
      }
      problems.add("open files " + fdsBefore + " -> " + fdsAfter + ": " + added);
    }
    out.println(problems.isEmpty() ? "soak: nothing leaked" : "soak: LEAKED " + problems);
    return problems;
  }

  /** The signed-in session each cycle forks (a high priority: eviction never picks it). */
  private static Session template(SessionEngine engine) {
    Session t = engine.open();
    t.signIn(Credentials.namespace("soak", "app", "pw"));
    t.setPriority(10);
    return t;
  }

  /** One session's life: it takes every kind of resource, then ends by the cause {@code i} picks. */
  private void cycle(SessionEngine engine, Session template, long i) {
    Session s = template.fork();
    s.use("soak", DATABASES.get((int) (i % DATABASES.size())));
    s.set("tenant_id", "t" + i);
    s.set("n", i);
    s.createTempTable("scratch", "k INT PRIMARY KEY, v VARCHAR");
    s.execute("INSERT INTO scratch VALUES (1, 'a'), (2, 'b')");
    s.live("scratch", change -> { });
    TempGraph g = s.createTempGraph("g");
    g.addEdge("x", "y", "E");
    Transaction tx = s.begin();
    s.execute("INSERT INTO scratch VALUES (3, 'c')");
    tx.savepoint("sp");
    s.set("n", -i);
    switch ((int) (i % 5)) {
      case 0 -> s.close();
      case 1 -> { // idle expiry
        now.addAndGet(Duration.ofMinutes(2).toNanos());
        template.ping(); // the template stays alive
        engine.runMaintenance();
      }
      case 2 -> { // lifetime (the template ends too; the caller opens another)
        now.addAndGet(Duration.ofMinutes(11).toNanos());
        engine.runMaintenance();
      }
      case 3 -> engine.kill(s.id());
      default -> { // eviction under maxSessions: fill the engine with lower-priority sessions first
        s.setPriority(-1);
        List<Session> crowd = new ArrayList<>();
        for (int k = 0; k < 8; k++) {
          crowd.add(template.fork());
        }
        for (Session c : crowd) {
          c.close();
        }
      }
    }
    if (s.state() == dev.ephemera.SessionState.ACTIVE) {
      problems.add("cycle " + i + ": the session did not end (cause " + (i % 5) + ")");
      s.close();
    }
  }

  /** What an engine holds now beyond its template session; H2's view of every database. */
  private void check(SessionEngine engine, String when, boolean templateAlive) throws SQLException {
    EngineStats stats = engine.stats();
    long expected = templateAlive ? 1 : 0;
    if (stats.active() != expected) {
      problems.add(when + ": " + stats.active() + " sessions live");
    }
    if (stats.sqlConnections() != 0) {
      problems.add(when + ": " + stats.sqlConnections() + " SQL connections open");
    }
    if (stats.tempGraphs() != 0 || stats.graphOffHeapBytes() != 0) {
      problems.add(when + ": " + stats.tempGraphs() + " graphs, " + stats.graphOffHeapBytes() + " off-heap bytes");
    }
    for (String db : DATABASES) {
      try (Connection c = DriverManager.getConnection(engine.databaseUrl("soak", db), "sa", "");
          Statement st = c.createStatement()) {
        long sessions = count(st, "SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS");
        long tables = count(st, "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA <> 'INFORMATION_SCHEMA'");
        long users = count(st, "SELECT COUNT(*) FROM INFORMATION_SCHEMA.USERS WHERE USER_NAME LIKE 'EPH\\_S%'");
        if (sessions > 2) { // this checker's and the engine's administrator connection
          problems.add(when + ": database soak/" + db + " has " + sessions + " H2 sessions");
        }
        if (tables != 0) {
          problems.add(when + ": database soak/" + db + " has " + tables + " tables");
        }
        if (users > 2) { // one session at a time uses a database here: its pool needs one user, two at most
          problems.add(when + ": database soak/" + db + " has " + users + " pooled H2 users");
        }
      }
    }
  }

  private static long count(Statement st, String sql) throws SQLException {
    try (ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Least squares slope of bytes over cycles, per 100,000 cycles. */
  static double slopePer100k(List<double[]> points) {
    int n = points.size();
    if (n < 2) {
      return 0;
    }
    double mx = 0;
    double my = 0;
    for (double[] p : points) {
      mx += p[0] / n;
      my += p[1] / n;
    }
    double num = 0;
    double den = 0;
    for (double[] p : points) {
      num += (p[0] - mx) * (p[1] - my);
      den += (p[0] - mx) * (p[0] - mx);
    }
    return den == 0 ? 0 : num / den * 100_000;
  }

  private static long usedAfterGc() throws InterruptedException {
    return MemoryFootprint.usedAfterGc();
  }

  /** What the open file descriptors point at, each once (descriptor number and target). */
  static java.util.Set<String> openFileNames() {
    java.util.Set<String> out = new java.util.HashSet<>();
    Path fds = Path.of("/proc/self/fd");
    if (!Files.isDirectory(fds)) {
      return out;
    }
    try (var list = Files.list(fds)) {
      for (Path fd : (Iterable<Path>) list::iterator) {
        try {
          out.add(fd.getFileName() + " " + Files.readSymbolicLink(fd));
        } catch (Exception e) {
          // closed meanwhile
        }
      }
    } catch (Exception e) {
      // none
    }
    return out;
  }

  /** Open file descriptors of this process ({@code -1} where they cannot be counted). */
  static long openFiles() {
    Path fds = Path.of("/proc/self/fd");
    if (!Files.isDirectory(fds)) {
      return -1;
    }
    try (var list = Files.list(fds)) {
      return list.count();
    } catch (Exception e) {
      return -1;
    }
  }
}
