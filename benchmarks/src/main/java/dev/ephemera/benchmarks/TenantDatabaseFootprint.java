package dev.ephemera.benchmarks;

import dev.ephemera.Credentials;
import dev.ephemera.Session;
import dev.ephemera.SessionEngine;

/**
 * Retained heap per namespace/database that sessions have used (each is its own in-memory H2
 * database: its catalog, schema, role, the SQL module's functions, one pooled H2 user), with no
 * table in it and no session left open: the cost of a tenant before its data. A measured heap
 * delta after full GCs over {@value #N} databases. Not a JMH benchmark: JMH measures time.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar dev.ephemera.benchmarks.TenantDatabaseFootprint}
 */
public final class TenantDatabaseFootprint {
  static final int N = 500;

  private TenantDatabaseFootprint() {}

  public static void main(String[] args) throws Exception {
    for (int round = 0; round < 2; round++) { // the first round warms up class loading
      try (SessionEngine engine = SessionEngine.builder().rootUser("root", "secret").passwordHashIterations(1000)
          .build()) {
        Session root = engine.open();
        root.signIn(Credentials.root("root", "secret"));
        root.use("warm", "up");
        root.query("SELECT 1");
        long before = MemoryFootprint.usedAfterGc();
        for (int i = 0; i < N; i++) {
          try (Session s = root.fork()) {
            s.use("tenant", "db" + i);
            s.query("SELECT 1");
          }
        }
        long after = MemoryFootprint.usedAfterGc();
        if (round == 1) {
          System.out.printf("%d databases: %d bytes/database (%.1f KiB)%n", N, (after - before) / N,
              (after - before) / N / 1024.0);
        }
      }
    }
  }
}
