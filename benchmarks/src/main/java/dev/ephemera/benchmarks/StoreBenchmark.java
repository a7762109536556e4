package dev.ephemera.benchmarks;

import dev.ephemera.Session;
import dev.ephemera.SessionEngine;
import dev.ephemera.SessionStore;
import dev.ephemera.SessionStores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
import redis.embedded.RedisServer;

/**
 * Persistence costs, each store beside the in-memory engine in the same run: 10,000 sessions,
 * each holding {@code user = "u<i>"} and two more small string variables.
 *
 * <ul>
 *   <li>{@code resumeAndGet}: {@code engine.resume(token).get("user")} for a random session. With a
 *       file store the engine reads its memory (the file is written, not read, after start-up), and
 *       saves activity at most once a second per session; a shared store (JDBC, Redis) is read on
 *       every resume.
 *   <li>{@code writeThroughSet}: {@code session.set("user", …)} on a held session: with a store, the
 *       record is encoded and saved before the call returns.
 * </ul>
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar StoreBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {
    JvmFlags.OPENS_LANG, JvmFlags.OPENS_REFLECT, JvmFlags.EXPORTS_JAVAC_FILE, JvmFlags.EXPORTS_REF,
    JvmFlags.EXPORTS_NIO_CH, JvmFlags.NO_ANALYTICS, JvmFlags.NO_ANNOUNCER})
public class StoreBenchmark {
  static final int SESSIONS = 10_000;

  /** Where the engine keeps its sessions. */
  public enum Kind {
    /** No store: the baseline. */
    MEMORY,
    /** {@code SessionStores.file(path)} in a temporary directory. */
    FILE,
    /** {@code SessionStores.jdbc(dataSource)} on an embedded H2 file database (a shared store: read on resume). */
    JDBC_H2,
    /**
     * {@code SessionStores.redis(uri)} on a redis-server 7.0.15 on loopback (the binary of the
     * {@code org.signal:embedded-redis} jar, started by the benchmark, without persistence).
     */
    REDIS
  }

  @Param
  public Kind store;

  SessionEngine engine;
  Path dir;
  String[] tokens;
  Session held;
  int next;
  int[] order;
  java.sql.Connection keepOpen;
  RedisServer redis;

  synchronized void stopRedis() {
    if (redis != null) {
      try {
        redis.stop();
      } catch (RuntimeException e) {
        System.err.println("stopping redis-server: " + e);
      }
      redis = null;
    }
  }

  @Setup(Level.Trial)
  public void setUp() throws IOException, java.sql.SQLException {
    SessionEngine.Builder b = SessionEngine.builder().warmUpGraphs(false);
    if (store == Kind.FILE) {
      dir = Files.createTempDirectory("ephemera-store-bench");
      SessionStore s = SessionStores.file(dir.resolve("sessions.db"), SESSIONS * 2L);
      b.store(s);
    } else if (store == Kind.JDBC_H2) {
      dir = Files.createTempDirectory("ephemera-store-bench");
      org.h2.jdbcx.JdbcDataSource ds = new org.h2.jdbcx.JdbcDataSource();
      ds.setURL("jdbc:h2:file:" + dir.resolve("sessions").toAbsolutePath());
      keepOpen = ds.getConnection(); // H2 closes a file database with its last connection
      b.store(SessionStores.jdbc(ds));
    } else if (store == Kind.REDIS) {
      int port;
      try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
        port = free.getLocalPort();
      }
      redis = RedisServer.builder().port(port).bind("127.0.0.1")
          .setting("save \"\"").setting("appendonly no").build();
      redis.start();
      Runtime.getRuntime().addShutdownHook(new Thread(this::stopRedis)); // never leave the server running
      b.store(SessionStores.redis("redis://127.0.0.1:" + port));
    }
    engine = b.build();
    tokens = new String[SESSIONS];
    for (int i = 0; i < SESSIONS; i++) {
      Session s = engine.open();
      s.set("user", "u" + i);
      s.set("theme", "dark");
      s.set("locale", "en-GB");
      tokens[i] = s.token();
    }
    held = engine.resume(tokens[0]);
    SplittableRandom r = new SplittableRandom(42);
    order = new int[1 << 16];
    for (int i = 0; i < order.length; i++) {
      order[i] = r.nextInt(SESSIONS);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException, java.sql.SQLException {
    engine.close();
    if (keepOpen != null) {
      keepOpen.close();
    }
    stopRedis();
    if (dir != null) {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  @Benchmark
  public Object resumeAndGet() {
    int i = order[next++ & (order.length - 1)];
    return engine.resume(tokens[i]).get("user");
  }

  @Benchmark
  public void writeThroughSet() {
    held.set("user", (next++ & 1) == 0 ? "alice" : "bobby");
  }
}
