package dev.ephemera.examples;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class QuickTourTest {
  @Test
  void theTourRunsThroughEveryStepAndShowsWhatItClaims() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    assertEquals(0, Main.run(new String[] {"tour"}, out, out));
    String text = bytes.toString(StandardCharsets.UTF_8);
    for (int step = 1; step <= 9; step++) {
      assertTrue(text.contains("== " + step + "."), "step " + step + " missing:\n" + text);
    }
    assertTrue(text.contains("tenant_id = tenant_123, step = 1"), text);
    assertTrue(text.contains("tenant_id = tenant_456, step = null"), text);
    assertTrue(text.contains("the credentials were refused"), text);
    assertTrue(text.contains("resume(token) finds") && text.contains(": true"), text);
    assertTrue(text.contains("a is now KILLED"), text);
    assertTrue(text.contains("after rollbackTo(after_bob): rows=1, graph edges=1, step=null"), text);
    assertTrue(text.contains("temp graphs [FRIENDS], graphs in the engine 1"), text);
    assertTrue(text.contains("after close: graphs in the engine 0, H2 connections 0"), text);
    assertTrue(text.contains("ended: IDLE_TIMEOUT"), text);
    assertTrue(text.contains("is now EXPIRED"), text);
  }

  @Test
  void anUnknownCommandFailsWithExitCode2() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    assertEquals(2, Main.run(new String[] {"nope"}, out, out));
    assertTrue(bytes.toString(StandardCharsets.UTF_8).contains("unknown command: nope"));
  }
}
