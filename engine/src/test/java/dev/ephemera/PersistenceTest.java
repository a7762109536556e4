package dev.ephemera;

import static org.junit.jupiter.api.Assertions.*;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sessions that outlive their engine: a file store, restarts in virtual time. */
class PersistenceTest {
  @TempDir
  Path dir;

  final VirtualTime time = new VirtualTime();

  SessionEngine engine(SessionEngine.Builder b) {
    return b.store(SessionStores.file(dir.resolve("sessions.db"))).build();
  }

  SessionEngine engine() {
    return engine(time.builder().idleTimeout(Duration.ofMinutes(30)).rootUser("root", "pw"));
  }

  /**
   * Found by SessionModelTest: a restart restored each user's sessions in the order they were
   * opened, so after it TERMINATE_OLDEST ended the session opened first rather than the one signed
   * in first. The record now keeps the sign-in time (version 2).
   */
  @Test
  void aRestartKeepsEachUsersSessionsInSignInOrderForThePerUserLimit() {
    Credentials alice = Credentials.database("acme", "sales", "alice", "pw");
    String openedFirstSignedInLast;
    String openedLastSignedInFirst;
    java.util.function.Supplier<SessionEngine> limited = () -> engine(time.builder().rootUser("root", "pw")
        .maxSessionsPerUser(2, ExceedPolicy.TERMINATE_OLDEST));
    try (SessionEngine e = limited.get()) {
      e.users().create(alice);
      Session a = e.open();
      time.advance(Duration.ofSeconds(1));
      Session b = e.open();
      time.advance(Duration.ofSeconds(1));
      b.signIn(alice);
      time.advance(Duration.ofSeconds(1));
      a.signIn(alice);
      openedFirstSignedInLast = a.token();
      openedLastSignedInFirst = b.token();
    }
    try (SessionEngine e = limited.get()) {
      e.users().create(alice);
      e.open().signIn(alice); // a third sign-in: the earliest one (b's) ends
      assertThrows(SessionNotFoundException.class, () -> e.resume(openedLastSignedInFirst));
      assertEquals("alice", e.resume(openedFirstSignedInLast).info().user());
    }
  }

  @Test
  void aRestartedEngineResumesTheSessionWithItsUserSelectionVariablesFlashPriorityClientAndTimes() {
    String token;
    String id;
    Instant created;
    ClientInfo client = new ClientInfo("203.0.113.9", "agent/1", "linux").withCertificate("ab:cd");
    try (SessionEngine e = engine()) {
      e.users().create(Credentials.database("acme", "sales", "alice", "pw"));
      Session s = e.open(client);
      s.signIn(Credentials.database("acme", "sales", "alice", "pw"));
      s.set("name", "Alice");
      s.set("n", 42);
      s.set("pi", 3.25);
      s.set("price", new BigDecimal("19.990"));
      s.set("ok", true);
      s.set("bytes", new byte[] {1, 2, 3});
      s.set("at", Instant.parse("2026-05-01T10:00:00Z"));
      s.set("list", List.of(1, "two", List.of(3)));
      s.set("map", Map.of("k", "v"));
      s.set("nothing", null);
      s.flash("notice", "saved");
      s.setPriority(7);
      token = s.token();
      id = s.id();
      created = s.info().createdAt();
      time.advance(Duration.ofMinutes(5));
    }
    time.advance(Duration.ofMinutes(1));
    try (SessionEngine e = engine()) {
      assertEquals(1, e.stats().restored());
      Session s = e.resume(token);
      assertEquals(id, s.id());
      SessionInfo i = s.info();
      assertEquals(new Identity("alice", AuthLevel.DATABASE, "acme", "sales"), i.identity());
      assertEquals("acme", i.namespace());
      assertEquals("sales", i.database());
      assertEquals(7, i.priority());
      assertEquals(client, i.client());
      assertEquals(created, i.createdAt());
      assertEquals("Alice", s.get("name"));
      assertEquals(42L, s.get("n"));
      assertEquals(3.25, s.get("pi"));
      assertEquals(new BigDecimal("19.990"), s.get("price"));
      assertEquals(true, s.get("ok"));
      assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) s.get("bytes"));
      assertEquals(Instant.parse("2026-05-01T10:00:00Z"), s.get("at"));
      assertEquals(List.of(1L, "two", List.of(3L)), s.get("list"));
      assertEquals(Map.of("k", "v"), s.get("map"));
      assertTrue(s.variables().containsKey("nothing"));
      assertEquals("saved", s.takeFlash("notice"));
      assertEquals(token, s.token(), "the presented token is the session's token again");
    }
  }

  @Test
  void closeKillExpiryAndTheUserLimitDeleteTheRecordButEngineCloseKeepsIt() {
    String closed;
    String killed;
    String expired;
    String pushedOut;
    String kept;
    try (SessionEngine e = engine(time.builder().idleTimeout(Duration.ofMinutes(10)).rootUser("root", "pw")
        .maxSessionsPerUser(1, ExceedPolicy.TERMINATE_OLDEST))) {
      e.users().create(Credentials.database("acme", "sales", "bob", "pw"));
      Session a = e.open();
      closed = a.token();
      a.close();
      Session b = e.open();
      killed = b.token();
      e.kill(b.id());
      Session c = e.open();
      expired = c.token();
      Session d = e.open();
      pushedOut = d.token();
      d.signIn(Credentials.database("acme", "sales", "bob", "pw"));
      time.advance(Duration.ofMinutes(6));
      Session f = e.open();
      f.signIn(Credentials.database("acme", "sales", "bob", "pw")); // pushes d out
      kept = f.token();
      d = null;
      time.advance(Duration.ofMinutes(6)); // c idle 12 min: expires; f idle 6 min
      e.runMaintenance();
      assertEquals(SessionState.EXPIRED, e.session(c.id()).map(SessionInfo::state).orElse(SessionState.EXPIRED));
    }
    try (SessionEngine e = engine(time.builder().idleTimeout(Duration.ofMinutes(10)).rootUser("root", "pw"))) {
      assertEquals(1, e.stats().restored(), "only the session alive at engine close comes back");
      for (String t : List.of(closed, killed, expired, pushedOut)) {
        assertThrows(SessionNotFoundException.class, () -> e.resume(t));
      }
      assertNotNull(e.resume(kept));
    }
  }

  @Test
  void recordsThatExpiredWhileNoEngineRanArePurgedAtStart() {
    String token;
    try (SessionEngine e = engine(time.builder().idleTimeout(Duration.ofMinutes(10)))) {
      token = e.open().token();
      e.open().set("x", 1);
    }
    time.advance(Duration.ofMinutes(11));
    try (SessionEngine e = engine(time.builder().idleTimeout(Duration.ofMinutes(10)))) {
      assertEquals(0, e.stats().restored());
      assertEquals(List.of(), e.sessions());
      assertThrows(SessionNotFoundException.class, () -> e.resume(token));
    }
    try (SessionStore s = SessionStores.file(dir.resolve("sessions.db"))) {
      List<SessionRecord> left = new java.util.ArrayList<>();
      s.scan(left::add, x -> fail(x));
      assertEquals(List.of(), left, "the expired records were deleted");
    }
  }

  @Test
  void aTransactionsChangesAreStoredWhenItCommitsNotBefore() {
    String token;
    try (SessionEngine e = engine()) {
      Session s = e.open();
      token = s.token();
      s.set("v", "before");
      try (Transaction tx = s.begin()) {
        s.set("v", "committed");
        tx.commit();
      }
      Transaction open = s.begin();
      s.set("v", "uncommitted");
      assertNotNull(open);
    } // the open transaction rolls back at engine close
    try (SessionEngine e = engine()) {
      assertEquals("committed", e.resume(token).get("v"));
    }
  }

  @Test
  void tempTablesGraphsAndTransactionsDoNotSurviveARestart() {
    String token;
    try (SessionEngine e = engine()) {
      Session s = e.open();
      token = s.token();
      s.createTempTable("scratch", "x INT");
      s.createTempGraph("g").addEdge("a", "b", "KNOWS");
      s.set("kept", "yes");
    }
    try (SessionEngine e = engine()) {
      Session s = e.resume(token);
      assertEquals(List.of(), s.tempTables());
      assertEquals(List.of(), s.tempGraphs());
      assertNull(s.transaction());
      assertEquals("yes", s.get("kept"));
    }
  }

  @Test
  void aRotatedTokenIsTheOnlyOneThatResumesAfterARestart() {
    String old;
    String current;
    try (SessionEngine e = engine()) {
      Session s = e.open();
      old = s.token();
      current = s.rotateToken();
    }
    try (SessionEngine e = engine()) {
      assertThrows(SessionNotFoundException.class, () -> e.resume(old));
      assertNotNull(e.resume(current));
    }
  }

  @Test
  void aRestoredSessionIsListedAndCanBeKilledBeforeItsTokenIsPresented() {
    String token;
    String id;
    try (SessionEngine e = engine()) {
      Session s = e.open();
      token = s.token();
      id = s.id();
    }
    try (SessionEngine e = engine()) {
      assertEquals(List.of(id), e.sessions().stream().map(SessionInfo::id).toList());
      assertTrue(e.kill(id));
      assertThrows(SessionNotFoundException.class, () -> e.resume(token));
    }
    try (SessionEngine e = engine()) {
      assertEquals(List.of(), e.sessions());
    }
  }

  @Test
  void aSecondEngineOnTheSameFileGetsAClearErrorAndTheFileIsFreeAfterTheFirstCloses() {
    try (SessionEngine first = engine()) {
      StoreInUseException x = assertThrows(StoreInUseException.class,
          () -> SessionStores.file(dir.resolve("sessions.db")));
      assertTrue(x.getMessage().contains("open in another engine"), x.getMessage());
      assertNotNull(first.open());
    }
    try (SessionEngine again = engine()) {
      assertEquals(1, again.stats().restored());
    }
  }

  @Test
  void aSessionWithAMegabyteVariableIsStoredAndRestored() {
    String token;
    byte[] big = new byte[1 << 20];
    new java.util.Random(7).nextBytes(big);
    try (SessionEngine e = engine()) {
      Session s = e.open();
      token = s.token();
      s.set("big", big);
      s.set("big", big); // replaced: the record file is replaced too
    }
    try (SessionEngine e = engine()) {
      assertArrayEquals(big, (byte[]) e.resume(token).get("big"));
      e.resume(token).close();
    }
    assertEquals(0, java.util.Objects.requireNonNull(dir.resolve("sessions.db.d").toFile().list()).length,
        "closing the session deleted its record file");
  }

  @Test
  void aDamagedLatestSaveFallsBackToTheSaveBeforeItAndIsReported() throws Exception {
    String token;
    try (SessionEngine e = engine()) {
      Session s = e.open(); // save 1 (slot 0)
      s.set("who", "first"); // save 2 (slot 1)
      s.set("who", "ZZZZ-corrupt-me-ZZZZ"); // save 3 (slot 0)
      token = s.token();
    }
    Path file = dir.resolve("sessions.db");
    assertEquals(1, flipAll(file, "ZZZZ-corrupt-me-ZZZZ"));
    try (SessionEngine e = engine()) {
      assertEquals(1, e.stats().restored());
      assertEquals(1, e.stats().corruptRecords(), "the damaged save is reported");
      assertEquals("first", e.resume(token).get("who"), "the save before it is used");
    }
  }

  @Test
  void aRecordDamagedInBothSlotsIsSkippedCountedAndTheOthersLoad() throws Exception {
    String good;
    String bad;
    try (SessionEngine e = engine()) {
      Session g = e.open();
      g.set("who", "good");
      good = g.token();
      Session b = e.open();
      b.set("who", "ZZZZ-corrupt-me-ZZZZ");
      b.set("who", "ZZZZ-corrupt-me-ZZZZ"); // both slots hold it now
      bad = b.token();
    }
    assertEquals(2, flipAll(dir.resolve("sessions.db"), "ZZZZ-corrupt-me-ZZZZ"));
    try (SessionEngine e = engine()) {
      assertEquals(1, e.stats().restored());
      assertEquals(1, e.stats().corruptRecords());
      assertEquals("good", e.resume(good).get("who"));
      assertThrows(SessionNotFoundException.class, () -> e.resume(bad));
    }
  }

  /** Flips one bit inside every occurrence of {@code text} in the file; returns how many. */
  static int flipAll(Path file, String text) throws Exception {
    byte[] all = java.nio.file.Files.readAllBytes(file);
    byte[] needle = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    int n = 0;
    try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(file.toFile(), "rw")) {
      for (int at = indexOf(all, needle, 0); at >= 0; at = indexOf(all, needle, at + 1)) {
        f.seek(at + 5);
        f.write(all[at + 5] ^ 0x20);
        n++;
      }
    }
    return n;
  }

  static int indexOf(byte[] hay, byte[] needle, int from) {
    outer:
    for (int i = from; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
