package dev.ephemera;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file store releases its file, its lock and its off-heap map when it closes, on every path. */
class FileStoreLeakTest {
  @TempDir
  Path dir;

  /** No more descriptors open than {@code before}, give or take two that the rest of the JVM may hold. */
  static void assertNoMoreThan(long before, String when) throws Exception {
    long now = openFiles();
    assertTrue(now <= before + 2, "file descriptors " + when + ": " + now + ", before: " + before);
  }

  static long openFiles() throws Exception {
    try (var s = Files.list(Path.of("/proc/self/fd"))) {
      return s.count();
    }
  }

  @Test
  void fiftyEnginesOneAfterTheOtherOnOneFileLeaveNoFileOpen() throws Exception {
    Path file = dir.resolve("s.db");
    try (SessionEngine e = SessionEngine.builder().store(SessionStores.file(file)).build()) {
      e.open().set("warm", 1); // first map and H2 loaded: their own files are not ours to count
    }
    long before = openFiles();
    for (int i = 0; i < 50; i++) {
      try (SessionEngine e = SessionEngine.builder().warmUpGraphs(false).store(SessionStores.file(file)).build()) {
        e.open().set("i", i);
      }
    }
    // each engine held at least two descriptors (the lock file, the map file): a leak would add 100;
    // other threads of the JVM may open or close one or two meanwhile (a CI run saw 104 -> 103)
    assertNoMoreThan(before, "after 50 engines on the store");
    assertFalse(Files.exists(dir.resolve("s.db.open")), "a clean close removes the unclean-shutdown marker");
  }

  @Test
  void aStoreThatCannotOpenReleasesTheLockItTook() throws Exception {
    Path file = dir.resolve("s.db");
    Files.writeString(file, "this is not a Chronicle Map file, but it is not empty either");
    Files.writeString(dir.resolve("s.db.open"), "a marker: the open will try to recover this file");
    long before = openFiles();
    SessionStoreException x = assertThrows(SessionStoreException.class, () -> SessionStores.file(file));
    assertTrue(x.getMessage().contains("cannot open session store"), x.getMessage());
    assertNoMoreThan(before, "after a failed open");
    Files.delete(file);
    Files.delete(dir.resolve("s.db.open"));
    try (SessionStore s = SessionStores.file(file)) { // the lock was released: a new open succeeds
      assertNotNull(s);
    }
  }

  @Test
  void aSecondOpenOfAFileInUseFailsWithoutLeavingAFileOpen() throws Exception {
    Path file = dir.resolve("s.db");
    try (SessionStore first = SessionStores.file(file)) {
      long before = openFiles();
      assertThrows(StoreInUseException.class, () -> SessionEngine.builder().store(SessionStores.file(file)).build());
      assertNoMoreThan(before, "after a refused second open");
      assertNotNull(first);
    }
  }

  @Test
  void anEngineWhoseStoreFailsAtStartClosesTheStoreAndLeavesNoThread() {
    MapStore store = new MapStore();
    store.failing = true;
    long threads = engineThreads();
    assertThrows(SessionStoreException.class, () -> SessionEngine.builder().store(store).build());
    assertTrue(store.closed, "the engine closed the store it was given");
    assertEquals(threads, engineThreads());
  }

  static long engineThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("ephemera-engine-")).count();
  }
}
