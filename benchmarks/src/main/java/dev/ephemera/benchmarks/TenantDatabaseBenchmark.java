package dev.ephemera.benchmarks;

import dev.ephemera.Credentials;
import dev.ephemera.Session;
import dev.ephemera.SessionEngine;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * What selecting a namespace/database costs a session, now that each is its own H2 database.
 *
 * <ul>
 *   <li>{@code firstUse}: a signed-in session (a fork of root's) selects a namespace/database no
 *       session used before, runs {@code SELECT 1} there and closes: the engine creates that H2
 *       database (its schema, role, functions, a pooled user). Beside it, {@code rawH2NewDatabase}:
 *       plain H2 opening a new in-memory database and creating a schema in it.
 *   <li>{@code useExisting}: the same in a database that exists: the price every session pays.
 * </ul>
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar TenantDatabaseBenchmark}. The heap a
 * database takes is {@link TenantDatabaseFootprint}'s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {
    JvmFlags.OPENS_LANG, JvmFlags.OPENS_REFLECT, JvmFlags.EXPORTS_JAVAC_FILE, JvmFlags.EXPORTS_REF,
    JvmFlags.EXPORTS_NIO_CH, JvmFlags.NO_ANALYTICS, JvmFlags.NO_ANNOUNCER})
public class TenantDatabaseBenchmark {
  private static final AtomicInteger RAW = new AtomicInteger();
  SessionEngine engine;
  Session root;
  int next;

  /** A fresh engine per iteration: {@code firstUse} leaves one database behind per call. */
  @Setup(Level.Iteration)
  public void setUp() {
    engine = SessionEngine.builder().rootUser("root", "secret").passwordHashIterations(1000).build();
    root = engine.open();
    root.signIn(Credentials.root("root", "secret"));
    root.use("shop", "existing");
    root.query("SELECT 1");
    next = 0;
  }

  @TearDown(Level.Iteration)
  public void tearDown() {
    engine.close();
  }

  @Benchmark
  public Object firstUse() {
    try (Session s = root.fork()) {
      s.use("shop", "db" + next++);
      return s.query("SELECT 1").single();
    }
  }

  @Benchmark
  public Object useExisting() {
    try (Session s = root.fork()) {
      s.use("shop", "existing");
      return s.query("SELECT 1").single();
    }
  }

  @Benchmark
  public boolean rawH2NewDatabase() throws SQLException {
    String url = "jdbc:h2:mem:tenant" + RAW.incrementAndGet();
    try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA \"shop.db\"");
      return st.execute("SELECT 1");
    }
  }
}
