package dev.ephemera;

import static org.junit.jupiter.api.Assertions.*;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety of the persistent stores at scale: a child JVM ({@link CrashWriter}) creates
 * sessions until there are {@code crash.sessions} of them — the file store, sized for a tenth of that,
 * grows ten times past its initial size — with records of mixed sizes (one change in 40 over the file store's
 * inline limit), and changes random ones; it is killed with SIGKILL at a random moment, and the
 * store is opened again (recovered): every session whose creation was acknowledged is restored,
 * every acknowledged change is there (the stored count is the last acknowledged or one more), and
 * the store takes writes. {@code crash.rounds} kills on one store; the same for the JDBC store on an
 * H2 file database.
 *
 * <p>The build runs 6 rounds of up to 3,000 sessions per store (the kills come early: some hundreds
 * are made); {@code -Dcrash.rounds=20 -Dcrash.sessions=50000} is the full run, {@code
 * -Dcrash.seed=N} repeats one.
 */
class StoreCrashTest {
  @TempDir
  Path dir;

  @Test
  void theFileStoreKeepsEveryAcknowledgedWriteThroughSigkillsWhileItGrows() throws Exception {
    Path file = dir.resolve("sessions.ephemera");
    run("file", file.toString(), () -> {
      StoreInUseException x = assertThrows(StoreInUseException.class, () -> SessionStores.file(file));
      assertTrue(x.getMessage().contains("open in another engine"), x.getMessage());
    });
  }

  /**
   * H2 does not keep every commit through a kill of its process, even with {@code WRITE_DELAY=0}
   * (the full run lost a few; H2's own issues #1259 and #1504 describe it): what it loses must be
   * among the last {@value #H2_LOSS_WINDOW} acknowledgements before the kill, and the store must
   * open and take writes after every kill. The losses are counted and reported.
   */
  @Test
  void theJdbcStoreOnAnH2FileLosesAtMostTheLastAcknowledgedWritesToASigkill() throws Exception {
    run("jdbc", dir.resolve("sessions").toString(), () -> {});
  }

  static final int H2_LOSS_WINDOW = 1_000;

  private void run(String kind, String location, Runnable whileTheChildRuns) throws Exception {
    int rounds = Integer.getInteger("crash.rounds", 4);
    int sessions = Integer.getInteger("crash.sessions", 3_000);
    long seed = Long.getLong("crash.seed", System.nanoTime());
    Random random = new Random(seed);
    Path tokensFile = dir.resolve(kind + "-tokens.txt");
    List<String> tokens = new ArrayList<>();
    List<Long> acked = new ArrayList<>(); // the last acknowledged n of each session
    List<Integer> createdIn = new ArrayList<>();
    List<Long> ackedAt = new ArrayList<>(); // when (the count of acknowledgements so far) each was last acknowledged
    long[] lines = {0};
    boolean strict = kind.equals("file");
    long lostChanges = 0;
    long lostSessions = 0;
    long deepestLoss = 0;
    int unacknowledged = 0; // sessions a kill left stored but not announced
    for (int round = 1; round <= rounds; round++) {
      String where = kind + " store, round " + round + " (seed " + seed + ")";
      Files.write(tokensFile, tokens);
      Process child = ChildJvm.start(CrashWriter.class, List.of("-Xmx1g"), kind, location, tokensFile.toString(),
          Integer.toString(sessions), Long.toString(random.nextLong()));
      try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        String line = in.readLine();
        assertEquals("READY", line, where + ": the child did not start");
        if (round == 1) {
          whileTheChildRuns.run();
        }
        // kill at a random moment: while it grows the store (the first rounds), or while it changes sessions
        long killAfter = 50 + random.nextInt(Math.max(100, sessions / 5));
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(killAfter);
        while (System.nanoTime() < deadline && (line = in.readLine()) != null) {
          take(line, tokens, acked, createdIn, ackedAt, lines, round);
        }
        child.toHandle().destroyForcibly(); // SIGKILL
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        while ((line = in.readLine()) != null) { // acknowledgements already in the pipe count too
          take(line, tokens, acked, createdIn, ackedAt, lines, round);
        }
      } finally {
        child.destroyForcibly();
      }
      try (SessionEngine e = CrashWriter.engine(kind, location, sessions)) {
        if (kind.equals("file")) { // a shared store (JDBC) restores a session when it is resumed, not at start-up
          long restored = e.stats().restored();
          assertTrue(restored == tokens.size() + unacknowledged || restored == tokens.size() + unacknowledged + 1,
              where + ": " + restored + " sessions restored, " + tokens.size() + " acknowledged (+" + unacknowledged + ")");
          unacknowledged = (int) (restored - tokens.size());
        }
        for (int i = 0; i < tokens.size(); i++) {
          long depth = lines[0] - ackedAt.get(i); // acknowledgements between this one and the kill
          Session found;
          try {
            found = e.resume(tokens.get(i));
          } catch (SessionNotFoundException lost) {
            if (strict || depth > H2_LOSS_WINDOW) {
              throw new AssertionError(where + ": session " + i + " of " + tokens.size() + " (acknowledged "
                  + acked.get(i) + ", created in round " + createdIn.get(i) + ", " + depth
                  + " acknowledgements before the kill) is not in the store", lost);
            }
            lostSessions++;
            deepestLoss = Math.max(deepestLoss, depth);
            tokens.remove(i);
            acked.remove(i);
            createdIn.remove(i);
            ackedAt.remove(i);
            i--;
            continue;
          }
          Map<?, ?> state = found.get("state", Map.class);
          long n = state == null ? 0 : ((Number) state.get("n")).longValue(); // 0: its open was kept, its first set not
          long ack = acked.get(i);
          if (!strict && n < ack && depth <= H2_LOSS_WINDOW) {
            lostChanges += ack - n;
            deepestLoss = Math.max(deepestLoss, depth);
            acked.set(i, n);
          } else {
            assertTrue(n == ack || n == ack + 1, where + ": session " + i + " acknowledged " + ack + " (" + depth
                + " acknowledgements before the kill), stored " + n);
          }
          if (state != null) {
            assertEquals(CrashWriter.payloadLength(n), ((String) state.get("payload")).length(),
                where + ": session " + i + " holds one consistent change");
          }
        }
        if (!tokens.isEmpty()) { // the store takes writes after recovery
          Session s = e.resume(tokens.get(0));
          long n = CrashWriter.storedN(s) + 1;
          s.set("state", CrashWriter.state(n));
          acked.set(0, n);
          ackedAt.set(0, Long.MIN_VALUE / 2); // written by a clean engine, long before the next kill
        }
      } finally {
        CrashWriter.release();
      }
    }
    assertTrue(tokens.size() > 0, "no session was acknowledged in " + rounds + " rounds");
    long changes = acked.stream().mapToLong(n -> n).sum();
    long big = acked.stream().mapToLong(n -> n / 40).sum(); // CrashWriter.state: every 40th change is over 64 KiB
    System.out.printf("%s store: %d SIGKILLs, %,d sessions, %,d acknowledged changes (%,d of them records over 64 KiB);"
        + " lost: %,d changes and %,d sessions, the oldest %,d acknowledgements before its kill (seed %d)%n", kind, rounds,
        tokens.size(), changes, big, lostChanges, lostSessions, deepestLoss, seed);
  }

  private static void take(String line, List<String> tokens, List<Long> acked, List<Integer> createdIn,
      List<Long> ackedAt, long[] lines, int round) {
    if (!line.endsWith(" .")) {
      return; // cut short by the kill: not an acknowledgement
    }
    line = line.substring(0, line.length() - 2);
    lines[0]++;
    if (line.startsWith("NEW ")) {
      tokens.add(line.substring(4));
      acked.add(1L);
      createdIn.add(round);
      ackedAt.add(lines[0]);
    } else if (line.startsWith("ACK ")) {
      int sp = line.indexOf(' ', 4);
      int i = Integer.parseInt(line.substring(4, sp));
      acked.set(i, Long.parseLong(line.substring(sp + 1)));
      ackedAt.set(i, lines[0]);
    }
  }
}
