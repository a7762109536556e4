package dev.ephemera.benchmarks;

import dev.ephemera.Credentials;
import dev.ephemera.QueryResult;
import dev.ephemera.Session;
import dev.ephemera.SessionEngine;
import dev.ephemera.graph.Direction;
import dev.ephemera.graph.TempGraph;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * The load run: {@code N} threads (1, 2, 4 and 8 by default) each serve requests for their own
 * share of {@value #SESSIONS} signed-in sessions for a fixed time, a realistic mix of what a
 * request does — resume the session by its token, then read a variable (40%), write one (30%),
 * run a short SQL statement on its temporary table (20%) or ask its temporary graph for a node's
 * neighbours (10%). Each request's latency (resume included) goes into an HdrHistogram; the run
 * prints throughput and p50/p99/p99.9/max per thread count, and counts errors (there must be none).
 *
 * <p>Run: {@code java @benchmarks/target/jvm.args -cp benchmarks/target/benchmarks.jar dev.ephemera.benchmarks.Load
 * [seconds per thread count, default 20] [thread counts, default 1,2,4,8]} (each count first warms up
 * for a quarter of that). Exit 0 when no request failed, 1 otherwise. {@code LoadTest} runs it
 * briefly in the build.
 */
public final class Load {
  static final int SESSIONS = 256;
  static final int ROWS = 100;
  static final int NODES = 200;

  /** One thread count's figures. */
  record Result(int threads, long requests, double seconds, long errors, Histogram latency) {
    double throughput() {
      return requests / seconds;
    }

    String row() {
      return String.format(Locale.ROOT, "| %d | %,.0f | %.1f | %.1f | %.1f | %.1f | %d |", threads, throughput(),
          micros(latency.getValueAtPercentile(50)), micros(latency.getValueAtPercentile(99)),
          micros(latency.getValueAtPercentile(99.9)), micros(latency.getMaxValue()), errors);
    }

    private static double micros(long nanos) {
      return nanos / 1000.0;
    }
  }

  static final String HEADER = "| threads | requests/s | p50 µs | p99 µs | p99.9 µs | max µs | errors |\n|---|---|---|---|---|---|---|";

  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 20;
    List<Integer> counts = new ArrayList<>();
    for (String c : (args.length > 1 ? args[1] : "1,2,4,8").split(",")) {
      counts.add(Integer.parseInt(c.trim()));
    }
    List<Result> results = run(seconds, counts, SESSIONS, System.out);
    System.exit(results.stream().allMatch(r -> r.errors() == 0) ? 0 : 1);
  }

  /**
   * Runs each thread count for {@code seconds} (after a warm-up of a quarter of that) on {@code sessions}
   * sessions; prints the table to {@code out}.
   */
  static List<Result> run(double seconds, List<Integer> threadCounts, int sessions, PrintStream out) throws Exception {
    List<Result> results = new ArrayList<>();
    try (SessionEngine engine = SessionEngine.builder().rootUser("root", "secret").passwordHashIterations(1000)
        .idleTimeout(Duration.ofHours(1)).build()) {
      String[] tokens = new String[sessions];
      for (int i = 0; i < sessions; i++) {
        Session s = engine.open();
        s.signIn(Credentials.root("root", "secret"));
        s.use("load", "app");
        s.set("user", "user-" + i);
        s.set("counter", 0L);
        s.createTempTable("cart", "item INT PRIMARY KEY, qty INT");
        for (int r = 0; r < ROWS; r++) {
          s.execute("INSERT INTO cart VALUES (?, ?)", r, r % 7);
        }
        TempGraph g = s.createTempGraph("g");
        for (int n = 0; n < NODES; n++) {
          g.addEdge("n" + n, "n" + ((n * 31 + 7) % NODES), "LINKS", Map.of());
          g.addEdge("n" + n, "n" + ((n + 1) % NODES), "LINKS", Map.of());
        }
        tokens[i] = s.token();
      }
      out.println(HEADER);
      for (int threads : threadCounts) {
        measure(engine, tokens, threads, seconds / 4); // warm-up, not reported
        Result r = measure(engine, tokens, threads, seconds);
        results.add(r);
        out.println(r.row());
      }
    }
    return results;
  }

  private static Result measure(SessionEngine engine, String[] tokens, int threads, double seconds) throws Exception {
    List<Thread> workers = new ArrayList<>();
    List<Histogram> histograms = new ArrayList<>();
    AtomicLong errors = new AtomicLong();
    AtomicLong requests = new AtomicLong();
    long end = System.nanoTime() + (long) (seconds * 1e9);
    for (int t = 0; t < threads; t++) {
      Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
      histograms.add(h);
      int[] share = shareOf(t, threads, tokens.length).stream().mapToInt(Integer::intValue).toArray();
      Thread w = new Thread(() -> {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long n = 0;
        while (System.nanoTime() < end) {
          int i = share[random.nextInt(share.length)];
          long start = System.nanoTime();
          try {
            request(engine.resume(tokens[i]), random);
          } catch (RuntimeException e) {
            if (errors.getAndIncrement() == 0) {
              e.printStackTrace();
            }
          }
          h.recordValue(Math.min(System.nanoTime() - start, h.getHighestTrackableValue()));
          n++;
        }
        requests.addAndGet(n);
      }, "load-" + t);
      workers.add(w);
    }
    long started = System.nanoTime();
    workers.forEach(Thread::start);
    for (Thread w : workers) {
      w.join();
    }
    double took = (System.nanoTime() - started) / 1e9;
    Histogram all = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
    histograms.forEach(all::add);
    return new Result(threads, requests.get(), took, errors.get(), all);
  }

  /** What one request does with its session, after the resume. */
  private static void request(Session s, ThreadLocalRandom random) {
    int kind = random.nextInt(10);
    if (kind < 4) {
      if (s.get("user") == null) {
        throw new IllegalStateException("variable lost in " + s.id());
      }
    } else if (kind < 7) {
      s.set("counter", random.nextLong(1_000_000));
    } else if (kind < 9) {
      QueryResult r = s.query("SELECT qty FROM cart WHERE item = ?", random.nextInt(ROWS));
      if (r.size() != 1) {
        throw new IllegalStateException("row missing in " + s.id());
      }
    } else {
      TempGraph g = s.tempGraph("g");
      if (g.neighbors("n" + random.nextInt(NODES), Direction.OUT, "LINKS").isEmpty()) {
        throw new IllegalStateException("edges missing in " + s.id());
      }
    }
  }

  private Load() {}

  /** The sessions thread {@code first} of {@code threads} serves: index ≡ first (mod threads). */
  static Set<Integer> shareOf(int first, int threads, int sessions) {
    Set<Integer> s = new java.util.TreeSet<>();
    for (int k = 0; k < (sessions - first + threads - 1) / threads; k++) {
      s.add(first + threads * k);
    }
    return s;
  }
}
