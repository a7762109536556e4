package dev.ephemera.internal;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The engine's registry of sessions by id: a model check, and readers never miss a registered entry. */
class SessionTableTest {
  @Test
  void behavesLikeAMapThroughGrowthRemovalsAndShrinking() {
    SessionTable<IdKey> table = new SessionTable<>();
    Map<IdKey, IdKey> model = new HashMap<>();
    Random r = new Random(7);
    List<IdKey> keys = new ArrayList<>();
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < 20_000; i++) {
        IdKey k = new IdKey(r.nextLong(), r.nextInt());
        assertNull(table.putIfAbsent(k));
        model.put(k, k);
        keys.add(k);
      }
      // remove most of them (the segments shrink), some twice
      for (int i = keys.size() - 1; i >= 0; i--) {
        if (r.nextInt(10) < 8) {
          IdKey k = keys.remove(i);
          assertTrue(table.remove(k));
          assertFalse(table.remove(k), "removed once");
          model.remove(k);
        }
      }
      assertEquals(model.size(), table.size());
      assertEquals(new HashSet<>(model.keySet()), new HashSet<>(table.values()));
      for (IdKey k : keys) {
        assertSame(k, table.get(new IdKey(k.hi, k.lo)));
        assertSame(k, table.get(k.hi, k.lo));
      }
      for (int i = 0; i < 1000; i++) {
        assertNull(table.get(r.nextLong(), r.nextInt()));
      }
    }
  }

  @Test
  void putIfAbsentKeepsTheFirstPutReplacesAndRemoveTakesOnlyThatObject() {
    SessionTable<IdKey> table = new SessionTable<>();
    IdKey a = new IdKey(42, 7);
    IdKey sameId = new IdKey(42, 7);
    IdKey tagTwin = new IdKey(42 | 2, 8); // the same tag (bit 1 set), another id
    assertNull(table.putIfAbsent(a));
    assertSame(a, table.putIfAbsent(sameId));
    assertNull(table.putIfAbsent(tagTwin));
    assertFalse(table.remove(sameId), "another object with the id is not removed");
    assertSame(a, table.get(42, 7));
    assertSame(tagTwin, table.get(42 | 2, 8));
    table.put(sameId);
    assertSame(sameId, table.get(42, 7));
    assertTrue(table.remove(sameId));
    assertNull(table.get(42, 7));
    assertSame(tagTwin, table.get(42 | 2, 8));
    assertEquals(1, table.size());
  }

  @Test
  void aReaderAlwaysFindsAnEntryRegisteredThroughoutWhileOthersComeAndGo() throws Exception {
    SessionTable<IdKey> table = new SessionTable<>();
    Random r = new Random(11);
    IdKey[] stable = new IdKey[2_000];
    for (int i = 0; i < stable.length; i++) {
      stable[i] = new IdKey(r.nextLong(), r.nextInt());
      table.put(stable[i]);
    }
    AtomicBoolean stop = new AtomicBoolean();
    AtomicReference<String> failure = new AtomicReference<>();
    Thread writer = new Thread(() -> {
      Random w = new Random(13);
      List<IdKey> churn = new ArrayList<>();
      for (int i = 0; i < 400_000 && failure.get() == null; i++) { // grows and shrinks segments many times
        if (churn.size() < 20_000 && (churn.isEmpty() || w.nextBoolean())) {
          IdKey k = new IdKey(w.nextLong(), w.nextInt());
          table.put(k);
          churn.add(k);
        } else {
          IdKey k = churn.remove(churn.size() - 1);
          if (!table.remove(k)) {
            failure.set("a churn entry was not found for removal");
          }
        }
      }
      for (IdKey k : churn) {
        table.remove(k);
      }
      stop.set(true);
    });
    writer.start();
    long lookups = 0;
    while (!stop.get() && failure.get() == null) {
      IdKey k = stable[(int) (lookups++ % stable.length)];
      if (table.get(k.hi, k.lo) != k) {
        failure.set("stable entry " + k + " not found during churn");
      }
    }
    writer.join();
    assertNull(failure.get());
    assertTrue(lookups > 0);
    assertEquals(stable.length, table.size());
  }
}
