package dev.ephemera.examples;

import dev.ephemera.EphemeraException;
import dev.ephemera.QueryResult;
import dev.ephemera.Session;
import dev.ephemera.graph.Edge;
import dev.ephemera.graph.GraphPath;
import dev.ephemera.graph.Node;
import dev.ephemera.sql.GraphText;
import dev.ephemera.sql.SessionSql;
import dev.ephemera.sql.SqlResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.terminal.impl.DumbTerminal;

/**
 * The SQL shell: one session, statements of the session dialect (and plain H2 SQL, and graph
 * queries), results as aligned tables with the time each statement took. Interactive with JLine
 * (line editing, history in {@code ~/.ephemera_history}); or {@link #runScript} for {@code -c} and
 * {@code -f}, which stops at the first error.
 */
final class Shell implements AutoCloseable {
  static final String HELP = String.join("\n",
      "Statements end with ';' and may span lines. The session dialect, with plain H2 SQL beside it:",
      "  SET SESSION name = expr | SET SESSION { a: 1, b: 'x' } | RESET SESSION name | RESET SESSION ALL",
      "  SHOW SESSION VARIABLES | SHOW SESSION | PING | USE NAMESPACE ns DATABASE db",
      "  BEGIN | COMMIT | ROLLBACK | SAVEPOINT sp | ROLLBACK TO SAVEPOINT sp | RELEASE SAVEPOINT sp",
      "  CREATE TEMPORARY TABLE t (...) | SHOW TEMPORARY TABLES | DROP TABLE t",
      "  CREATE TEMPORARY GRAPH g | INSERT INTO GRAPH g EDGES SELECT ... | SHOW GRAPHS | DROP GRAPH g",
      "  SELECT * FROM GRAPH_TRAVERSE('g', 'start', 3)  (also GRAPH_NEIGHBORS, GRAPH_SHORTEST_PATH, ...)",
      "  SHOW SESSIONS [WHERE user = '...' | IDLE > '30m'] | KILL SESSION 'id'   (the shell signs in as root)",
      "Graph statements (openCypher) on the session's current graph:",
      "  USE GRAPH g   (SHOW SESSION shows it)",
      "  MATCH (p:Person) WHERE p.name = 'Bob' RETURN p | OPTIONAL MATCH ... RETURN ...",
      "  CREATE (:Person {name: 'Bob'}) | MERGE (p:Person {name: 'Bob'}) SET p.seen = true",
      "  MATCH (p:Person {name: 'Bob'}) DETACH DELETE p",
      "  RETURN 1 AS ok | UNWIND [1, 2] AS x RETURN x | WITH 1 AS x RETURN x   (these need no graph)",
      "  INSERT INTO g2 MATCH (p:Person)-[:KNOWS]->(f:Person) RETURN p, f   (copies into g2)",
      "  EXPLAIN MATCH ... | PROFILE MATCH ...",
      "Shell commands: \\help  this text   \\q  quit (also Ctrl-D)");

  /** How often a long script reports its progress on stderr. */
  static final long PROGRESS_NANOS = 2_000_000_000L;

  private final Session session;
  private final SessionSql sql;
  private final PrintStream out;
  private final PrintStream err;
  private final java.util.function.LongSupplier nanoTime;
  private final Repeater repeater;

  /**
   * Runs a task every {@link #PROGRESS_NANOS} until the returned action cancels it: how a statement
   * that runs long (a big graph load) says it is still running. Tests pass their own.
   */
  interface Repeater extends AutoCloseable {
    /** Starts repeating {@code task}; returns what stops it. */
    Runnable every(long nanos, Runnable task);

    /** Stops the repeater's thread, if it has one. */
    @Override
    default void close() {}

    /** A daemon thread per shell, started on first use. */
    static Repeater daemon() {
      return new Repeater() {
        private java.util.concurrent.ScheduledExecutorService pool;

        @Override
        public synchronized Runnable every(long nanos, Runnable task) {
          if (pool == null) {
            pool = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
              Thread t = new Thread(r, "ephemera-shell-progress");
              t.setDaemon(true);
              return t;
            });
          }
          var f = pool.scheduleAtFixedRate(task, nanos, nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
          return () -> f.cancel(false);
        }

        @Override
        public synchronized void close() {
          if (pool != null) {
            pool.shutdownNow();
          }
        }
      };
    }
  }

  Shell(Session session, PrintStream out, PrintStream err) {
    this(session, out, err, System::nanoTime, Repeater.daemon());
  }

  /** With the clock that times statements and paces progress reports, and the repeater (tests pass their own). */
  Shell(Session session, PrintStream out, PrintStream err, java.util.function.LongSupplier nanoTime,
      Repeater repeater) {
    this.session = session;
    this.sql = SessionSql.of(session);
    this.out = out;
    this.err = err;
    this.nanoTime = nanoTime;
    this.repeater = repeater;
  }

  /**
   * Runs every statement of {@code script}; returns 0, or 1 at the first error (printed to stderr).
   * A script that runs longer than {@link #PROGRESS_NANOS} reports on stderr, that often, how far
   * it has got; one statement that runs that long says it is still running.
   */
  int runScript(String script) {
    List<String> statements = SessionSql.statements(script);
    long start = nanoTime.getAsLong();
    long nextReport = start + PROGRESS_NANOS;
    for (int i = 0; i < statements.size(); i++) {
      if (!execute(statements.get(i))) {
        return 1;
      }
      long now = nanoTime.getAsLong();
      if (now - nextReport >= 0 && i + 1 < statements.size()) {
        err.printf(Locale.ROOT, "... %d of %d statements done (%.1f s)%n", i + 1, statements.size(),
            (now - start) / 1e9);
        nextReport = now + PROGRESS_NANOS;
      }
    }
    return 0;
  }

  /** The interactive loop on a terminal over {@code in}/{@code output} ({@code null}: the system terminal). */
  int interactive(InputStream in, OutputStream output) throws IOException {
    // the system terminal for a person; over given streams (a pipe, a script) a dumb terminal: JLine's
    // builder would otherwise open a pseudo-terminal of its own and read nothing from the streams
    try (Terminal terminal = in == null ? TerminalBuilder.builder().name("ephemera").system(true).build()
        : new DumbTerminal("ephemera", "dumb", in, output, StandardCharsets.UTF_8)) {
      // no history expansion: it would eat the backslash of \help and the '!' of SQL
      LineReaderBuilder rb = LineReaderBuilder.builder().terminal(terminal)
          .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true);
      if (in == null) { // a person at a terminal: keep their history (tests feed a pipe and keep none)
        rb.variable(LineReader.HISTORY_FILE, Path.of(System.getProperty("user.home"), ".ephemera_history"));
      }
      LineReader reader = rb.build();
      out.println("Ephemera shell — session " + session.id() + ". \\help for help, \\q to quit.");
      StringBuilder pending = new StringBuilder();
      for (;;) {
        String line;
        try {
          line = reader.readLine(pending.length() == 0 ? "ephemera> " : "       -> ");
        } catch (UserInterruptException e) {
          pending.setLength(0); // Ctrl-C drops the statement being typed
          continue;
        } catch (EndOfFileException e) {
          return 0;
        }
        String trimmed = line.strip();
        if (pending.length() == 0 && trimmed.startsWith("\\")) {
          if (trimmed.equals("\\q") || trimmed.equals("\\quit")) {
            return 0;
          }
          if (trimmed.equals("\\help") || trimmed.equals("\\h") || trimmed.equals("\\?")) {
            out.println(HELP);
          } else {
            err.println("unknown shell command " + trimmed + " (\\help lists them)");
          }
          continue;
        }
        pending.append(line).append('\n');
        if (SessionSql.endsStatement(pending.toString())) {
          // Ctrl-C while a statement runs cancels it; the shell and its session go on
          Terminal.SignalHandler before = terminal.handle(Terminal.Signal.INT, signal -> interrupt());
          try {
            for (String statement : SessionSql.statements(pending.toString())) {
              if (!execute(statement) && cancelled) {
                break; // the rest of what was typed with it is not run either
              }
            }
          } finally {
            terminal.handle(Terminal.Signal.INT, before);
          }
          pending.setLength(0);
        }
      }
    }
  }

  /** Ctrl-C came while the current statement ran (reset when it ends). */
  private volatile boolean interrupted;
  /** The last statement ended because of Ctrl-C. */
  private boolean cancelled;

  /** Ctrl-C during a statement: cancels it (the statement reports "cancelled", the session stays). */
  void interrupt() {
    interrupted = true;
    sql.cancel();
  }

  /** Stops the progress thread, if one was started. */
  @Override
  public void close() {
    repeater.close();
  }

  /** Runs one statement and prints its result and time; false if it failed (the error went to stderr). */
  boolean execute(String statement) {
    cancelled = false;
    long start = nanoTime.getAsLong();
    int[] ticks = {0};
    Runnable stop = repeater.every(PROGRESS_NANOS, () -> err.printf(Locale.ROOT,
        "... still running (%d s)%n", (++ticks[0]) * (PROGRESS_NANOS / 1_000_000_000L)));
    try {
      SqlResult r = sql.execute(statement);
      double ms = (nanoTime.getAsLong() - start) / 1e6;
      if (r.isQuery()) {
        QueryResult rows = r.rows();
        printTable(rows, out);
        out.printf(Locale.ROOT, "(%d row%s, %.1f ms)%n", rows.size(), rows.size() == 1 ? "" : "s", ms);
      } else if (changesRows(statement)) {
        out.printf(Locale.ROOT, "OK, %d row%s affected (%.1f ms)%n", r.updateCount(), r.updateCount() == 1 ? "" : "s",
            ms);
      } else {
        out.printf(Locale.ROOT, "OK (%.1f ms)%n", ms); // SET SESSION, CREATE …: no rows to count
      }
      return true;
    } catch (SQLException | EphemeraException | IllegalArgumentException e) {
      if (interrupted) {
        cancelled = true;
        err.println("cancelled (Ctrl-C); the session goes on");
        return false;
      }
      err.println("error: " + withoutEnginesSql(e.getMessage()));
      err.println("  in: " + abbreviate(statement));
      return false;
    } finally {
      stop.run();
      interrupted = false;
    }
  }

  /** Whether a statement's update count is rows it changed (INSERT, UPDATE, DELETE, MERGE), not a command's 0. */
  static boolean changesRows(String statement) {
    String head = statement.strip().split("\\s+", 2)[0].toUpperCase(Locale.ROOT);
    return head.equals("INSERT") || head.equals("UPDATE") || head.equals("DELETE") || head.equals("MERGE");
  }

  /**
   * An error message without the SQL text H2 appends ("; SQL statement: …"): that is the text the
   * engine ran, which may be a rewrite of what the user typed (shown beside it instead).
   */
  static String withoutEnginesSql(String message) {
    if (message == null) {
      return "";
    }
    int cut = message.indexOf("; SQL statement:");
    return cut < 0 ? message : message.substring(0, cut);
  }

  private static String abbreviate(String statement) {
    String one = statement.strip().replaceAll("\\s+", " ");
    return one.length() <= 200 ? one : one.substring(0, 200) + "…";
  }

  /**
   * A result as an aligned table: a header, a rule, one line a row; NULL for null, bytes in
   * hexadecimal, a graph query's nodes, edges, paths, lists and maps in their openCypher text.
   */
  static void printTable(QueryResult rows, PrintStream out) {
    List<String> cols = rows.columns();
    int[] width = new int[cols.size()];
    List<String[]> cells = new ArrayList<>();
    for (int c = 0; c < cols.size(); c++) {
      width[c] = cols.get(c).length();
    }
    for (List<Object> row : rows.rows()) {
      String[] line = new String[cols.size()];
      for (int c = 0; c < line.length; c++) {
        Object v = row.get(c);
        line[c] = v == null ? "NULL" : v instanceof byte[] b ? "0x" + java.util.HexFormat.of().formatHex(b)
            : isGraphValue(v) ? GraphText.of(v) : String.valueOf(v);
        width[c] = Math.max(width[c], line[c].length());
      }
      cells.add(line);
    }
    StringBuilder header = new StringBuilder();
    StringBuilder rule = new StringBuilder();
    for (int c = 0; c < cols.size(); c++) {
      header.append(c == 0 ? "" : " | ").append(pad(cols.get(c), width[c]));
      rule.append(c == 0 ? "" : "-+-").append("-".repeat(width[c]));
    }
    out.println(header.toString().stripTrailing());
    out.println(rule);
    for (String[] line : cells) {
      StringBuilder b = new StringBuilder();
      for (int c = 0; c < line.length; c++) {
        b.append(c == 0 ? "" : " | ").append(pad(line[c], width[c]));
      }
      out.println(b.toString().stripTrailing());
    }
  }

  /** A node, edge, path, list or map: a value of a graph query that prints as openCypher text. */
  private static boolean isGraphValue(Object v) {
    return v instanceof Node || v instanceof Edge || v instanceof GraphPath || v instanceof List || v instanceof Map;
  }

  private static String pad(String s, int width) {
    return s + " ".repeat(width - s.length());
  }
}
