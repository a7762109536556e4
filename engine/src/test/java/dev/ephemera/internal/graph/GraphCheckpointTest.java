package dev.ephemera.internal.graph;

import static org.junit.jupiter.api.Assertions.*;

import dev.ephemera.Session;
import dev.ephemera.SessionEngine;
import dev.ephemera.graph.TempGraph;
import dev.ephemera.graph.Traversal;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The graph algorithms a SQL function runs call its statement's cancel check every {@link
 * GraphCheckpoint#EVERY} nodes, so a long traversal stops with its statement; Java callers have no
 * check. The checks are counted, and a check that throws stops the algorithm and leaves the graph
 * as it was.
 */
class GraphCheckpointTest {
  static final int NODES = 10_000;
  final SessionEngine engine = SessionEngine.builder().build();
  final Session session = engine.open();
  final TempGraph chain = session.createTempGraph("chain", NODES, NODES);

  GraphCheckpointTest() {
    var batch = chain.edgeBatch();
    for (int i = 0; i + 1 < NODES; i++) {
      batch.add("n" + i, "n" + (i + 1), "NEXT");
    }
    batch.load();
    chain.addEdge("n" + (NODES - 1), "n0", "NEXT"); // a ring: every node reaches every other
  }

  @AfterEach
  void close() {
    engine.close();
  }

  private static <T> int checksDuring(Supplier<T> op) {
    AtomicInteger calls = new AtomicInteger();
    GraphCheckpoint.during(calls::incrementAndGet, op);
    return calls.get();
  }

  private static final class Stop extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }

  /** Runs {@code op} with a check that throws at its {@code n}th call; the algorithm must stop there. */
  private static void stoppedAt(int n, Supplier<?> op) {
    AtomicInteger calls = new AtomicInteger();
    assertThrows(Stop.class, () -> GraphCheckpoint.during(() -> {
      if (calls.incrementAndGet() == n) {
        throw new Stop();
      }
    }, op));
    assertEquals(n, calls.get(), "no work after the check threw");
  }

  @Test
  void everyAlgorithmChecksOncePerBlockOfNodes() {
    int blocks = (NODES + GraphCheckpoint.EVERY - 1) / GraphCheckpoint.EVERY;
    Traversal all = Traversal.bfs().maxDepth(NODES);
    assertEquals(blocks, checksDuring(() -> chain.traverse("n0", all)));
    assertEquals(blocks, checksDuring(() -> chain.shortestPath("n0", "n" + (NODES - 1))));
    assertEquals(blocks, checksDuring(() -> chain.connectedComponents()));
    for (int i = 0; i < 20; i++) {
      chain.reachCount("n0", all); // enough reads for a CSR snapshot
    }
    assertEquals(blocks, checksDuring(() -> chain.reachCount("n0", all)));
    assertEquals(blocks, checksDuring(() -> chain.traverse("n0", all)));
  }

  @Test
  void aCheckThatThrowsStopsTheAlgorithmAndTheGraphStaysUsable() {
    Traversal all = Traversal.bfs().maxDepth(NODES);
    stoppedAt(2, () -> chain.traverse("n0", all));
    stoppedAt(2, () -> chain.shortestPath("n0", "n" + (NODES - 1)));
    stoppedAt(1, () -> chain.connectedComponents());
    assertEquals(NODES, chain.traverse("n0", all).size(), "without a check: to the end");
    assertEquals(NODES, chain.connectedComponents().get(0).size());
  }
}
