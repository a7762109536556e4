package dev.ephemera.internal;

import dev.ephemera.ValueTooLargeException;
import dev.ephemera.internal.util.Values;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The variables table's writes: an overwrite takes a path that reads before it locks (the lock's
 * CAS from the version read first validates the reads); everything else goes under the lock.
 */
class VarTableTest {
  private static final long NO_LIMIT = Long.MAX_VALUE;

  private static Object put(VarTable t, String key, Object value, long max) {
    return t.put(key, value, Values.sizeOf(value), max, true);
  }

  /** What {@link VarTable#bytes} must be for the table's entries. */
  private static long accounted(VarTable t) {
    long n = 0;
    for (Map.Entry<String, Object> e : t.snapshot().entrySet()) {
      n += 2L * e.getKey().length() + Values.sizeOf(e.getValue());
    }
    return n;
  }

  @Test
  void overwritesOfEveryTypeKeepTheAccountingExact() {
    VarTable t = new VarTable();
    put(t, "a", "xy", NO_LIMIT);
    List<Object> values = List.of("longer text", 7L, true, 2.5, "", List.of("x", 1L), new byte[] {1, 2, 3},
        new java.math.BigDecimal("12345678901234567890.5"), "z");
    Object previous = "xy";
    for (Object v : values) {
      Object n = Values.normalize("a", v);
      Object old = put(t, "a", n, NO_LIMIT);
      assertSame(previous, old, "put returns the value it replaced");
      assertEquals(accounted(t), t.bytes(), "after overwriting with " + n);
      previous = n;
    }
    Object nul = put(t, "a", null, NO_LIMIT);
    assertSame(previous, nul);
    assertEquals(accounted(t), t.bytes());
    assertSame(null, t.lookup("a"));
  }

  @Test
  void anOverwritePastTheLimitThrowsAndChangesNothing() {
    VarTable t = new VarTable();
    put(t, "a", "1234", 100); // 2 + 8 bytes
    put(t, "b", "12", 100); // 2 + 4 bytes: 16 in all
    String fits = "x".repeat(43); // 16 - 8 + 86 = 94
    put(t, "a", fits, 100);
    assertEquals(94, t.bytes());
    ValueTooLargeException e = assertThrows(ValueTooLargeException.class,
        () -> put(t, "a", "y".repeat(47), 100)); // 94 - 86 + 94 = 102
    assertEquals(102, e.size());
    assertSame(fits, t.lookup("a"));
    assertEquals(94, t.bytes());
    assertEquals(accounted(t), t.bytes());
  }

  /**
   * Writers overwrite a few keys (strings of changing length, numbers, now and then a list, which
   * goes under the lock) while another adds and removes keys, so the table grows and shifts
   * entries under the overwrites. No overwrite may be lost to a concurrent rebuild or shift, and
   * the accounted size must equal the entries' when all are done.
   */
  @Test
  void overwritesRacingWithGrowthAndRemovalAreNeitherLostNorMiscounted() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      for (int round = 0; round < 20; round++) {
        VarTable t = new VarTable();
        int writers = 2;
        for (int w = 0; w < writers; w++) {
          put(t, "w" + w, "0", NO_LIMIT);
        }
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Object>> futures = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
          String key = "w" + w;
          int seed = round * 10 + w;
          futures.add(pool.submit(() -> {
            start.await();
            Random r = new Random(seed);
            Object last = null;
            for (int i = 0; i < 20_000; i++) {
              Object v = switch (r.nextInt(6)) {
                case 0 -> (long) i;
                case 1 -> Values.normalize(key, List.of(i, "x"));
                default -> "v" + i + "-".repeat(r.nextInt(5));
              };
              put(t, key, v, NO_LIMIT);
              last = v;
            }
            return last;
          }));
        }
        Future<Object> churn = pool.submit(() -> {
          start.await();
          for (int i = 0; i < 4_000; i++) {
            put(t, "c" + (i % 40), "c" + i, NO_LIMIT); // up to 40 more keys: the table grows
            if (i % 3 == 0) {
              t.remove("c" + ((i * 7) % 40)); // backward shifts move entries
            }
          }
          return null;
        });
        start.countDown();
        for (int w = 0; w < writers; w++) {
          Object last = futures.get(w).get(60, TimeUnit.SECONDS);
          assertSame(last, t.lookup("w" + w), "round " + round + ": the last overwrite of w" + w + " was lost");
        }
        churn.get(60, TimeUnit.SECONDS);
        assertEquals(accounted(t), t.bytes(), "round " + round);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
