package dev.ephemera.sql;

import static org.junit.jupiter.api.Assertions.*;

import dev.ephemera.QueryTimeoutException;
import dev.ephemera.Session;
import dev.ephemera.SessionEngine;
import dev.ephemera.Ticker;
import dev.ephemera.graph.TempGraph;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A statement that runs graph functions has the same time limit as any other, in virtual time:
 * past it the engine's tick cancels it (the graph algorithms check their statement's cancel every
 * few thousand nodes, see {@code GraphCheckpointTest}), the caller gets a
 * {@link QueryTimeoutException}, and the session and its graph keep working.
 */
class GraphStatementTimeoutTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final Ticker ticker = now::get; // moves only when the test moves it
  private final SessionEngine engine = SessionEngine.builder().ticker(ticker)
      .statementTimeout(Duration.ofSeconds(30)).idleTimeout(Duration.ofDays(36_500)).build(); // the spin moves time a lot

  @AfterEach
  void close() {
    engine.close();
  }

  @Test
  void aStatementOfGraphFunctionsPastItsLimitIsCancelledAndTheGraphStillAnswers() throws Exception {
    Session s = engine.open();
    TempGraph g = s.createTempGraph("g", 20_000, 20_000);
    var batch = g.edgeBatch();
    for (int i = 0; i + 1 < 20_000; i++) {
      batch.add("n" + i, "n" + (i + 1), "NEXT");
    }
    batch.load();
    CompletableFuture<Object> f = CompletableFuture.supplyAsync(() -> s.query(
        "SELECT COUNT(*) FROM SYSTEM_RANGE(1, 100000000) r, GRAPH_TRAVERSE('g', 'n0', 20000) t").single());
    long guard = System.nanoTime() + TimeUnit.MINUTES.toNanos(2); // a safety net for a broken build, not a measure
    while (!f.isDone() && System.nanoTime() < guard) {
      now.addAndGet(Duration.ofSeconds(31).toNanos()); // past the deadline of whatever has started by now
      engine.runMaintenance();
      Thread.onSpinWait();
    }
    ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(1, TimeUnit.SECONDS));
    QueryTimeoutException timeout = assertInstanceOf(QueryTimeoutException.class, e.getCause(), () -> {
      java.io.StringWriter w = new java.io.StringWriter();
      e.getCause().printStackTrace(new java.io.PrintWriter(w));
      return w.toString();
    });
    assertEquals(Duration.ofSeconds(30), timeout.limit());
    assertEquals(20_000L, s.query("SELECT COUNT(*) FROM GRAPH_TRAVERSE('g', 'n0', 20000)").single());
    assertEquals(20_000L, g.reachCount("n0", dev.ephemera.graph.Traversal.bfs().maxDepth(20_000)));
  }
}
