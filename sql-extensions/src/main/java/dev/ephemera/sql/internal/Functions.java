package dev.ephemera.sql.internal;

import dev.ephemera.EphemeraException;
import dev.ephemera.Session;
import dev.ephemera.graph.Direction;
import dev.ephemera.graph.Edge;
import dev.ephemera.graph.Path;
import dev.ephemera.graph.TempGraph;
import dev.ephemera.graph.Traversal;
import dev.ephemera.graph.Visit;
import dev.ephemera.internal.spi.SqlBridge;
import dev.ephemera.internal.spi.SqlExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.tools.SimpleResultSet;

/**
 * The H2 functions of the dialect. H2 calls each with a nested connection bound to the H2 session
 * that runs the statement; {@link SqlBridge#sessionOf} maps that to the Ephemera session, so a
 * function always sees the caller's session and never another's (no thread-locals).
 *
 * <p>The node column of the table functions is {@code NODE}, not {@code KEY}: {@code KEY} is a
 * reserved word in H2 and would need quotes in every query.
 *
 * <p>Installed into each engine's database once, when the engine first opens it ({@link Installer}).
 */
public final class Functions {
  private Functions() {}

  /** Creates the aliases in the connection's current schema, PUBLIC (idempotent, for a file database that outlives an engine). */
  public static final class Installer implements SqlExtension {
    private static final String[][] ALIASES = {
      {"CURRENT_SESSION_VAR", "currentSessionVar"},
      {"CURRENT_SESSION_VAR_TYPE", "currentSessionVarType"},
      {"CURRENT_SESSION_ID", "currentSessionId"},
      {"CURRENT_SESSION_USER", "currentSessionUser"},
      {"CURRENT_NAMESPACE", "currentNamespace"},
      {"CURRENT_DATABASE", "currentDatabase"},
      {"CURRENT_TENANT_ID", "currentTenantId"},
      {"GRAPH_NEIGHBORS", "graphNeighbors"},
      {"GRAPH_TRAVERSE", "graphTraverse"},
      {"GRAPH_SHORTEST_PATH", "graphShortestPath"},
      {"GRAPH_NODES", "graphNodes"},
      {"GRAPH_EDGES", "graphEdges"},
    };

    @Override
    public void install(Connection connection) throws SQLException {
      try (Statement st = connection.createStatement()) {
        for (String[] a : ALIASES) {
          st.execute("CREATE ALIAS IF NOT EXISTS " + a[0] + " FOR '" + Functions.class.getName() + "." + a[1] + "'");
        }
      }
    }
  }

  private static Session session(Connection c, String function) throws SQLException {
    Session s = SqlBridge.sessionOf(c);
    if (s == null) {
      throw new SQLException(function + "() works on the connection of an Ephemera session; this connection is"
          + " not one (a plain H2 connection to the engine's database)", "08003");
    }
    return s;
  }

  // ---- scalar ----------------------------------------------------------------------------------

  /** {@code CURRENT_SESSION_VAR('name')}: the variable's value as text ({@link SqlValues#text}), NULL when unset. */
  public static String currentSessionVar(Connection c, String name) throws SQLException {
    Session s = session(c, "CURRENT_SESSION_VAR");
    try {
      return SqlValues.text(s.get(name));
    } catch (RuntimeException e) {
      throw Errors.translate(e);
    }
  }

  /** {@code CURRENT_TENANT_ID()}: the Geode seed's name for the variable {@code tenant_id}, as text. */
  public static String currentTenantId(Connection c) throws SQLException {
    return currentSessionVar(c, "tenant_id");
  }

  /** {@code CURRENT_SESSION_VAR_TYPE('name')}: the variable's SQL type name, NULL when unset. */
  public static String currentSessionVarType(Connection c, String name) throws SQLException {
    Session s = session(c, "CURRENT_SESSION_VAR_TYPE");
    try {
      Object v = s.get(name);
      return v == null && !s.variables().containsKey(name) ? null : SqlValues.typeName(v);
    } catch (RuntimeException e) {
      throw Errors.translate(e);
    }
  }

  public static String currentSessionId(Connection c) throws SQLException {
    return session(c, "CURRENT_SESSION_ID").id();
  }

  public static String currentSessionUser(Connection c) throws SQLException {
    return session(c, "CURRENT_SESSION_USER").info().user();
  }

  public static String currentNamespace(Connection c) throws SQLException {
    return session(c, "CURRENT_NAMESPACE").info().namespace();
  }

  public static String currentDatabase(Connection c) throws SQLException {
    return session(c, "CURRENT_DATABASE").info().database();
  }

  // ---- graph table functions -------------------------------------------------------------------

  /** H2 first calls a table function with this URL to learn its columns only. */
  private static boolean columnsOnly(Connection c) throws SQLException {
    return c.getMetaData().getURL().startsWith("jdbc:columnlist:");
  }

  private static SimpleResultSet table(String[] names, int[] types) {
    SimpleResultSet rs = new SimpleResultSet();
    for (int i = 0; i < names.length; i++) {
      rs.addColumn(names[i], types[i], types[i] == Types.VARCHAR ? Integer.MAX_VALUE : 0, 0);
    }
    return rs;
  }

  /**
   * The check that throws H2's "statement cancelled" once the statement running this function has
   * been cancelled (its time limit passed, or its session ended): graph algorithms call it every
   * few thousand nodes, and the row loops here every few thousand rows.
   */
  private static Runnable cancelCheck(Connection c) throws SQLException {
    SessionLocal h2 = (SessionLocal) c.unwrap(JdbcConnection.class).getSession();
    return h2::checkCanceled;
  }

  private static void checkEvery(Runnable check, int row) {
    if ((row & 4095) == 0) {
      check.run();
    }
  }

  private static TempGraph graph(Connection c, String function, String name) throws SQLException {
    if (name == null) {
      throw new SQLException(function + ": the graph name must not be NULL", "22004");
    }
    return session(c, function).tempGraph(name);
  }

  /** {@code GRAPH_NEIGHBORS('g', 'key')}: the keys one outgoing edge away (one row per edge). */
  public static ResultSet graphNeighbors(Connection c, String graph, String key) throws SQLException {
    return graphNeighbors(c, graph, key, "OUT");
  }

  /** {@code GRAPH_NEIGHBORS('g', 'key', 'OUT' | 'IN' | 'BOTH')}: columns {@code NODE}. */
  public static ResultSet graphNeighbors(Connection c, String graph, String key, String direction)
      throws SQLException {
    SimpleResultSet rs = table(new String[] {"NODE"}, new int[] {Types.VARCHAR});
    if (columnsOnly(c)) {
      return rs;
    }
    Direction d = direction(direction);
    try {
      for (String n : graph(c, "GRAPH_NEIGHBORS", graph).neighbors(key, d)) {
        rs.addRow(n);
      }
    } catch (EphemeraException | IllegalArgumentException e) {
      throw Errors.translate(e);
    }
    return rs;
  }

  /** {@code GRAPH_TRAVERSE('g', 'start', maxDepth)}: breadth-first along outgoing edges; columns {@code NODE, DEPTH}. */
  public static ResultSet graphTraverse(Connection c, String graph, String start, Integer maxDepth)
      throws SQLException {
    SimpleResultSet rs = table(new String[] {"NODE", "DEPTH"}, new int[] {Types.VARCHAR, Types.INTEGER});
    if (columnsOnly(c)) {
      return rs;
    }
    if (maxDepth == null) {
      throw new SQLException("GRAPH_TRAVERSE: maxDepth must not be NULL", "22004");
    }
    try {
      TempGraph g = graph(c, "GRAPH_TRAVERSE", graph);
      List<Visit> visits = SqlBridge.graphCall(cancelCheck(c), () -> g.traverse(start, Traversal.bfs().maxDepth(maxDepth)));
      for (Visit v : visits) {
        rs.addRow(v.key(), v.depth());
      }
    } catch (EphemeraException | IllegalArgumentException e) {
      throw Errors.translate(e);
    }
    return rs;
  }

  /** {@code GRAPH_SHORTEST_PATH('g', 'a', 'b')}: fewest hops; columns {@code STEP, NODE}; no rows when unreachable. */
  public static ResultSet graphShortestPath(Connection c, String graph, String from, String to) throws SQLException {
    SimpleResultSet rs = table(new String[] {"STEP", "NODE"}, new int[] {Types.INTEGER, Types.VARCHAR});
    if (columnsOnly(c)) {
      return rs;
    }
    try {
      TempGraph g = graph(c, "GRAPH_SHORTEST_PATH", graph);
      Optional<Path> path = SqlBridge.graphCall(cancelCheck(c), () -> g.shortestPath(from, to));
      if (path.isPresent()) {
        List<String> nodes = path.get().nodes();
        for (int i = 0; i < nodes.size(); i++) {
          rs.addRow(i, nodes.get(i));
        }
      }
    } catch (EphemeraException | IllegalArgumentException e) {
      throw Errors.translate(e);
    }
    return rs;
  }

  /** {@code GRAPH_NODES('g')}: columns {@code NODE, LABELS} (labels comma-separated, sorted). */
  public static ResultSet graphNodes(Connection c, String graph) throws SQLException {
    SimpleResultSet rs = table(new String[] {"NODE", "LABELS"}, new int[] {Types.VARCHAR, Types.VARCHAR});
    if (columnsOnly(c)) {
      return rs;
    }
    try {
      TempGraph g = graph(c, "GRAPH_NODES", graph);
      Runnable check = cancelCheck(c);
      int row = 0;
      for (String key : g.nodes()) {
        checkEvery(check, row++);
        List<String> labels = g.node(key).map(n -> n.labels().stream().sorted().toList()).orElse(List.of());
        rs.addRow(key, String.join(",", labels));
      }
    } catch (EphemeraException | IllegalArgumentException e) {
      throw Errors.translate(e);
    }
    return rs;
  }

  /** {@code GRAPH_EDGES('g')}: columns {@code SOURCE, TARGET, TYPE}. */
  public static ResultSet graphEdges(Connection c, String graph) throws SQLException {
    SimpleResultSet rs = table(new String[] {"SOURCE", "TARGET", "TYPE"},
        new int[] {Types.VARCHAR, Types.VARCHAR, Types.VARCHAR});
    if (columnsOnly(c)) {
      return rs;
    }
    try {
      Runnable check = cancelCheck(c);
      int row = 0;
      for (Edge e : graph(c, "GRAPH_EDGES", graph).edges()) {
        checkEvery(check, row++);
        rs.addRow(e.from(), e.to(), e.type());
      }
    } catch (EphemeraException | IllegalArgumentException e) {
      throw Errors.translate(e);
    }
    return rs;
  }

  private static Direction direction(String d) throws SQLException {
    if (d != null) {
      switch (d.toUpperCase(Locale.ROOT)) {
        case "OUT":
          return Direction.OUT;
        case "IN":
          return Direction.IN;
        case "BOTH":
          return Direction.BOTH;
        default:
          break;
      }
    }
    throw new SQLException("GRAPH_NEIGHBORS: the direction must be 'OUT', 'IN' or 'BOTH', not " + d, "22023");
  }
}
