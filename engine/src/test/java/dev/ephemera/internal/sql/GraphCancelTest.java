package dev.ephemera.internal.sql;

import static org.junit.jupiter.api.Assertions.*;

import dev.ephemera.Session;
import dev.ephemera.SessionEngine;
import dev.ephemera.graph.TempGraph;
import dev.ephemera.graph.Traversal;
import dev.ephemera.internal.graph.GraphCheckpoint;
import org.h2.api.ErrorCode;
import org.h2.engine.SessionLocal;
import org.h2.message.DbException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The check a SQL function hands the graph algorithms is its H2 session's cancel check: once the
 * engine's tick has cancelled the statement (what it does past the time limit), the traversal
 * throws H2's "statement cancelled" at its next check, which the engine turns into a
 * {@code QueryTimeoutException}.
 */
class GraphCancelTest {
  final SessionEngine engine = SessionEngine.builder().build();

  @AfterEach
  void close() {
    engine.close();
  }

  @Test
  void aCancelledStatementsTraversalStopsAtItsNextCheck() {
    Session s = engine.open();
    TempGraph g = s.createTempGraph("g", 100, 100);
    g.addEdge("a", "b", "E");
    s.query("SELECT 1"); // opens the session's H2 connection
    SessionConnection sql = ((SqlOwner) s).sql();
    SessionLocal h2;
    sql.lock.lock();
    try {
      h2 = sql.h2();
    } finally {
      sql.lock.unlock();
    }
    h2.cancel();
    DbException e = assertThrows(DbException.class,
        () -> GraphCheckpoint.during(h2::checkCanceled, () -> g.traverse("a", Traversal.bfs().maxDepth(5))));
    assertEquals(ErrorCode.STATEMENT_WAS_CANCELED, e.getErrorCode());
    assertEquals(2, g.traverse("a", Traversal.bfs().maxDepth(5)).size(), "no check outside SQL: the graph answers");
  }
}
