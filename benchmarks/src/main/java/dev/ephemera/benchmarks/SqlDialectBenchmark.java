package dev.ephemera.benchmarks;

import dev.ephemera.Session;
import dev.ephemera.SessionEngine;
import dev.ephemera.sql.EphemeraDriver;
import dev.ephemera.sql.SessionSql;
import dev.ephemera.sql.internal.Parser;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
 * The SQL dialect and the {@code jdbc:ephemera:} driver, each beside the same work done another way.
 *
 * <ul>
 *   <li>{@code setAndRead}: write a session variable and read it back. DRIVER: prepared
 *       {@code SET SESSION v = ?} + prepared {@code SELECT CURRENT_SESSION_VAR('v')} on a driver
 *       connection; SESSION_SQL: the same two statements through {@code SessionSql.execute};
 *       JAVA_API: {@code session.set} + {@code session.get}.
 *   <li>{@code tenantQuery}: a prepared {@code SELECT COUNT(*), SUM(amount) FROM orders WHERE
 *       tenant_id = …} over 10,000 rows of 100 tenants (indexed, 100 rows each), the tenant from
 *       the session variable or a parameter (see {@link Tenant#tenantFrom}); same connection.
 *   <li>{@code passThrough}: {@code Statement.executeQuery("SELECT 1")} through the DRIVER (which
 *       parses the text to route it) or on the session's own connection (SESSION_JDBC, no parse).
 *   <li>{@code parse}: the parser alone telling that a typical SELECT is H2's.
 * </ul>
 *
 * <pre>{@code
 * ./mvnw -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar SqlDialectBenchmark -rf json -rff target/jmh-dialect.json
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {
    JvmFlags.OPENS_LANG, JvmFlags.OPENS_REFLECT, JvmFlags.EXPORTS_JAVAC_FILE, JvmFlags.EXPORTS_REF,
    JvmFlags.EXPORTS_NIO_CH, JvmFlags.NO_ANALYTICS, JvmFlags.NO_ANNOUNCER})
public class SqlDialectBenchmark {
  private static final AtomicInteger NAMES = new AtomicInteger();
  static final String SELECT = "SELECT id, tenant_id, amount FROM orders WHERE tenant_id = ? AND amount > ? ORDER BY id";

  SessionEngine engine;
  String name;
  Connection driver;
  Session session;
  long counter;

  @Setup
  public void setUp() throws SQLException {
    engine = SessionEngine.builder().warmUpGraphs(false).rootUser("root", "secret").build();
    name = "bench" + NAMES.incrementAndGet();
    EphemeraDriver.register(name, engine);
    driver = DriverManager.getConnection("jdbc:ephemera:engine:" + name + ";user=root;password=secret");
    session = driver.unwrap(Session.class);
    session.use("bench", "main"); // shared tables live in a database's schema
    session.execute("CREATE TABLE orders (id INT PRIMARY KEY, tenant_id VARCHAR, amount INT)");
    session.execute("CREATE INDEX orders_tenant ON orders(tenant_id)");
    java.util.List<Object[]> rows = new java.util.ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      rows.add(new Object[] {i, "tenant_" + (i % 100), i});
    }
    session.executeBatch("INSERT INTO orders VALUES (?, ?, ?)", rows);
    session.set("tenant_id", "tenant_42");
  }

  @TearDown
  public void tearDown() throws SQLException {
    driver.close();
    EphemeraDriver.unregister(name);
    engine.close();
  }

  // ---- set + read ---------------------------------------------------------------------------------

  @State(Scope.Benchmark)
  public static class SetAndRead {
    @Param({"DRIVER", "SESSION_SQL", "JAVA_API"})
    public String impl;

    PreparedStatement set;
    PreparedStatement read;

    @Setup
    public void prepare(SqlDialectBenchmark b) throws SQLException {
      set = b.driver.prepareStatement("SET SESSION v = ?");
      read = b.driver.prepareStatement("SELECT CURRENT_SESSION_VAR('v')");
    }

    @TearDown
    public void close() throws SQLException {
      set.close();
      read.close();
    }
  }

  @Benchmark
  public Object setAndRead(SetAndRead s) throws SQLException {
    long v = ++counter;
    switch (s.impl) {
      case "DRIVER": {
        s.set.setLong(1, v);
        s.set.executeUpdate();
        try (ResultSet rs = s.read.executeQuery()) {
          rs.next();
          return rs.getString(1);
        }
      }
      case "SESSION_SQL":
        SessionSql.execute(session, "SET SESSION v = ?", v);
        return SessionSql.execute(session, "SELECT CURRENT_SESSION_VAR('v')").rows().single();
      default:
        session.set("v", v);
        return session.get("v");
    }
  }

  // ---- the tenant filter --------------------------------------------------------------------------

  /** A Java function with a Connection parameter that does nothing: H2's own cost of calling one. */
  public static String noop(Connection c, String name) {
    return "tenant_42";
  }

  @State(Scope.Benchmark)
  public static class Tenant {
    /**
     * FUNCTION: {@code tenant_id = CURRENT_SESSION_VAR('tenant_id')} (the driver reads the
     * variable once per execution into an H2 variable, see {@code VarRewrite}); PARAMETER: {@code tenant_id
     * = ?}; FUNCTION_JOIN: the function in a one-row derived table joined on the tenant (H2 calls
     * it once per query instead of once per row); NOOP_FUNCTION: {@code tenant_id = NOOP(…)}, a
     * Java function that returns a constant (what H2 alone charges per call).
     */
    @Param({"FUNCTION", "PARAMETER", "FUNCTION_JOIN", "NOOP_FUNCTION"})
    public String tenantFrom;

    PreparedStatement query;
    Session session;
    int next;

    @Setup
    public void prepare(SqlDialectBenchmark b) throws SQLException {
      session = b.session;
      String sql = switch (tenantFrom) {
        case "FUNCTION" -> "SELECT COUNT(*), SUM(amount) FROM orders WHERE tenant_id = CURRENT_SESSION_VAR('tenant_id')";
        case "PARAMETER" -> "SELECT COUNT(*), SUM(amount) FROM orders WHERE tenant_id = ?";
        case "FUNCTION_JOIN" -> "SELECT COUNT(*), SUM(amount) FROM orders o JOIN (SELECT"
            + " CURRENT_SESSION_VAR('tenant_id') AS t) s ON o.tenant_id = s.t";
        default -> "SELECT COUNT(*), SUM(amount) FROM orders WHERE tenant_id = NOOP('tenant_id')";
      };
      if (tenantFrom.equals("NOOP_FUNCTION")) { // Java code in SQL: the database's administrator creates it
        try (Connection admin = DriverManager.getConnection(b.engine.databaseUrl("bench", "main"), "sa", "");
            java.sql.Statement st = admin.createStatement()) {
          st.execute("CREATE ALIAS IF NOT EXISTS \"bench.main\".NOOP FOR '" + SqlDialectBenchmark.class.getName()
              + ".noop'");
        }
      }
      query = b.driver.prepareStatement(sql);
    }

    @TearDown
    public void close() throws SQLException {
      query.close();
    }
  }

  static final String[] TENANTS = new String[100];

  static {
    for (int i = 0; i < TENANTS.length; i++) {
      TENANTS[i] = "tenant_" + i;
    }
  }

  /**
   * Each call switches to the next tenant, in the variable and in the parameter alike (so H2
   * cannot hand back the previous result), then counts and sums that tenant's 100 orders.
   */
  @Benchmark
  public long tenantQuery(Tenant t) throws SQLException {
    String tenant = TENANTS[t.next++ % TENANTS.length];
    t.session.set("tenant_id", tenant);
    if (t.tenantFrom.equals("PARAMETER")) {
      t.query.setString(1, tenant);
    }
    try (ResultSet rs = t.query.executeQuery()) {
      rs.next();
      return rs.getLong(1) + rs.getLong(2);
    }
  }

  // ---- pass-through ---------------------------------------------------------------------------------

  @State(Scope.Benchmark)
  public static class PassThrough {
    @Param({"DRIVER", "SESSION_JDBC"})
    public String via;

    Statement st;

    @Setup
    public void prepare(SqlDialectBenchmark b) throws SQLException {
      st = (via.equals("DRIVER") ? b.driver : b.session.jdbc()).createStatement();
    }

    @TearDown
    public void close() throws SQLException {
      st.close();
    }
  }

  @Benchmark
  public int passThrough(PassThrough p) throws SQLException {
    try (ResultSet rs = p.st.executeQuery("SELECT 1")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  @Benchmark
  public Object parse() throws SQLException {
    return Parser.parse(SELECT);
  }
}
