package dev.ephemera.examples;

import static org.junit.jupiter.api.Assertions.*;

import dev.ephemera.Credentials;
import dev.ephemera.QueryResult;
import dev.ephemera.Session;
import dev.ephemera.SessionEngine;
import dev.ephemera.SessionStores;
import dev.ephemera.graph.Edge;
import dev.ephemera.graph.GraphPath;
import dev.ephemera.graph.Node;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shell and the sessions commands, through the jar's real entry point ({@code Main.run}). */
class ShellTest {
  @TempDir
  Path dir;

  final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
  final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
  final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
  final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

  int run(String... args) throws Exception {
    return Main.run(args, null, OutputStream.nullOutputStream(), out, err);
  }

  String out() {
    return outBytes.toString(StandardCharsets.UTF_8);
  }

  String err() {
    return errBytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void dashCRunsStatementsAndPrintsAlignedTablesWithTimes() throws Exception {
    assertEquals(0, run("shell", "-c", "SET SESSION greeting = 'hello'; "
        + "SELECT CURRENT_SESSION_VAR('greeting') AS g, 42 AS answer; CREATE TEMPORARY TABLE t (x INT);"));
    String o = out();
    assertTrue(o.contains("G     | ANSWER\n------+-------\nhello | 42\n"), o);
    assertTrue(o.matches("(?s).*\\(1 row, \\d+\\.\\d ms\\).*"), o);
    assertTrue(o.matches("(?s).*\\nOK \\(\\d+\\.\\d ms\\)\\n.*"), "SET SESSION and CREATE print OK, no row count: " + o);
    assertFalse(o.contains("rows affected"), o);
    assertEquals("", err());
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (progressThreads() > 0 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertEquals(0, progressThreads(), "the shell's progress thread ended with it");
  }

  static long progressThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().equals("ephemera-shell-progress")).count();
  }

  @Test
  void theFirstErrorStopsAScriptWithANonZeroExitAndTheErrorOnStderr() throws Exception {
    assertEquals(1, run("shell", "-c", "SELECT 1 AS one; SELECT * FROM no_such_table; SELECT 'never' AS n;"));
    assertTrue(out().contains("ONE"), out());
    assertFalse(out().contains("never"), "nothing ran after the error: " + out());
    assertTrue(err().startsWith("error: ") && err().contains("NO_SUCH_TABLE"), err());
  }

  @Test
  void errorsQuoteWhatTheUserTypedNotTheEnginesRewrite() throws Exception {
    assertEquals(1, run("shell", "-c", "CREATE TEMPORARY TABLE session_data (k VARCHAR); "
        + "CREATE TEMPORARY TABLE session_data (k VARCHAR);"));
    assertFalse(err().contains("TRANSACTIONAL"), "the engine's rewritten SQL: " + err());
    assertFalse(err().contains("LOCAL TEMPORARY"), err());
    assertTrue(err().contains("in: CREATE TEMPORARY TABLE session_data (k VARCHAR)"), err());
  }

  @Test
  void rowCountsAreForStatementsThatChangeRows() throws Exception {
    assertEquals(0, run("shell", "-c", "CREATE TEMPORARY TABLE t (x INT); INSERT INTO t VALUES (1), (2);"
        + " UPDATE t SET x = 3 WHERE x = 1;"));
    assertTrue(out().contains("OK, 2 rows affected"), out());
    assertTrue(out().contains("OK, 1 row affected"), out());
  }

  @Test
  void aMissingSemicolonInAScriptIsNamedInTheErrorNotHiddenInAWrapper() throws Exception {
    assertEquals(1, run("shell", "-c", "SET SESSION a = 1\nSET SESSION b = 2;"));
    assertFalse(err().contains("SELECT ("), "the SELECT the dialect wraps a value in: " + err());
    assertTrue(err().contains("';' missing"), err());
  }

  @Test
  void ctrlCDuringAStatementCancelsItAndTheShellAndItsSessionGoOn() throws Exception {
    try (dev.ephemera.SessionEngine engine = dev.ephemera.SessionEngine.builder().build();
        Shell shell = new Shell(engine.open(), out, err)) {
      shell.execute("SET SESSION kept = 'yes';");
      java.util.concurrent.CompletableFuture<Boolean> running = java.util.concurrent.CompletableFuture.supplyAsync(
          () -> shell.execute("SELECT COUNT(*) FROM SYSTEM_RANGE(1, 100000000000) WHERE MOD(X, 7) = 3"));
      while (!running.isDone()) { // Ctrl-C until it lands on the running statement (before it starts, it finds none)
        shell.interrupt();
        Thread.onSpinWait();
      }
      assertFalse(running.get(), "the statement was cancelled");
      assertTrue(err().contains("cancelled (Ctrl-C)"), err());
      assertTrue(shell.execute("SELECT CURRENT_SESSION_VAR('kept') AS k;"), err());
      assertTrue(out().contains("yes"), "the same session goes on: " + out());
    }
  }

  @Test
  void dashFRunsAScriptFile() throws Exception {
    Path script = dir.resolve("s.sql");
    Files.writeString(script, "-- a comment; with a semicolon\nCREATE TEMPORARY TABLE t (name VARCHAR);\n"
        + "INSERT INTO t VALUES ('a;b'), ('c');\nSELECT COUNT(*) AS n FROM t;\n");
    assertEquals(0, run("shell", "-f", script.toString()));
    assertTrue(out().contains("N\n-\n2\n"), out());
    assertEquals(2, run("shell", "-f", dir.resolve("missing.sql").toString()));
    assertTrue(err().contains("cannot read script"), err());
  }

  @Test
  void theInteractiveShellReadsStatementsOverLinesFromATerminal() throws Exception {
    PipedOutputStream keys = new PipedOutputStream();
    PipedInputStream terminalIn = new PipedInputStream(keys, 1 << 16);
    Thread typist = new Thread(() -> {
      try {
        keys.write(("SET SESSION x = 'typed';\nSELECT CURRENT_SESSION_VAR('x') AS x,\n 40 + 2 AS y;\n\\help\n"
            + "\\nope\nSELECT * FROM missing_table;\nSELECT 'still here' AS z;\n\\q\n").getBytes(StandardCharsets.UTF_8));
        keys.close();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    typist.start();
    int code = Main.run(new String[] {"shell"}, terminalIn, OutputStream.nullOutputStream(), out, err);
    typist.join();
    assertEquals(0, code);
    String o = out();
    assertTrue(o.contains("X     | Y\n------+---\ntyped | 42"), o);
    assertTrue(o.contains("Shell commands:"), "\\help printed the help: " + o);
    assertTrue(o.contains("still here"), "an error does not end an interactive shell: " + o);
    assertTrue(err().contains("unknown shell command \\nope"), err());
    assertTrue(err().contains("MISSING_TABLE"), err());
  }

  @Test
  void theHelpListsTheGraphStatementsAndUseGraphRunsLikeAnyStatement() throws Exception {
    PipedOutputStream keys = new PipedOutputStream();
    PipedInputStream terminalIn = new PipedInputStream(keys, 1 << 16);
    keys.write("\\help\nCREATE TEMPORARY GRAPH g;\nUSE GRAPH g;\nSHOW SESSION;\nUSE GRAPH nosuch;\nMATCH (n)\nRETURN m;\n\\q\n"
        .getBytes(StandardCharsets.UTF_8));
    keys.close();
    assertEquals(0, Main.run(new String[] {"shell"}, terminalIn, OutputStream.nullOutputStream(), out, err));
    String o = out();
    for (String statement : List.of("USE GRAPH g", "MATCH (p:Person)", "OPTIONAL MATCH", "CREATE (:Person {name: 'Bob'})",
        "MERGE (p:Person", "DETACH DELETE", "RETURN 1 AS ok", "UNWIND", "INSERT INTO g2 MATCH", "EXPLAIN MATCH",
        "PROFILE MATCH")) {
      assertTrue(o.contains(statement), "\\help lists " + statement + ": " + o);
    }
    assertTrue(o.matches("(?s).*\\| PRIORITY \\| GRAPH\\n.*\\| 0        \\| G\\n.*"), "SHOW SESSION shows the graph: " + o);
    assertTrue(err().contains("has no temporary graph 'NOSUCH'"), err());
    assertTrue(err().contains("variable `m` is not defined") && err().contains("in: MATCH (n) RETURN m"),
        "a graph statement runs and fails like any other: " + err());
  }

  @Test
  void graphValuesPrintAsOpenCypherText() {
    Node bob = new Node("bob", Set.of("Person"), Map.of("name", "Bob"));
    Node carol = new Node("carol", Set.of("Person"), Map.of("name", "Carol"));
    Edge knows = new Edge(1, "bob", "carol", "KNOWS", Map.of("since", 2020L));
    Shell.printTable(new QueryResult(List.of("p", "k", "path", "l", "name"), List.of(List.of(bob, knows,
        new GraphPath(List.of(bob, carol), List.of(knows)), List.of(1L, "a"), "Bob"))), out);
    assertTrue(out().endsWith("\n(:Person {name: 'Bob'}) | [:KNOWS {since: 2020}] | (:Person {name: 'Bob'})-[:KNOWS"
        + " {since: 2020}]->(:Person {name: 'Carol'}) | [1, 'a'] | Bob\n"), out());
  }

  /** Waits for the graph query language. */
  @Test
  void theShellRunsGraphQueriesAndPrintsNodesAsText() throws Exception {
    assertEquals(0, run("shell", "-c", "CREATE TEMPORARY GRAPH g; USE GRAPH g; CREATE (:Person {name: 'Bob'});"
        + " MATCH (p:Person) RETURN p, p.name AS name; RETURN 1 AS ok;"), err());
    String o = out();
    assertTrue(o.contains("p                       | name\n------------------------+-----\n(:Person {name: 'Bob'}) | Bob\n"),
        o);
    assertTrue(o.contains("ok\n--\n1\n"), o);
  }

  @Test
  void sessionsListKillAndCleanupWorkOnAFileStore() throws Exception {
    Path file = dir.resolve("sessions.db");
    String alice;
    String other;
    try (SessionEngine e = SessionEngine.builder().passwordHashIterations(1000)
        .store(SessionStores.file(file)).build()) {
      e.users().create(Credentials.database("shop", "orders", "alice", "pw"));
      Session a = e.open();
      a.signIn(Credentials.database("shop", "orders", "alice", "pw"));
      alice = a.id();
      other = e.open().id();
    }
    String store = "file:" + file;
    assertEquals(0, run("sessions", "list", "--store", store, "--sort", "age"));
    assertTrue(out().contains(alice) && out().contains(other) && out().contains("(2 sessions)"), out());
    assertTrue(out().contains("shop/orders"), out());
    outBytes.reset();
    assertEquals(0, run("sessions", "list", "--store", store, "--user", "alice"));
    assertTrue(out().contains(alice) && !out().contains(other), out());
    outBytes.reset();
    assertEquals(0, run("sessions", "kill", other, "--store", store));
    assertTrue(out().contains("killed " + other), out());
    assertEquals(1, run("sessions", "kill", other, "--store", store));
    assertTrue(err().contains("no live session " + other), err());
    outBytes.reset();
    assertEquals(0, run("sessions", "cleanup", "--store", store, "--idle-longer-than", "0s", "--dry-run"));
    assertTrue(out().contains(alice) && out().contains("would end 1 session (dry run)"), out());
    outBytes.reset();
    assertEquals(0, run("sessions", "cleanup", "--store", store, "--idle-longer-than", "0s"));
    assertTrue(out().contains("ended 1 session"), out());
    outBytes.reset();
    assertEquals(0, run("sessions", "list", "--store", store));
    assertTrue(out().contains("(0 sessions)"), out());
  }

  @Test
  void theSessionsCommandsTakeTheGeodeSeedsSpellings() throws Exception {
    Path file = dir.resolve("seed-sessions");
    java.nio.file.Files.createDirectories(file); // the seed gives the store a directory
    String alice;
    String other;
    try (SessionEngine e = SessionEngine.builder().passwordHashIterations(1000)
        .store(SessionStores.file(file)).build()) {
      e.users().create(Credentials.database("shop", "orders", "alice", "pw"));
      Session a = e.open();
      a.signIn(Credentials.database("shop", "orders", "alice", "pw"));
      alice = a.id();
      Session b = e.open();
      b.signIn(Credentials.database("shop", "orders", "alice", "pw"));
      other = e.open().id();
    }
    String store = "--store=file:" + file;
    assertEquals(0, run("sessions", "list", store, "--sort-by=age", "--limit=1"));
    assertTrue(out().contains("(1 session)"), out());
    outBytes.reset();
    assertEquals(0, run("sessions", "list", store, "--min-duration=24h"));
    assertTrue(out().contains("(0 sessions)"), "none is a day old: " + out());
    outBytes.reset();
    assertEquals(0, run("sessions", "list", store, "--user=alice", "--idle-longer-than=0s"));
    assertTrue(out().contains(alice) && out().contains("(2 sessions)"), out());
    outBytes.reset();
    assertEquals(0, run("sessions", "kill", "--session-id=" + alice, store, "--graceful", "--warning-seconds=0"));
    assertTrue(out().contains("warned " + alice + "; it ends in 0 s") && out().contains("killed " + alice), out());
    outBytes.reset();
    assertEquals(0, run("sessions", "kill", "--user=alice", store));
    assertTrue(out().contains("killed 1 session of alice"), out());
    outBytes.reset();
    assertEquals(0, run("sessions", "cleanup", store, "--force", "--dry-run"));
    assertTrue(out().contains(other) && out().contains("would end 1 session (dry run)"), out());
    outBytes.reset();
    assertEquals(0, run("sessions", "cleanup", store, "--idle-timeout=1800"));
    assertTrue(out().contains("ended 0 sessions"), "none idle for 30 minutes: " + out());
    outBytes.reset();
    assertEquals(0, run("sessions", "cleanup", store, "--force"));
    assertTrue(out().contains("ended 1 session (forced: all)"), out());
    outBytes.reset();
    assertEquals(2, run("sessions", "list", store, "--limit=-1"));
    assertEquals(2, run("sessions", "cleanup", store, "--idle-timeout=soon"));
  }

  @Test
  void aLongScriptReportsItsProgressOnStderr() {
    try (SessionEngine e = SessionEngine.builder().build(); Session s = e.open()) {
      long[] clock = {0};
      // each read of this clock moves it 0.35 s; the shell reads it three times a statement (start, end,
      // progress check): 1.05 s a statement, so a report once 2 s have passed, every second statement
      Shell shell = new Shell(s, out, err, () -> clock[0] += 350_000_000L, (nanos, task) -> () -> { });
      StringBuilder script = new StringBuilder("CREATE TEMPORARY TABLE t (x INT);");
      for (int i = 0; i < 9; i++) {
        script.append("INSERT INTO t VALUES (").append(i).append(");");
      }
      assertEquals(0, shell.runScript(script.toString()));
      assertEquals(List.of("... 2 of 10 statements done (2.1 s)", "... 4 of 10 statements done (4.2 s)",
          "... 6 of 10 statements done (6.3 s)", "... 8 of 10 statements done (8.4 s)"), err().lines().toList());
      assertEquals(9L, s.query("SELECT COUNT(*) FROM t").single());
    }
  }

  @Test
  void aLongStatementSaysItIsStillRunningUntilItEnds() {
    try (SessionEngine e = SessionEngine.builder().build(); Session s = e.open()) {
      List<String> events = new java.util.ArrayList<>();
      Shell.Repeater twice = (nanos, task) -> { // as if the statement ran 4 s: the task runs twice, then the end
        assertEquals(Shell.PROGRESS_NANOS, nanos);
        task.run();
        task.run();
        return () -> events.add("cancelled");
      };
      Shell shell = new Shell(s, out, err, System::nanoTime, twice);
      assertTrue(shell.execute("CREATE TEMPORARY GRAPH g"));
      assertEquals(List.of("... still running (2 s)", "... still running (4 s)"), err().lines().toList());
      assertEquals(List.of("cancelled"), events, "the reports stop when the statement ends");
      assertFalse(shell.execute("SELECT * FROM no_such_table"));
      assertEquals(List.of("cancelled", "cancelled"), events, "also when it fails");
    }
  }

  @Test
  void badCommandLinesExitWith2AndSayWhatIsWrong() throws Exception {
    assertEquals(2, run("sessions", "list"));
    assertTrue(err().contains("needs --store URI"), err());
    assertEquals(2, run("shell", "--bogus"));
    assertTrue(err().contains("unknown shell option: --bogus"), err());
    assertEquals(2, run("sessions", "cleanup", "--store", "memory:", "--idle-longer-than", "soon"));
    assertTrue(err().contains("not a duration: 'soon'"), err());
    assertEquals(1, run("shell", "--store", "nope://x", "-c", "SELECT 1"));
    assertTrue(err().contains("no session store for 'nope:'"), err());
  }
}
