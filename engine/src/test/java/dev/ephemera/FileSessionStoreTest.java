package dev.ephemera;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.time.Instant;
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
