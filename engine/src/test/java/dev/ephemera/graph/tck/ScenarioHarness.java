package dev.ephemera.graph.tck;

import dev.ephemera.Session;
import dev.ephemera.SessionEngine;
import dev.ephemera.SessionState;
import dev.ephemera.graph.TempGraph;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs scenarios one after another, each in a new graph of one shared session of one engine, and
 * each on a daemon thread of its own bounded by a wall-clock timeout. The graph is dropped after
 * its scenario. A session that has ended (an error can end it) is replaced by a new one; so is the
 * session of a scenario that timed out, which is left to its stuck thread (interrupted) and closed
 * in the background, as closing it may wait for that thread.
 */
final class ScenarioHarness implements AutoCloseable {
  private static final String GRAPH = "TCK";
  /** How long {@link #close()} waits for the engine to close before leaving it to its daemon thread. */
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

  private final SessionEngine engine = SessionEngine.builder().build();
  private final Duration timeout;
  private Session session;

  /** @param timeout the most one scenario may take */
  ScenarioHarness(Duration timeout) {
    this.timeout = timeout;
  }

  /** Runs one scenario, or skips it (see {@link ScenarioRunner#skipReason}). */
  Verdict run(Scenario scenario) throws InterruptedException {
    Optional<String> skip = ScenarioRunner.skipReason(scenario);
    if (skip.isPresent()) {
      return Verdict.skipped(skip.get());
    }
    TempGraph graph;
    try {
      graph = session().createTempGraph(GRAPH);
    } catch (RuntimeException e) {
      abandonSession();
      return Verdict.failed("the scenario's graph could not be created: " + e, "", "", "");
    }
    ScenarioRunner runner = new ScenarioRunner(graph, TckResources::graphScript);
    FutureTask<Verdict> task = new FutureTask<>(() -> runner.run(scenario));
    Thread thread = new Thread(task, "tck-scenario");
    thread.setDaemon(true);
    thread.start();
    try {
      Verdict verdict = task.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      dropGraph();
      return verdict;
    } catch (TimeoutException e) {
      thread.interrupt();
      abandonSession();
      return Verdict.failed("timed out after " + timeout.toSeconds() + " s", runner.currentQuery(), "", "");
    } catch (ExecutionException e) { // the runner catches everything; this is its own thread failing
      abandonSession();
      return Verdict.failed("the scenario's thread failed: " + e.getCause(), runner.currentQuery(), "", "");
    }
  }

  private Session session() {
    if (session == null || session.state() != SessionState.ACTIVE) {
      session = engine.open();
    }
    return session;
  }

  private void dropGraph() {
    try {
      session.dropTempGraph(GRAPH);
    } catch (RuntimeException e) { // the session ended under the scenario: the next one gets a new session
      abandonSession();
    }
  }

  /** Forgets the session, closing it on a daemon thread (a stuck scenario may hold it). */
  private void abandonSession() {
    Session old = session;
    session = null;
    if (old != null) {
      daemon("tck-session-close", old::close).start();
    }
  }

  /** Closes the engine, waiting for it at most {@link #CLOSE_TIMEOUT}: a stuck scenario may hold it. */
  @Override
  public void close() {
    Thread closer = daemon("tck-engine-close", engine::close);
    closer.start();
    try {
      closer.join(CLOSE_TIMEOUT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (closer.isAlive()) {
      System.err.println("the TCK's engine did not close within " + CLOSE_TIMEOUT.toSeconds() + " s; left to a daemon thread");
    }
  }

  private static Thread daemon(String name, Runnable task) {
    Thread t = new Thread(task, name);
    t.setDaemon(true);
    return t;
  }
}
