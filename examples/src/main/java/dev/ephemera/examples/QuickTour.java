package dev.ephemera.examples;

import dev.ephemera.AccessDeniedException;
import dev.ephemera.AuthenticationException;
import dev.ephemera.ClientInfo;
import dev.ephemera.Credentials;
import dev.ephemera.EngineStats;
import dev.ephemera.ExceedPolicy;
import dev.ephemera.Session;
import dev.ephemera.SessionClosedException;
import dev.ephemera.SessionEngine;
import dev.ephemera.SessionFilter;
import dev.ephemera.SessionInfo;
import dev.ephemera.SessionListener;
import dev.ephemera.SessionNotFoundException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The quick tour the README runs: one engine, several sessions, and what each of them keeps to
 * itself. It uses only the public API, as an application would.
 */
public final class QuickTour {
  private final PrintStream out;

  public QuickTour(PrintStream out) {
    this.out = out;
  }

  public void run() throws InterruptedException {
    CountDownLatch expired = new CountDownLatch(1);
    // the session step 7 leaves idle: only its expiry ends the wait (another session may expire first on a busy machine)
    java.util.concurrent.atomic.AtomicReference<String> watched = new java.util.concurrent.atomic.AtomicReference<>();
    SessionListener announcer = new SessionListener() {
      @Override
      public void idleWarning(SessionInfo s, Duration remaining) {
        out.printf("   [event] %s will expire in %d ms unless used%n", s.id(), remaining.toMillis());
      }

      @Override
      public void ended(SessionInfo s) {
        out.printf("   [event] %s ended: %s%n", s.id(), s.endReason());
        if (s.endReason() == dev.ephemera.EndReason.IDLE_TIMEOUT && s.id().equals(watched.get())) {
          expired.countDown();
        }
      }
    };

    // Steps 1-6 run on an engine with a generous idle timeout, so that a slow first step on a busy machine (H2 and
    // Chronicle load lazily) cannot expire a session the tour still uses; step 7 shows a short timeout on an engine
    // of its own.
    try (SessionEngine engine = SessionEngine.builder()
        .idleTimeout(Duration.ofMinutes(10))
        .maxSessionsPerUser(2, ExceedPolicy.TERMINATE_OLDEST)
        .rootUser("root", "secret")
        .passwordHashIterations(10_000) // fast for the tour; the default is 600,000
        .listener(announcer)
        .build()) {

      engine.users().create(Credentials.database("acme", "sales", "alice", "alice-pw"));

      heading("1. Two sessions, each with its own variables");
      Session a = engine.open(new ClientInfo("203.0.113.7", "tour", "jvm"));
      Session b = engine.open();
      a.set("tenant_id", "tenant_123");
      a.set("step", 1);
      b.set("tenant_id", "tenant_456");
      out.printf("   %s sees tenant_id = %s, step = %s%n", a.id(), a.get("tenant_id"), a.get("step", Integer.class));
      out.printf("   %s sees tenant_id = %s, step = %s%n", b.id(), b.get("tenant_id"), b.get("step"));

      heading("2. Sign-in at different levels, and use(namespace, database)");
      a.signIn(Credentials.database("acme", "sales", "alice", "alice-pw"));
      out.printf("   a signed in as %s, selected %s/%s%n", a.info().identity().key(), a.info().namespace(),
          a.info().database());
      try {
        a.use("acme", "hr");
      } catch (AccessDeniedException e) {
        out.println("   a.use(\"acme\", \"hr\") refused: " + e.getMessage());
      }
      try {
        b.signIn(Credentials.root("root", "wrong"));
      } catch (AuthenticationException e) {
        out.println("   b with a wrong password: " + e.getMessage());
      }
      b.signIn(Credentials.root("root", "secret"));
      b.use("any_namespace", "any_db");
      out.printf("   b signed in as root, selected %s/%s%n", b.info().namespace(), b.info().database());

      heading("3. Fork and resume by token");
      Session fork = a.fork();
      fork.set("step", 2);
      out.printf("   fork %s inherited tenant_id = %s; its step = %s, the original's is still %s%n",
          fork.id(), fork.get("tenant_id"), fork.get("step"), a.get("step"));
      String token = a.token();
      out.printf("   resume(token) finds %s again: %s%n", a.id(), engine.resume(token) == a);
      a.rotateToken();
      try {
        engine.resume(token);
      } catch (SessionNotFoundException e) {
        out.println("   after rotateToken() the old token: " + e.getMessage());
      }

      heading("4. A transaction, a temporary table and a temporary graph");
      Session scratch = engine.open();
      scratch.createTempTable("people", "name VARCHAR");
      dev.ephemera.graph.TempGraph g = scratch.createTempGraph("friends");
      try (dev.ephemera.Transaction tx = scratch.begin()) {
        scratch.execute("INSERT INTO people VALUES ('Bob')");
        g.addEdge("alice", "bob", "KNOWS");
        dev.ephemera.Savepoint afterBob = tx.savepoint("after_bob");
        scratch.execute("INSERT INTO people VALUES ('Eve')");
        g.addEdge("bob", "eve", "KNOWS");
        scratch.set("step", 2);
        tx.rollbackTo(afterBob);
        tx.commit();
      }
      out.printf("   after rollbackTo(after_bob): rows=%s, graph edges=%d, step=%s%n",
          scratch.query("SELECT COUNT(*) FROM people").single(), g.edgeCount(), scratch.get("step"));
      out.printf("   reachable from alice: %s%n", g.traverse("alice", dev.ephemera.graph.Traversal.bfs()));
      out.printf("   before close: temp tables %s, temp graphs %s, graphs in the engine %d%n",
          scratch.tempTables(), scratch.tempGraphs(), engine.stats().tempGraphs());
      scratch.close();
      out.printf("   after close: graphs in the engine %d, H2 connections %d%n",
          engine.stats().tempGraphs(), engine.stats().sqlConnections());

      heading("5. Per-user limit: alice may hold 2 sessions; a third pushes out the oldest");
      Session third = engine.open();
      third.signIn(Credentials.database("acme", "sales", "alice", "alice-pw"));
      out.printf("   a is now %s; fork %s; the new one %s%n", a.state(), fork.state(), third.state());

      heading("6. Listing and killing sessions, as an administrator would");
      for (SessionInfo i : engine.sessions(SessionFilter.all().sortedBy(SessionFilter.Order.AGE))) {
        out.printf("   %-22s user=%-6s ns=%-14s db=%-7s idle=%dms ops=%d%n", i.id(), i.user(), i.namespace(),
            i.database(), i.idle().toMillis(), i.operations());
      }
      engine.kill(b.id());
      try {
        b.get("tenant_id");
      } catch (SessionClosedException e) {
        out.println("   b after kill: " + e.getMessage());
      }

      heading("7. An idle timeout firing (on a second engine whose idle timeout is 1.5 s)");
      try (SessionEngine quick = SessionEngine.builder()
          .idleTimeout(Duration.ofMillis(1500))
          .idleWarning(Duration.ofMillis(700))
          .listener(announcer)
          .build()) {
        Session idle = quick.open();
        watched.set(idle.id());
        out.printf("   opened %s and left it alone...%n", idle.id());
        if (!expired.await(10, TimeUnit.SECONDS)) {
          out.println("   (it did not expire in time: is the machine very busy?)");
        }
        out.printf("   %s is now %s; that engine counted %d expired%n", idle.id(), idle.state(),
            quick.stats().expired());
      }

      heading("8. The engine's counters");
      EngineStats s = engine.stats();
      out.printf("   active=%d peak=%d opened=%d closed=%d expired=%d killed=%d avg ops/session=%.1f%n",
          s.active(), s.peak(), s.opened(), s.closed(), s.expired(), s.killed(), s.averageOperations());

      heading("9. Closing the engine ends every session it still holds");
    }
    out.println();
    out.println("Also in the jar: java -jar ephemera.jar shell (an SQL shell over one session; see README).");
  }

  private void heading(String text) {
    out.println();
    out.println("== " + text);
  }
}
