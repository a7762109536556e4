package dev.ephemera.benchmarks;

import dev.ephemera.Session;
import dev.ephemera.SessionEngine;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.IntFunction;
import org.apache.shiro.session.mgt.DefaultSessionContext;
import org.apache.shiro.session.mgt.DefaultSessionManager;
import org.springframework.session.MapSession;
import org.springframework.session.MapSessionRepository;

/**
 * Retained heap per idle session with three small string variables, as the heap grows over
 * 100,000 sessions (a measured heap delta after full GCs, registry and expiry bookkeeping
 * included): Ephemera beside Spring Session's {@code MapSessionRepository} and Shiro's
 * {@code DefaultSessionManager}. Not a JMH benchmark: JMH measures time.
 *
 * <p>Run: {@code ./mvnw -q -pl benchmarks -am package -DskipTests && java -cp benchmarks/target/benchmarks.jar dev.ephemera.benchmarks.MemoryFootprint}
 */
public final class MemoryFootprint {
  static final int N = 100_000;

  private MemoryFootprint() {}

  public static void main(String[] args) throws Exception {
    for (int round = 0; round < 2; round++) { // the first round warms up class loading
      boolean report = round == 1;
      measure("Ephemera", report, n -> {
        SessionEngine engine = SessionEngine.builder().build(); // holds its sessions, as the peers' repositories do
        for (int i = 0; i < n; i++) {
          Session s = engine.open();
          fill(s::set, i);
        }
        return new Object[] {engine};
      });
      measure("Spring Session MapSession", report, n -> {
        MapSessionRepository repo = new MapSessionRepository(new ConcurrentHashMap<>());
        for (int i = 0; i < n; i++) {
          MapSession s = repo.createSession();
          fill(s::setAttribute, i);
          repo.save(s);
        }
        return repo;
      });
      measure("Shiro SimpleSession", report, n -> {
        DefaultSessionManager m = new DefaultSessionManager();
        m.setSessionValidationSchedulerEnabled(false);
        for (int i = 0; i < n; i++) {
          org.apache.shiro.session.Session s = m.start(new DefaultSessionContext());
          fill(s::setAttribute, i);
        }
        return m;
      });
    }
  }

  static void fill(BiConsumer<String, Object> set, int i) {
    set.accept("user", "u" + i);
    set.accept("role", "member");
    set.accept("locale", "en_GB");
  }

  private static void measure(String name, boolean report, IntFunction<Object> build) throws Exception {
    long before = usedAfterGc();
    Object kept = build.apply(N);
    Thread.sleep(500); // Ephemera arms its expiry timers on its next 100 ms tick: count them too
    long after = usedAfterGc();
    if (report) {
      System.out.printf("%-28s %6d bytes/session%n", name, (after - before) / N);
    }
    if (kept instanceof Object[] pair && pair[0] instanceof SessionEngine e) {
      e.close();
    }
    kept = null;
  }

  static long usedAfterGc() throws InterruptedException {
    MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(50);
      used = Math.min(used, mem.getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
