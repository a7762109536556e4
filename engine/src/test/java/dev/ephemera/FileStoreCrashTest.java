package dev.ephemera;

import static org.junit.jupiter.api.Assertions.*;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety of the file store: a child JVM writes session changes in a loop and reports each
 * acknowledged one; it is killed with SIGKILL at a random moment; the file is reopened (recovered)
 * and every acknowledged change must be there, and the file usable. Twenty times, on one file.
 */
class FileStoreCrashTest {
  static final int ROUNDS = 20;

  @TempDir
  Path dir;

  @Test
  void everyAcknowledgedWriteSurvivesASigkillAndTheFileIsUsableAfterRecovery() throws Exception {
    Path file = dir.resolve("crash.db");
    long seed = Long.getLong("crash.seed", System.nanoTime());
    Random random = new Random(seed);
    for (int round = 1; round <= ROUNDS; round++) {
      Process child = ChildJvm.start(CrashWriter.class, file.toString());
      String token = null;
      long lastAck = 0;
      try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(),
          StandardCharsets.UTF_8))) {
        String line = in.readLine();
        assertNotNull(line, "round " + round + ": the child printed nothing (seed " + seed + ")");
        assertTrue(line.startsWith("TOKEN "), line);
        token = line.substring(6);
        if (round == 1) { // another process holds the file: a clear error at once, not Chronicle's 60 s spin
          StoreInUseException x = assertThrows(StoreInUseException.class, () -> SessionStores.file(file));
          assertTrue(x.getMessage().contains("open in another engine"), x.getMessage());
        }
        long killAfter = 20 + random.nextInt(300); // milliseconds of writing
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(killAfter);
        while (System.nanoTime() < deadline && (line = in.readLine()) != null) {
          lastAck = Long.parseLong(line.substring(4));
        }
        child.toHandle().destroyForcibly(); // SIGKILL (Process.destroyForcibly would also close our end of the pipe)
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        while ((line = in.readLine()) != null) { // acknowledgements already in the pipe count too
          if (line.startsWith("ACK ")) {
            lastAck = Long.parseLong(line.substring(4));
          }
        }
      } finally {
        child.destroyForcibly();
      }
      assertTrue(lastAck > 0, "round " + round + ": no write was acknowledged before the kill");
      try (SessionEngine e = SessionEngine.builder().warmUpGraphs(false).store(SessionStores.file(file)).build()) {
        assertEquals(1, e.stats().restored(), "round " + round + ": " + e.stats() + " " + e.sessions());
        Session s = e.resume(token);
        java.util.Map<?, ?> state = s.get("state", java.util.Map.class);
        long n = (Long) state.get("n");
        assertTrue(n >= lastAck, "round " + round + ": acknowledged " + lastAck + " but stored " + n + " (seed "
            + seed + ")");
        assertTrue(n <= lastAck + 1, "round " + round + ": stored " + n + ", more than one past " + lastAck);
        String payload = (String) state.get("payload");
        assertEquals(n % 3000, payload.length(), "round " + round + ": the record is one consistent change");
        s.set("after", "recovery"); // the file takes writes
        assertEquals("recovery", e.resume(token).get("after"));
        s.close(); // keeps the file from filling with sessions over the rounds
      }
    }
  }
}
