package dev.ephemera.benchmarks;

import dev.ephemera.Savepoint;
import dev.ephemera.Session;
import dev.ephemera.SessionEngine;
import dev.ephemera.Transaction;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * SQL scratch work: Ephemera beside raw H2 JDBC doing the same by hand, each behind {@link Scratch}.
 *
 * <ul>
 *   <li>{@code scratchCycle}: open a session, create a temp table, batch-insert 100 rows, count
 *       them, close. EPHEMERA {@code engine.open()}, {@code createTempTable}, {@code executeBatch},
 *       {@code query}, {@code close()}; RAW_H2 opens a connection to an in-memory database (kept
 *       alive by {@code DB_CLOSE_DELAY=-1}), runs the same SQL, closes it.
 *   <li>{@code savepointCycle}: in an open transaction on a session that holds a temp table,
 *       savepoint + 10 inserts (+ for EPHEMERA one variable change) + rollback to the savepoint.
 *       RAW_H2 uses a named savepoint, which H2 replaces rather than piles up.
 *   <li>{@code savepointCycleAfterMany}: the same after {@code earlier} savepoints were taken and
 *       released in the same transaction. RAW_H2_UNNAMED uses JDBC's unnamed savepoints, which H2
 *       keeps until the transaction ends (its rollback scans them all); EPHEMERA must stay flat.
 * </ul>
 *
 * <p>Run (from the repository root):
 *
 * <pre>{@code
 * ./mvnw -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar SqlBenchmark -rf json -rff target/jmh-sql.json
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {
    JvmFlags.OPENS_LANG, JvmFlags.OPENS_REFLECT, JvmFlags.EXPORTS_JAVAC_FILE, JvmFlags.EXPORTS_REF,
    JvmFlags.EXPORTS_NIO_CH, JvmFlags.NO_ANALYTICS, JvmFlags.NO_ANNOUNCER})
public class SqlBenchmark {
  static final int ROWS = 100;
  private static final AtomicInteger DATABASES = new AtomicInteger();

  /** One implementation's SQL scratch operations. */
  interface Scratch {
    /** Open, create a temp table, insert {@link #ROWS} rows in one batch, count, close; returns the count. */
    long scratchCycle() throws SQLException;

    /** Prepares a held session/connection in an open transaction with {@code earlier} savepoints behind it. */
    void hold(int earlier) throws SQLException;

    /** Savepoint, 10 inserts (and a variable change where there are variables), rollback to the savepoint. */
    void savepointCycle() throws SQLException;

    /** Ends what {@link #hold} began. */
    void release() throws SQLException;

    void close();
  }

  /** The implementations compared. */
  public enum Impl {
    EPHEMERA {
      @Override
      Scratch create() {
        SessionEngine engine = SessionEngine.builder().build();
        List<Object[]> rows = new ArrayList<>(ROWS);
        for (int i = 0; i < ROWS; i++) {
          rows.add(new Object[] {i, "value " + i});
        }
        return new Scratch() {
          Session held;
          Transaction tx;
          int counter;

          @Override
          public long scratchCycle() {
            try (Session s = engine.open()) {
              s.createTempTable("scratch", "k INT PRIMARY KEY, v VARCHAR");
              s.executeBatch("INSERT INTO scratch VALUES (?, ?)", rows);
              return (Long) s.query("SELECT COUNT(*) FROM scratch").single();
            }
          }

          @Override
          public void hold(int earlier) {
            held = engine.open();
            held.createTempTable("t", "k INT, v VARCHAR");
            tx = held.begin();
            for (int i = 0; i < earlier; i++) {
              Savepoint sp = tx.savepoint("s");
              held.execute("INSERT INTO t VALUES (?, ?)", i, "x");
              tx.release(sp);
            }
          }

          @Override
          public void savepointCycle() {
            Savepoint sp = tx.savepoint("sp");
            for (int i = 0; i < 10; i++) {
              held.execute("INSERT INTO t VALUES (?, ?)", i, "y");
            }
            held.set("step", ++counter);
            tx.rollbackTo(sp);
          }

          @Override
          public void release() {
            held.close();
          }

          @Override
          public void close() {
            engine.close();
          }
        };
      }
    },
    RAW_H2 {
      @Override
      Scratch create() {
        return new RawH2(true);
      }
    },
    RAW_H2_UNNAMED {
      @Override
      Scratch create() {
        return new RawH2(false);
      }
    };

    abstract Scratch create();
  }

  /** H2 by hand; {@code named}: the savepoint cycle uses one named savepoint, else unnamed ones. */
  static final class RawH2 implements Scratch {
    final String url = "jdbc:h2:mem:raw" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1";
    final boolean named;
    final Connection keepAlive;
    Connection held;
    PreparedStatement insert;

    RawH2(boolean named) {
      this.named = named;
      try {
        keepAlive = DriverManager.getConnection(url, "sa", "");
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public long scratchCycle() throws SQLException {
      try (Connection c = DriverManager.getConnection(url, "sa", "")) {
        try (Statement st = c.createStatement()) {
          st.execute("CREATE LOCAL TEMPORARY TABLE \"SCRATCH\" (k INT PRIMARY KEY, v VARCHAR)");
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO scratch VALUES (?, ?)")) {
          for (int i = 0; i < ROWS; i++) {
            ps.setInt(1, i);
            ps.setString(2, "value " + i);
            ps.addBatch();
          }
          ps.executeBatch();
        }
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM scratch")) {
          rs.next();
          return rs.getLong(1);
        }
      }
    }

    @Override
    public void hold(int earlier) throws SQLException {
      held = DriverManager.getConnection(url, "sa", "");
      try (Statement st = held.createStatement()) {
        st.execute("CREATE LOCAL TEMPORARY TABLE t (k INT, v VARCHAR)");
      }
      held.setAutoCommit(false);
      insert = held.prepareStatement("INSERT INTO t VALUES (?, ?)");
      for (int i = 0; i < earlier; i++) {
        java.sql.Savepoint sp = named ? held.setSavepoint("s") : held.setSavepoint();
        insert.setInt(1, i);
        insert.setString(2, "x");
        insert.executeUpdate();
        held.releaseSavepoint(sp);
      }
    }

    @Override
    public void savepointCycle() throws SQLException {
      java.sql.Savepoint sp = named ? held.setSavepoint("sp") : held.setSavepoint();
      for (int i = 0; i < 10; i++) {
        insert.setInt(1, i);
        insert.setString(2, "y");
        insert.executeUpdate();
      }
      held.rollback(sp);
    }

    @Override
    public void release() throws SQLException {
      held.rollback();
      held.close();
    }

    @Override
    public void close() {
      try {
        keepAlive.createStatement().execute("SHUTDOWN");
      } catch (SQLException ignored) {
        // closed already
      }
    }
  }

  @Param({"EPHEMERA", "RAW_H2", "RAW_H2_UNNAMED"})
  Impl impl;

  /** Savepoints taken and released earlier in the transaction, for {@code savepointCycleAfterMany}. */
  @Param({"20000"})
  int earlier;

  Scratch scratch;

  @Setup(Level.Trial)
  public void setUp() {
    scratch = impl.create();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    scratch.close();
  }

  /** Holds a session in a fresh transaction per iteration, with no earlier savepoints. */
  @State(Scope.Thread)
  public static class Fresh {
    @Setup(Level.Iteration)
    public void setUp(SqlBenchmark b) throws SQLException {
      b.scratch.hold(0);
    }

    @TearDown(Level.Iteration)
    public void tearDown(SqlBenchmark b) throws SQLException {
      b.scratch.release();
    }
  }

  /** Holds a session in a transaction that has taken and released {@code earlier} savepoints. */
  @State(Scope.Thread)
  public static class AfterMany {
    @Setup(Level.Iteration)
    public void setUp(SqlBenchmark b) throws SQLException {
      b.scratch.hold(b.earlier);
    }

    @TearDown(Level.Iteration)
    public void tearDown(SqlBenchmark b) throws SQLException {
      b.scratch.release();
    }
  }

  /**
   * Warmed up for 10 s, not 3: H2's create/insert/drop code reaches its steady state only after
   * about 8 s here (both implementations: 150 µs in the first second, then 120, 85, 70, 62), so a
   * 3 s warm-up measured the JIT, with errors as large as the scores.
   */
  @Benchmark
  @Warmup(iterations = 10, time = 1)
  public long scratchCycle() throws SQLException {
    return scratch.scratchCycle();
  }

  /**
   * Warmed up for 10 s too: Ephemera's path (the engine's savepoint and undo log, then H2) was
   * still compiling after 3 s here — iterations of 10 to 28 µs among steady ones of 7.6 µs, while
   * raw H2 was steady from the first.
   */
  @Benchmark
  @Warmup(iterations = 10, time = 1)
  public void savepointCycle(Fresh held) throws SQLException {
    scratch.savepointCycle();
  }

  @Benchmark
  @Warmup(iterations = 10, time = 1)
  public void savepointCycleAfterMany(AfterMany held) throws SQLException {
    scratch.savepointCycle();
  }
}
