package dev.ephemera;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file store on its own: load returns the latest save, scan, delete, sizes, reopen. */
class FileSessionStoreTest {
  @TempDir
  Path dir;

  static SessionRecord record(String id, int priority, Object value) {
    return new SessionRecord(id, new byte[32], null, null, null, Map.of("v", value), Map.of(), priority,
        ClientInfo.none(), Instant.EPOCH, Instant.EPOCH, null, Instant.parse("2100-01-01T00:00:00Z"), priority);
  }

  @Test
  void aLoadReturnsTheLatestSaveEvenWhenSavesHaveTheSameLength() {
    try (SessionStore s = SessionStores.file(dir.resolve("s.db"))) {
      for (int i = 0; i < 200; i++) {
        SessionRecord r = record("sess_AAAAAAAAAAAAAAAA", i % 10, "same length");
        s.save(r);
        assertEquals(r, s.load(r.id()).orElseThrow(), "after save " + i);
      }
    }
  }

  @Test
  void recordsOfEverySizeRoundTripAndSurviveAReopen() {
    List<SessionRecord> saved = new ArrayList<>();
    try (SessionStore s = SessionStores.file(dir.resolve("s.db"))) {
      int n = 0;
      for (int size : new int[] {0, 10, 1000, 64 * 1024 - 200, 64 * 1024, 200_000, 3 << 20}) {
        String id = "sess_AAAAAAAAAAAAAA" + (char) ('A' + n / 26) + (char) ('A' + n % 26);
        n++;
        SessionRecord r = record(id, size, new byte[size]);
        s.save(r);
        s.save(r); // both slots
        saved.add(r);
      }
    }
    try (SessionStore s = SessionStores.file(dir.resolve("s.db"))) {
      for (SessionRecord r : saved) {
        assertEquals(r, s.load(r.id()).orElseThrow(), r.toString());
      }
      List<String> ids = new ArrayList<>();
      s.scan(r -> ids.add(r.id()), x -> fail(x));
      assertEquals(saved.size(), ids.size());
      for (SessionRecord r : saved) {
        assertTrue(s.delete(r.id()));
        assertFalse(s.delete(r.id()));
        assertTrue(s.load(r.id()).isEmpty());
      }
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
