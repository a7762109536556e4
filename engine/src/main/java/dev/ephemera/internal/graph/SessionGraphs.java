package dev.ephemera.internal.graph;

import dev.ephemera.Names;
import dev.ephemera.graph.GraphExistsException;
import dev.ephemera.graph.GraphNotFoundException;
import dev.ephemera.graph.TempGraph;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The temporary graphs of one session, created on its first graph. Create and drop are
 * serialized here; the budget check reads each graph's last-known size without locking it, so a
 * graph call (holding its graph's lock) never waits for this object's lock.
 */
public final class SessionGraphs {
  private final GraphOwner session;
  /** The engine's count of open graphs ({@code EngineStats.openGraphs}). */
  private final AtomicLong openGraphs;
  private final long maxBytes;
  private final GraphLanguage language;
  private final ConcurrentHashMap<String, GraphImpl> graphs = new ConcurrentHashMap<>();
  private boolean closed;

  /** Stands in for a session that ended before it made a graph: holds none, makes none. */
  public static final SessionGraphs CLOSED = new SessionGraphs(null, null, 0, null);

  static {
    CLOSED.closed = true;
  }

  public SessionGraphs(GraphOwner session, AtomicLong openGraphs, long maxBytes, GraphLanguage language) {
    this.session = session;
    this.language = language;
    this.openGraphs = openGraphs;
    this.maxBytes = maxBytes;
  }

  public static String graphName(String name) {
    return Names.check("graph", name).toUpperCase(Locale.ROOT);
  }

  public synchronized TempGraph create(String name, long expectedNodes, long expectedEdges) {
    String key = graphName(name);
    if (expectedNodes < 0 || expectedEdges < 0) {
      throw new IllegalArgumentException("expected sizes must not be negative: nodes " + expectedNodes
          + ", edges " + expectedEdges);
    }
    if (closed) {
      throw new GraphNotFoundException("the session has ended: its temporary graphs are gone");
    }
    if (graphs.containsKey(key)) {
      throw new GraphExistsException("session " + session.id() + " already has a temporary graph '" + key + "'");
    }
    checkBudget(key);
    GraphRuntime.ready();
    GraphImpl g = new GraphImpl(session, this, key, expectedNodes, expectedEdges, language);
    openGraphs.incrementAndGet();
    long used = offHeapBytes() + g.offHeapNow();
    if (used > maxBytes) {
      g.close();
      openGraphs.decrementAndGet();
      throw GraphChecks.overBudget(key, maxBytes, used);
    }
    graphs.put(key, g);
    return g;
  }

  public TempGraph get(String name) {
    String key = graphName(name);
    GraphImpl g = graphs.get(key);
    if (g == null) {
      throw new GraphNotFoundException("session " + session.id() + " has no temporary graph '" + key + "'");
    }
    return g;
  }

  public List<String> names() {
    List<String> out = new ArrayList<>(graphs.keySet());
    Collections.sort(out);
    return Collections.unmodifiableList(out);
  }

  public synchronized boolean drop(String name) {
    GraphImpl g = graphs.remove(graphName(name));
    if (g == null) {
      return false;
    }
    g.close();
    openGraphs.decrementAndGet();
    return true;
  }

  /** Frees every graph (the session ended). */
  public synchronized void closeAll() {
    closed = true;
    for (GraphImpl g : graphs.values()) {
      g.close();
      openGraphs.decrementAndGet();
    }
    graphs.clear();
  }

  public long offHeapBytes() {
    long sum = 0;
    for (GraphImpl g : graphs.values()) {
      sum += g.offHeapNow();
    }
    return sum;
  }

  int count() {
    return graphs.size();
  }

  /** Whether {@code more} off-heap bytes fit in the session's budget (for optional caches). */
  boolean fits(long more) {
    return maxBytes == Long.MAX_VALUE || offHeapBytes() + more <= maxBytes;
  }

  /** Refuses a change that adds data once the session's graphs hold {@code maxGraphBytes}. */
  void checkBudget(String graph) {
    if (maxBytes == Long.MAX_VALUE) {
      return;
    }
    long used = offHeapBytes();
    if (used >= maxBytes) {
      throw GraphChecks.overBudget(graph, maxBytes, used);
    }
  }
}
