package dev.ephemera;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** When the engine writes to its store: write-through, write-behind, transactions, activity, failures. */
class WritePolicyTest {
  final VirtualTime time = new VirtualTime();

  @Test
  void writeThroughSavesEachChangeBeforeTheCallReturns() {
    MapStore store = new MapStore();
    try (SessionEngine e = time.builder().store(store).build()) {
      Session s = e.open();
      assertNotNull(store.get(s.id()), "saved at open");
      s.set("a", 1);
      assertEquals(1L, store.get(s.id()).variables().get("a"));
      s.flash("f", "x");
      assertEquals("x", store.get(s.id()).flash().get("f"));
      s.takeFlash("f");
      assertEquals(java.util.Map.of(), store.get(s.id()).flash());
      s.reset("a");
      assertFalse(store.get(s.id()).variables().containsKey("a"));
      s.setPriority(3);
      assertEquals(3, store.get(s.id()).priority());
      byte[] before = store.get(s.id()).tokenHash();
      s.rotateToken();
      assertFalse(java.util.Arrays.equals(before, store.get(s.id()).tokenHash()), "the rotated token's hash is stored");
      s.close();
      assertNull(store.get(s.id()), "deleted at close");
    }
    assertTrue(store.closed, "the engine closes its store");
  }

  @Test
  void readsDoNotWriteAndActivityIsWrittenAtMostOnceASecond() {
    MapStore store = new MapStore();
    try (SessionEngine e = time.builder().store(store).build()) {
      Session s = e.open();
      s.set("a", 1);
      int saves = store.saves.get();
      for (int i = 0; i < 100; i++) {
        s.get("a");
        e.resume(s.token());
        s.touch();
      }
      assertEquals(saves, store.saves.get(), "no time passed: nothing to write");
      time.advance(Duration.ofMillis(1500));
      e.resume(s.token());
      assertEquals(saves + 1, store.saves.get());
      assertEquals(s.info().lastActiveAt(), store.get(s.id()).lastActiveAt());
    }
  }

  @Test
  void writeBehindSavesWithinTheDelayAndAtClose() {
    MapStore store = new MapStore();
    SessionEngine e = time.builder().store(store).writeBehind(Duration.ofMillis(200)).build();
    Session s = e.open();
    e.runMaintenance();
    s.set("a", 1);
    s.set("b", 2);
    assertNull(store.get(s.id()).variables().get("a"), "not written yet");
    e.runMaintenance(); // with an injected ticker the flush runs here (else on the engine's thread)
    assertEquals(2L, store.get(s.id()).variables().get("b"));
    s.set("c", 3);
    e.close();
    assertEquals(3L, store.get(s.id()).variables().get("c"), "engine close writes what is queued");
  }

  @Test
  void writeBehindNeedsAPersistentStore() {
    IllegalStateException x = assertThrows(IllegalStateException.class,
        () -> SessionEngine.builder().writeBehind(Duration.ofSeconds(1)).build());
    assertTrue(x.getMessage().contains("needs a persistent store"), x.getMessage());
    assertThrows(IllegalArgumentException.class, () -> SessionEngine.builder().writeBehind(Duration.ZERO));
    assertThrows(IllegalStateException.class,
        () -> SessionEngine.builder().store(new MapStore()).store(new MapStore()));
  }

  @Test
  void aFailedWriteThroughSaveIsReportedToTheCallerAndCounted() {
    MapStore store = new MapStore();
    try (SessionEngine e = time.builder().store(store).build()) {
      Session s = e.open();
      store.failing = true;
      SessionStoreException x = assertThrows(SessionStoreException.class, () -> s.set("a", 1));
      assertTrue(x.getMessage().contains("failing on purpose"), x.getMessage());
      assertEquals(1, e.stats().storeFailures());
      SessionStoreException open = assertThrows(SessionStoreException.class, e::open);
      assertNotNull(open);
      assertEquals(1, e.stats().active(), "a session whose first save failed is not left behind");
      store.failing = false;
      s.set("a", 2);
      assertEquals(2L, store.get(s.id()).variables().get("a"));
    }
  }

  @Test
  void theMemoryStoreIsNoStoreAtAll() {
    try (SessionEngine e = time.builder().store(SessionStores.memory()).build()) {
      e.open().set("a", 1);
      assertEquals(0, e.stats().storeWrites());
    }
  }
}
