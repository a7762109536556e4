package dev.ephemera.internal.graph.query;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.ephemera.EphemeraException;
import dev.ephemera.QueryResult;
import dev.ephemera.Session;
import dev.ephemera.graph.Edge;
import dev.ephemera.graph.GraphQueryException;
import dev.ephemera.graph.GraphQueryException.Kind;
import dev.ephemera.graph.Node;
import dev.ephemera.internal.graph.GraphData;
import dev.ephemera.internal.graph.GraphLanguage;
import dev.ephemera.internal.graph.query.Refs.NodeRef;
import dev.ephemera.internal.graph.query.Refs.PathRef;
import dev.ephemera.internal.graph.query.Refs.RelRef;
import dev.ephemera.internal.util.Values;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The graph query language's entry point: compiles a query (or finds its plan in the cache, keyed
 * by the query's text), runs it on a graph under the graph's lock, atomically when it changes the
 * graph, and turns every failure into a {@link GraphQueryException} that names its place.
 */
public final class CypherLanguage implements GraphLanguage {
  public static final CypherLanguage INSTANCE = new CypherLanguage();

  /** Plans by query text: a cached query skips parsing and planning. */
  private final Cache<String, Plan> plans = Caffeine.newBuilder().maximumSize(2_048).build();

  private CypherLanguage() {}

  Plan plan(String query) {
    Plan p = plans.getIfPresent(query);
    if (p == null) {
      p = Compiler.compile(query);
      plans.put(query, p);
    }
    return p;
  }

  /** The plan INSERT INTO runs: it keeps every matched edge bound (cached apart, under a key no query text has). */
  private Plan copyPlan(String query) {
    String key = "\u0000INSERT INTO\u0000" + query;
    Plan p = plans.getIfPresent(key);
    if (p == null) {
      p = Compiler.compile(query, true);
      plans.put(key, p);
    }
    return p;
  }

  @Override
  public QueryResult query(GraphData graph, String query, Map<String, ?> parameters) {
    return run(graph, graph.session(), query, parameters);
  }

  /** Runs a query with no graph: one that reads none ({@code RETURN 1}); MATCH finds nothing, updates are refused. */
  public QueryResult queryWithoutGraph(Session session, String query, Map<String, ?> parameters) {
    Objects.requireNonNull(session, "session");
    return run(null, session, query, parameters);
  }

  private QueryResult run(GraphData graph, Session session, String query, Map<String, ?> parameters) {
    Objects.requireNonNull(query, "query");
    try {
      Plan plan = plan(query);
      Map<String, Object> params = normalize(parameters);
      Ctx c = new Ctx(graph, params, session, plan.symbolSets);
      if (plan.mode == Plan.Mode.EXPLAIN) {
        return plan.describe(c);
      }
      if (graph == null) {
        if (plan.writes) {
          throw QueryError.runtime("no graph is selected: an update needs one (USE GRAPH name)");
        }
        return result(plan, c, plan.run(c, false));
      }
      return plan.writes ? graph.write(() -> result(plan, c, plan.run(c, false)))
          : graph.read(() -> result(plan, c, plan.run(c, false)));
    } catch (RuntimeException e) {
      throw translate(e, query);
    } catch (StackOverflowError e) {
      throw new GraphQueryException(Kind.RUNTIME, QueryError.message(Kind.RUNTIME,
          "the query is nested too deeply to run", query, 0, 0), 0, 0);
    }
  }

  private static QueryResult result(Plan plan, Ctx c, Plan.Rows rows) {
    if (plan.mode == Plan.Mode.PROFILE) {
      return plan.describe(c);
    }
    List<List<Object>> out = new ArrayList<>(rows.values().size());
    for (Object[] r : rows.values()) {
      List<Object> row = new ArrayList<>(r.length);
      for (Object v : r) {
        row.add(Graphs.export(c, v));
      }
      out.add(row);
    }
    return new QueryResult(plan.columns(), out);
  }

  private static Map<String, Object> normalize(Map<String, ?> parameters) {
    Objects.requireNonNull(parameters, "parameters");
    if (parameters.isEmpty()) {
      return Map.of();
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, ?> e : parameters.entrySet()) {
      String name = Objects.requireNonNull(e.getKey(), "a parameter's name");
      out.put(name, Values.normalize("parameter $" + name, e.getValue()));
    }
    return out;
  }

  /** A failure as the caller sees it: the language's errors with their place, the engine's own as they are. */
  static RuntimeException translate(RuntimeException e, String query) {
    if (e instanceof QueryError q) {
      return q.toException(query);
    }
    if (e instanceof EphemeraException) {
      return e; // the session ended, a limit, the graph was dropped: typed already
    }
    if (e instanceof IllegalArgumentException) {
      return new GraphQueryException(Kind.RUNTIME, QueryError.message(Kind.RUNTIME, e.getMessage(), query, 0, 0), 0, 0);
    }
    GraphQueryException g = new GraphQueryException(Kind.RUNTIME, QueryError.message(Kind.RUNTIME,
        "internal error running the query (" + e + ")", query, 0, 0), 0, 0);
    g.initCause(e);
    return g;
  }

  // ---- INSERT INTO ---------------------------------------------------------------------------------

  /** A node or an edge to copy, read from the source. */
  private record Copy(List<Node> nodes, List<Edge> edges) {}

  @Override
  public long insertInto(GraphData source, GraphData target, String query, Map<String, ?> parameters) {
    Objects.requireNonNull(query, "query");
    try {
      Plan plan = copyPlan(query);
      if (plan.writes || plan.mode != Plan.Mode.RUN) {
        throw new QueryError(Kind.SEMANTIC, "INSERT INTO copies what a reading query returns: "
            + (plan.writes ? "this query changes the graph" : "EXPLAIN and PROFILE return no graph elements"), 1, 1);
      }
      Map<String, Object> params = normalize(parameters);
      Copy copy = source.read(() -> {
        Ctx c = new Ctx(source, params, source.session(), plan.symbolSets);
        return collect(c, plan.run(c, true));
      });
      if (copy.nodes().isEmpty() && copy.edges().isEmpty()) {
        return 0L;
      }
      return target.write(() -> paste(target, copy));
    } catch (RuntimeException e) {
      throw translate(e, query);
    }
  }

  /** The nodes, edges and paths the rows return, and the edges between returned nodes the pattern matched. */
  private static Copy collect(Ctx c, Plan.Rows rows) {
    LinkedHashSet<Integer> nodes = new LinkedHashSet<>();
    LinkedHashMap<Integer, RelRef> edges = new LinkedHashMap<>();
    for (int r = 0; r < rows.values().size(); r++) {
      Set<Integer> returned = new HashSet<>();
      for (Object v : rows.values().get(r)) {
        gather(v, returned, edges);
      }
      nodes.addAll(returned);
      for (Object v : rows.full().get(r)) {
        for (RelRef e : rels(v)) {
          if (returned.contains(e.from()) && returned.contains(e.to())) {
            edges.putIfAbsent(e.id(), e);
          }
        }
      }
    }
    for (RelRef e : edges.values()) {
      nodes.add(e.from());
      nodes.add(e.to());
    }
    List<Node> ns = new ArrayList<>();
    for (int id : nodes) {
      ns.add(Graphs.node(c, new NodeRef(id)));
    }
    List<Edge> es = new ArrayList<>();
    for (RelRef e : edges.values()) {
      es.add(Graphs.edge(c, e));
    }
    return new Copy(ns, es);
  }

  private static void gather(Object v, Set<Integer> nodes, Map<Integer, RelRef> edges) {
    if (v instanceof NodeRef n) {
      nodes.add(n.id());
    } else if (v instanceof RelRef e) {
      edges.putIfAbsent(e.id(), e);
    } else if (v instanceof PathRef p) {
      for (NodeRef n : p.nodes()) {
        nodes.add(n.id());
      }
      for (RelRef e : p.rels()) {
        edges.putIfAbsent(e.id(), e);
      }
    } else if (v instanceof List<?> l) {
      for (Object x : l) {
        gather(x, nodes, edges);
      }
    }
  }

  private static List<RelRef> rels(Object v) {
    if (v instanceof RelRef e) {
      return List.of(e);
    }
    if (v instanceof List<?> l) {
      List<RelRef> out = new ArrayList<>();
      for (Object x : l) {
        if (x instanceof RelRef e) {
          out.add(e);
        }
      }
      return out;
    }
    return Collections.emptyList();
  }

  private static long paste(GraphData g, Copy copy) {
    long n = 0;
    for (Node node : copy.nodes()) {
      int id = g.nodeId(node.key());
      if (id < 0) {
        int[] labels = node.labels().stream().mapToInt(g::symbol).toArray();
        g.createNode(node.key(), labels, node.properties());
      } else {
        for (String l : node.labels()) {
          g.addLabel(id, g.symbol(l));
        }
        Map<String, Object> props = new LinkedHashMap<>(g.properties(id));
        props.putAll(node.properties());
        g.setProperties(id, props);
      }
      n++;
    }
    for (Edge e : copy.edges()) {
      g.createEdge(g.nodeId(e.from()), g.nodeId(e.to()), g.symbol(e.type()), e.properties());
      n++;
    }
    return n;
  }
}
