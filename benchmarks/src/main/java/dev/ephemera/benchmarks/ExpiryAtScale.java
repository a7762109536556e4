package dev.ephemera.benchmarks;

import dev.ephemera.EndReason;
import dev.ephemera.Session;
import dev.ephemera.SessionEngine;
import dev.ephemera.SessionInfo;
import dev.ephemera.SessionListener;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Expiry at scale (not a JMH benchmark: it measures a distribution of lateness, not a time per
 * operation).
 *
 * <ol>
 *   <li><b>Lateness.</b> Opens {@code N} sessions (default 100,000) with a 2-second idle timeout
 *       and leaves them alone. For each, lateness = the moment its resources were released (the
 *       {@code ended} event, which fires after release) minus its deadline (its last activity, as
 *       the engine recorded it, plus the idle timeout). Prints p50, p99 and the maximum.
 *   <li><b>CPU while nothing expires.</b> Opens {@code N} sessions with a 1-hour idle timeout,
 *       waits for them to be armed, then measures for 10 s the CPU time of the engine's own thread
 *       and of the whole process, in milliseconds of CPU per second of wall time.
 * </ol>
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar dev.ephemera.benchmarks.ExpiryAtScale [N]}
 * (with the JVM flags of README "JVM flags", since {@code -cp} ignores the jar's manifest).
 */
public final class ExpiryAtScale {
  private ExpiryAtScale() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    System.out.printf(Locale.ROOT, "Expiry at scale: %,d sessions, %d cores, %s %s%n", n,
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
        System.getProperty("java.version"));
    lateness(n);
    idleCpu(n);
  }

  static void lateness(int n) throws InterruptedException {
    Duration idle = Duration.ofSeconds(2);
    ConcurrentHashMap<String, Long> endedAt = new ConcurrentHashMap<>(n * 2);
    CountDownLatch all = new CountDownLatch(n);
    SessionListener listener = new SessionListener() {
      @Override
      public void ended(SessionInfo s) {
        if (s.endReason() == EndReason.IDLE_TIMEOUT) {
          endedAt.put(s.id(), System.nanoTime());
          all.countDown();
        }
      }
    };
    try (SessionEngine engine = SessionEngine.builder().idleTimeout(idle).listener(listener)
        .warmUpGraphs(false).build()) {
      // the engine dates activity with its wall clock; lateness is measured against nanoTime,
      // so the deadline is taken from SessionInfo.lastActiveAt converted through one anchor
      long anchorNanos = System.nanoTime();
      java.time.Instant anchorWall = java.time.Instant.now();
      List<Session> sessions = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        Session s = engine.open();
        s.set("i", i);
        sessions.add(s);
      }
      long[] deadlines = new long[n];
      String[] ids = new String[n];
      for (int i = 0; i < n; i++) {
        SessionInfo info = sessions.get(i).info();
        ids[i] = info.id();
        long lastNanos = anchorNanos + Duration.between(anchorWall, info.lastActiveAt()).toNanos();
        deadlines[i] = lastNanos + idle.toNanos();
      }
      sessions.clear();
      if (!all.await(60, TimeUnit.SECONDS)) {
        System.out.printf(Locale.ROOT, "  only %,d of %,d expired within 60 s%n", n - all.getCount(), n);
      }
      double[] late = new double[ids.length];
      int k = 0;
      for (int i = 0; i < ids.length; i++) {
        Long t = endedAt.get(ids[i]);
        if (t != null) {
          late[k++] = (t - deadlines[i]) / 1e6;
        }
      }
      late = Arrays.copyOf(late, k);
      Arrays.sort(late);
      System.out.printf(Locale.ROOT, "  release lateness after the idle deadline (%,d sessions, idle timeout %d s):"
          + " p50 %.0f ms, p99 %.0f ms, max %.0f ms, min %.0f ms%n", k, idle.toSeconds(), pct(late, 50),
          pct(late, 99), late[k - 1], late[0]);
    }
  }

  static void idleCpu(int n) throws InterruptedException {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    try (SessionEngine engine = SessionEngine.builder().idleTimeout(Duration.ofHours(1)).warmUpGraphs(false).build()) {
      List<Session> sessions = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        sessions.add(engine.open());
      }
      Thread.sleep(2_000); // armed by the engine's ticks, GC settled
      System.gc();
      Thread.sleep(1_000);
      long engineThread = -1;
      for (long id : threads.getAllThreadIds()) {
        java.lang.management.ThreadInfo t = threads.getThreadInfo(id);
        if (t != null && t.getThreadName().startsWith("ephemera-engine-")) {
          engineThread = id;
        }
      }
      long t0 = System.nanoTime();
      long e0 = engineThread < 0 ? 0 : threads.getThreadCpuTime(engineThread);
      long p0 = os.getProcessCpuTime();
      Thread.sleep(10_000);
      long wall = System.nanoTime() - t0;
      long e1 = engineThread < 0 ? 0 : threads.getThreadCpuTime(engineThread);
      long p1 = os.getProcessCpuTime();
      double seconds = wall / 1e9;
      System.out.printf(Locale.ROOT, "  CPU while %,d sessions wait and none expires (10 s): engine thread %.2f ms/s,"
          + " whole process %.2f ms/s%n", sessions.size(), (e1 - e0) / 1e6 / seconds, (p1 - p0) / 1e6 / seconds);
    }
  }

  static double pct(double[] sorted, double p) {
    int i = (int) Math.ceil(p / 100 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }
}
