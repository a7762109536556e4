package dev.ephemera;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What is particular to the file store on its own, beyond the {@link dev.ephemera.storetest.SessionStoreContract}
 * it keeps ({@link FileSessionStoreContractTest}): its record files, and the arguments of its factory and of
 * {@code SessionStores.open}. Crashes: {@link StoreCrashTest}; files, locks and closing:
 * {@link FileStoreLeakTest}; engines on it: {@link PersistenceTest}.
 */
class FileSessionStoreTest {
  @TempDir
  Path dir;

  static SessionRecord record(String id, int priority, Object value) {
    return new SessionRecord(id, new byte[32], null, null, null, Map.of("v", value), Map.of(), priority,
        ClientInfo.none(), Instant.EPOCH, Instant.EPOCH, null, Instant.parse("2100-01-01T00:00:00Z"), priority);
  }

  @Test
  void aFolderHoldsTheStoresFilesAsBeegoAndTheGeodeSeedGiveIt() throws Exception {
    Path folder = java.nio.file.Files.createDirectories(dir.resolve("sessions"));
    try (SessionStore s = SessionStores.file(folder)) {
      s.save(record("sess_AAAAAAAAAAAAAAAA", 1, "kept"));
    }
    assertTrue(java.nio.file.Files.exists(folder.resolve(SessionStores.FILE_IN_FOLDER)));
    try (SessionStore s = SessionStores.file(folder)) { // and finds them again
      assertEquals("kept", s.load("sess_AAAAAAAAAAAAAAAA").orElseThrow().variables().get("v"));
    }
    try (SessionEngine engine = SessionEngine.builder().ticker(new FakeTicker()).store(SessionStores.file(folder))
        .build()) {
      assertEquals(1, engine.stats().restored(), "an engine restores from the folder");
    }
  }

  /**
   * Found by StoreCrashTest: after a kill of a full store, Chronicle's recovery left an entry whose
   * key could not be read ("malformed input"), and the scan threw: no engine could start on the
   * store. A garbled entry is now reported as corrupt and skipped; the other sessions load.
   */
  @Test
  void aGarbledEntryIsSkippedAndTheOtherSessionsLoad() throws Exception {
    Path file = dir.resolve("garbled.db");
    try (SessionStore s = SessionStores.file(file)) {
      s.save(record("sess_AAAAAAAAAAAAAAAA", 1, "a"));
      s.save(record("sess_BBBBBBBBBBBBBBBB", 1, "b"));
      s.save(record("sess_CCCCCCCCCCCCCCCC", 1, "c"));
    }
    byte[] bytes = java.nio.file.Files.readAllBytes(file);
    byte[] key = "sess_BBBBBBBBBBBBBBBB".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    int at = indexOf(bytes, key);
    assertTrue(at >= 0, "the key is in the file");
    for (int i = 5; i < 9; i++) {
      bytes[at + i] = (byte) 0xFF; // not UTF-8
    }
    java.nio.file.Files.write(file, bytes);
    List<String> loaded = new java.util.ArrayList<>();
    List<CorruptRecordException> corrupt = new java.util.ArrayList<>();
    try (SessionStore s = SessionStores.file(file)) {
      s.scan(r -> loaded.add(r.id()), corrupt::add);
    }
    assertEquals(List.of("sess_AAAAAAAAAAAAAAAA", "sess_CCCCCCCCCCCCCCCC"), loaded.stream().sorted().toList());
    assertFalse(corrupt.isEmpty());
    assertTrue(corrupt.get(0).getMessage().contains("cannot read"), corrupt.get(0).getMessage());
  }

  private static int indexOf(byte[] in, byte[] what) {
    outer:
    for (int i = 0; i + what.length <= in.length; i++) {
      for (int j = 0; j < what.length; j++) {
        if (in[i + j] != what[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /**
   * Found by StoreCrashTest at 50,000 sessions: past its capacity the store threw Chronicle Map's
   * "Attempt to allocate #401 extra segment tier" from every save. It now says the store is full
   * and what to do, and what it holds stays readable. (On the way: a store created for one session
   * refused a 1.6 KB record, "Entry is too large: requires 26 chunks, 19 is maximum"; such a record
   * now goes to a file of its own, as one over 64 KiB does.)
   */
  @Test
  void aFullStoreSaysSoAndKeepsWhatItHolds() throws Exception {
    try (SessionStore s = SessionStores.file(dir.resolve("small.db"), 1)) {
      String payload = "x".repeat(1500);
      int saved = 0;
      SessionStoreException full = null;
      for (int i = 0; i < 1_000_000 && full == null; i++) {
        try {
          s.save(record(String.format("sess_%016d", i), 1, payload));
          saved++;
        } catch (SessionStoreException e) {
          full = e;
        }
      }
      assertNotNull(full, "a store created for one session took a million");
      assertTrue(full.getMessage().contains("is full") && full.getMessage().contains("SessionStores.file(path,"
          + " expectedSessions)"), full.getMessage());
      assertTrue(saved > 50, "it grew past its initial size first: " + saved);
      assertEquals(payload, s.load("sess_0000000000000000").orElseThrow().variables().get("v"));
      assertEquals(payload, s.load(String.format("sess_%016d", saved - 1)).orElseThrow().variables().get("v"));
    }
  }

  @Test
  void aSmallSaveAfterABigOneReplacesItsRecordFile() throws Exception {
    Path file = dir.resolve("s.db");
    try (SessionStore s = SessionStores.file(file)) {
      s.save(record("sess_AAAAAAAAAAAAAAAA", 1, new byte[100_000]));
      s.save(record("sess_AAAAAAAAAAAAAAAA", 2, new byte[100_000]));
      s.save(record("sess_AAAAAAAAAAAAAAAA", 3, "small"));
      s.save(record("sess_AAAAAAAAAAAAAAAA", 4, "small"));
      assertEquals("small", s.load("sess_AAAAAAAAAAAAAAAA").orElseThrow().variables().get("v"));
      assertEquals(0, java.util.Objects.requireNonNull(file.resolveSibling("s.db.d").toFile().list()).length);
    }
  }

  @Test
  void anIdThatWouldNameAFileOutsideTheStoreIsRefusedAndNothingIsWrittenThere() throws Exception {
    Path home = java.nio.file.Files.createDirectories(dir.resolve("a/b"));
    try (SessionStore s = SessionStores.file(home.resolve("s.db"))) {
      for (String id : new String[] {"../../escaped", "..", "/tmp/escaped", "a/b", "a\\b", ".hidden", "", "x\0y"}) {
        for (Object value : new Object[] {"small", new byte[100_000]}) {
          IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.save(record(id, 1, value)),
              id);
          assertTrue(e.getMessage().contains("cannot name the store's record files"), e.getMessage());
        }
        assertTrue(s.load(id).isEmpty(), id);
        assertFalse(s.delete(id), id);
      }
      s.save(record("sess_AAAAAAAAAAAAAAAA", 1, new byte[100_000])); // a good id still works
      assertTrue(s.load("sess_AAAAAAAAAAAAAAAA").isPresent());
    }
    try (var files = java.nio.file.Files.walk(dir)) {
      assertEquals(java.util.List.of(), files.filter(f -> f.getFileName().toString().contains("escaped")).toList());
    }
  }

  @Test
  void nullArgumentsAreRefused() throws Exception {
    try (SessionStore s = SessionStores.file(dir.resolve("s.db"))) {
      assertThrows(NullPointerException.class, () -> s.load(null));
      assertThrows(NullPointerException.class, () -> s.delete(null));
      assertThrows(NullPointerException.class, () -> s.save(null));
    }
  }

  @Test
  void aBadArgumentIsRefusedClearly() {
    assertThrows(NullPointerException.class, () -> SessionStores.file(null));
    assertThrows(IllegalArgumentException.class, () -> SessionStores.file(dir.resolve("x"), 0));
    IllegalArgumentException x = assertThrows(IllegalArgumentException.class, () -> SessionStores.open("nope"));
    assertTrue(x.getMessage().contains("needs a scheme"), x.getMessage());
    x = assertThrows(IllegalArgumentException.class, () -> SessionStores.open("ftp://host/x"));
    assertTrue(x.getMessage().contains("no session store for 'ftp:'"), x.getMessage());
    assertThrows(IllegalArgumentException.class, () -> SessionStores.redis("http://x"));
    assertSame(SessionStores.memory(), SessionStores.open("memory:"));
  }
}
