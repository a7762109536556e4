package dev.ephemera.examples;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each example runs through the jar's entry point and shows what it claims. */
class ExamplesTest {
  final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  String run(String... args) throws Exception {
    bytes.reset();
    assertEquals(0, Main.run(args, out, out), bytes.toString(StandardCharsets.UTF_8));
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void tenantsSeeOnlyTheirOwnRowsAndNeverTheBaseTable() throws Exception {
    String o = run("example", "tenants");
    assertTrue(o.contains("tenant acme     sees [anvil, rocket]; the base table from its own database: not there"), o);
    assertTrue(o.contains("tenant globex   sees [gear]; the base table from its own database: not there"), o);
    assertTrue(o.contains("tenant initech  sees [stapler, printer, fax]; the base table from its own database: not there"), o);
  }

  @Test
  void theGraphExampleFindsPathsComponentsAndExports() throws Exception {
    String o = run("example", "graph");
    assertTrue(o.contains("loaded 7 edges from SQL; 7 airports"), o);
    assertTrue(o.contains("fewest hops LHR -> NRT:  [LHR, FRA, NRT]"), o);
    assertTrue(o.contains("shortest km LHR -> NRT:  [LHR, FRA, NRT] (10010 km)"), o);
    assertTrue(o.contains("connected components:   2 of sizes [5, 2]; SYD is with [AKL, SYD]"), o);
    assertTrue(o.contains("exported 7 edges"), o);
  }

  @Test
  void theRestartExampleResumesItsSessionOnTheSecondRun(@TempDir Path dir) throws Exception {
    String first = run("example", "restart", dir.toString());
    assertTrue(first.contains("visit 1"), first);
    String second = run("example", "restart", dir.toString());
    assertTrue(second.contains("resumed sess_") && second.contains("after a restart: visit 2"), second);
    String third = run("example", "restart", dir.toString());
    assertTrue(third.contains("visit 3"), third);
  }

  @Test
  void anUnknownExampleIsAUsageError() throws Exception {
    assertEquals(2, Main.run(new String[] {"example", "nope"}, out, out));
    assertTrue(bytes.toString(StandardCharsets.UTF_8).contains("unknown example: 'nope'"));
  }
}
