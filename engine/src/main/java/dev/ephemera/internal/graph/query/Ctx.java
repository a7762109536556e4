package dev.ephemera.internal.graph.query;

import dev.ephemera.Session;
import dev.ephemera.graph.Edge;
import dev.ephemera.graph.Node;
import dev.ephemera.internal.graph.GraphData;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;

/** One run of a plan: the graph, the parameters, and what the run keeps while it goes. */
final class Ctx {
  /** The graph, or {@code null} for a query run without one. */
  final GraphData g;
  final Map<String, Object> params;
  final Session session;
  private final Runnable check;
  private int ticks;
  /** Label and type symbols resolved in this run, by {@link Syms#index}: cleared when a change may add symbols. */
  int[][] syms;
  /** Rows each stage passed on, for PROFILE; {@code null} otherwise. */
  long[] rows;
  /** Nodes deleted by this run, removed at its end (a node must have lost all its edges by then). */
  final LinkedHashSet<Integer> deleting = new LinkedHashSet<>();
  /** What deleted nodes and edges looked like, so a query can still return them. */
  final Map<Integer, Node> deletedNodes = new HashMap<>();
  final Map<Integer, Edge> deletedEdges = new HashMap<>();
  boolean changed;
  /** The width of the rows of the branch running now. */
  int rowWidth;

  Ctx(GraphData g, Map<String, Object> params, Session session, int symbolSets) {
    this.g = g;
    this.params = params;
    this.session = session;
    this.check = GraphData.checkpoint();
    this.syms = new int[symbolSets][];
  }

  /** Called once per row produced or expanded: runs the statement's cancel check now and then. */
  void tick() {
    if ((++ticks & 4095) == 0) {
      if (check != null) {
        check.run();
      } else if (session.state() != dev.ephemera.SessionState.ACTIVE) {
        // a Java caller's query stops when its session is killed or expires under it
        throw new dev.ephemera.SessionClosedException(session.id(), session.info().endReason());
      }
    }
  }

  GraphData graph() {
    if (g == null) {
      throw QueryError.runtime("no graph is selected: this statement needs one (USE GRAPH name, or TempGraph.query)");
    }
    return g;
  }

  /** A change may have added symbols: look them up again. */
  void symbolsChanged() {
    java.util.Arrays.fill(syms, null);
    changed = true;
  }
}
