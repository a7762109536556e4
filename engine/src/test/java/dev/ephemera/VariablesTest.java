package dev.ephemera;

import static org.junit.jupiter.api.Assertions.*;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VariablesTest {
  final SessionEngine engine = SessionEngine.builder()
      .ticker(new FakeTicker())
      .maxValueBytes(1000)
      .maxSessionBytes(3000)
      .build();
  final Session s = engine.open();

  @AfterEach
  void close() {
    engine.close();
  }

  @Test
  void setThenGetReturnsEachSupportedType() {
    Instant now = Instant.parse("2026-11-22T10:15:30.123456789Z");
    s.set("n", null);
    s.set("b", true);
    s.set("l", 42L);
    s.set("d", 2.5);
    s.set("big", new BigDecimal("12345678901234567890.123"));
    s.set("str", "tenant_123");
    s.set("bytes", new byte[] {1, 2, 3});
    s.set("at", now);
    s.set("list", List.of(1L, "two", 3.0));
    s.set("map", Map.of("k", "v"));
    assertNull(s.get("n"));
    assertTrue(s.variables().containsKey("n"), "a variable set to null exists");
    assertEquals(true, s.get("b"));
    assertEquals(42L, s.get("l"));
    assertEquals(2.5, s.get("d"));
    assertEquals(new BigDecimal("12345678901234567890.123"), s.get("big"));
    assertEquals("tenant_123", s.get("str", String.class));
    assertArrayEquals(new byte[] {1, 2, 3}, s.get("bytes", byte[].class));
    assertEquals(now, s.get("at", Instant.class));
    assertEquals(List.of(1L, "two", 3.0), s.get("list"));
    assertEquals(Map.of("k", "v"), s.get("map"));
  }

  @Test
  void smallIntegersWidenToLongAndFloatToDouble() {
    s.set("i", 7);
    s.set("sh", (short) 8);
    s.set("by", (byte) 9);
    s.set("f", 1.5f);
    s.set("nested", List.of(1, Map.of("x", 2)));
    assertEquals(7L, s.get("i"));
    assertEquals(8L, s.get("sh"));
    assertEquals(9L, s.get("by"));
    assertEquals(1.5, s.get("f"));
    assertEquals(List.of(1L, Map.of("x", 2L)), s.get("nested"));
  }

  @Test
  void typedGetNarrowsWholeNumbersThatFitAndRefusesTheRest() {
    s.set("step", 2);
    s.set("huge", Long.MAX_VALUE);
    s.set("name", "bob");
    assertEquals(2, s.get("step", Integer.class));
    assertEquals((short) 2, s.get("step", Short.class));
    assertEquals(2.0, s.get("step", Double.class));
    assertEquals(2L, s.get("step", long.class));
    VariableTypeException tooBig = assertThrows(VariableTypeException.class, () -> s.get("huge", Integer.class));
    assertTrue(tooBig.getMessage().contains("does not fit"), tooBig.getMessage());
    VariableTypeException wrong = assertThrows(VariableTypeException.class, () -> s.get("name", Long.class));
    assertTrue(wrong.getMessage().contains("'name' holds a String, not a Long"), wrong.getMessage());
    assertNull(s.get("unset", String.class));
  }

  @Test
  void valuesAreCopiedSoCallersCannotChangeThemBehindTheSessionsBack() {
    byte[] bytes = {1, 2, 3};
    List<Object> list = new ArrayList<>(List.of("a"));
    s.set("bytes", bytes);
    s.set("list", list);
    bytes[0] = 99;
    list.add("b");
    assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) s.get("bytes"));
    ((byte[]) s.get("bytes"))[1] = 99;
    assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) s.get("bytes"));
    assertEquals(List.of("a"), s.get("list"));
    @SuppressWarnings("unchecked")
    List<Object> got = (List<Object>) s.get("list");
    assertThrows(UnsupportedOperationException.class, () -> got.add("c"));
  }

  @Test
  void unsupportedTypesAreRefusedAndChangeNothing() {
    s.set("keep", "x");
    UnsupportedValueException e = assertThrows(UnsupportedValueException.class, () -> s.set("keep", new Date()));
    assertTrue(e.getMessage().contains("Date") && e.getMessage().contains("'keep'"), e.getMessage());
    assertThrows(UnsupportedValueException.class, () -> s.set("obj", new Object()));
    assertThrows(UnsupportedValueException.class, () -> s.set("m", Map.of(1, "x")));
    assertThrows(UnsupportedValueException.class, () -> s.set("l", List.of(new StringBuilder())));
    // a stored map key is UTF-8, which cannot hold an unpaired surrogate (a string value can: it is kept exactly)
    UnsupportedValueException lone = assertThrows(UnsupportedValueException.class,
        () -> s.set("m", List.of(Map.of("k\uD800", 1L))));
    assertTrue(lone.getMessage().contains("unpaired surrogate at index 1"), lone.getMessage());
    assertEquals(Map.of("keep", "x"), s.variables());
    s.set("lone", "\uD800");
    assertEquals("\uD800", s.get("lone"));
  }

  @Test
  void cyclicOrDeeplyNestedValuesAreRefused() {
    List<Object> cyclic = new ArrayList<>();
    cyclic.add(cyclic);
    assertThrows(UnsupportedValueException.class, () -> s.set("c", cyclic));
    Object deep = "leaf";
    for (int i = 0; i < 40; i++) {
      deep = List.of(deep);
    }
    Object tooDeep = deep;
    assertThrows(UnsupportedValueException.class, () -> s.set("d", tooDeep));
    assertEquals(Map.of(), s.variables());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "1abc", "a-b", "a b", "a;DROP TABLE x", "#flash", "ä", "a\u0000"})
  void invalidNamesAreRefusedWithATypedError(String name) {
    InvalidNameException e = assertThrows(InvalidNameException.class, () -> s.set(name, 1));
    assertTrue(e.getMessage().startsWith("variable name"), e.getMessage());
    assertThrows(InvalidNameException.class, () -> s.get(name));
    assertThrows(InvalidNameException.class, () -> s.reset(name));
    assertThrows(InvalidNameException.class, () -> s.flash(name, 1));
    assertEquals(Map.of(), s.variables());
  }

  @Test
  void namesUpTo128CharactersAreAccepted() {
    s.set("a".repeat(128), 1);
    assertEquals(1L, s.get("a".repeat(128)));
    assertThrows(InvalidNameException.class, () -> s.set("a".repeat(129), 1));
    assertThrows(InvalidNameException.class, () -> s.set(null, 1));
    assertThrows(InvalidNameException.class, () -> s.get(null));
  }

  @Test
  void oversizedValuesAreRefusedAndChangeNothing() {
    s.set("a", "x".repeat(100));
    ValueTooLargeException e = assertThrows(ValueTooLargeException.class, () -> s.set("a", "x".repeat(501)));
    assertEquals(1002, e.size());
    assertEquals(1000, e.limit());
    assertTrue(e.getMessage().contains("per-value limit"), e.getMessage());
    assertEquals("x".repeat(100), s.get("a"));
    assertThrows(ValueTooLargeException.class, () -> s.set("b", new byte[1001]));
  }

  @Test
  void theSessionTotalIsLimitedAndReplacingAValueFreesItsSpace() {
    s.set("a", "x".repeat(450)); // 900 bytes + 2 for the name
    s.set("b", "x".repeat(450));
    s.set("c", "x".repeat(450));
    ValueTooLargeException e = assertThrows(ValueTooLargeException.class, () -> s.set("d", "x".repeat(450)));
    assertTrue(e.getMessage().contains("per-session limit"), e.getMessage());
    assertEquals(3, s.variables().size());
    s.set("a", "small"); // replacing frees the old value's bytes
    s.set("d", "x".repeat(450));
    s.reset("b");
    s.set("e", "x".repeat(450));
    assertEquals(List.of("a", "c", "d", "e"), new ArrayList<>(s.variables().keySet()));
  }

  @Test
  void resetRemovesOneAndResetAllRemovesEverything() {
    s.set("a", 1);
    s.set("b", 2);
    s.flash("f", "once");
    assertTrue(s.reset("a"));
    assertFalse(s.reset("a"));
    assertEquals(Map.of("b", 2L), s.variables());
    s.resetAll();
    assertEquals(Map.of(), s.variables());
    assertNull(s.takeFlash("f"), "resetAll removes flash values too");
  }

  @Test
  void variablesIsAnImmutableSortedSnapshot() {
    s.set("b", 2);
    s.set("a", 1);
    Map<String, Object> snap = s.variables();
    s.set("c", 3);
    assertEquals(List.of("a", "b"), new ArrayList<>(snap.keySet()));
    assertThrows(UnsupportedOperationException.class, () -> snap.put("x", 1));
  }

  @Test
  void flashValuesAreReturnedOnceAndAreNotVariables() {
    s.flash("notice", "saved");
    assertEquals(Map.of(), s.variables());
    assertNull(s.get("notice"));
    assertEquals("saved", s.takeFlash("notice"));
    assertNull(s.takeFlash("notice"));
  }

  @Test
  void variablesArePrivateToTheirSession() {
    Session other = engine.open();
    s.set("tenant", "a");
    other.set("tenant", "b");
    assertEquals("a", s.get("tenant"));
    assertEquals("b", other.get("tenant"));
    s.reset("tenant");
    assertEquals("b", other.get("tenant"));
  }

  @Test
  void manyVariablesBehaveLikeAMapUnderRandomChanges() {
    SessionEngine big = SessionEngine.builder().ticker(new FakeTicker()).build();
    try {
      Session b = big.open();
      Map<String, Object> model = new HashMap<>();
      Random r = new Random(42);
      for (int i = 0; i < 50_000; i++) {
        String k = "v" + r.nextInt(300);
        switch (r.nextInt(4)) {
          case 0, 1 -> {
            long v = r.nextLong();
            b.set(k, v);
            model.put(k, v);
          }
          case 2 -> assertEquals(model.remove(k) != null, b.reset(k));
          default -> assertEquals(model.get(k), b.get(k));
        }
      }
      assertEquals(new java.util.TreeMap<>(model), b.variables());
    } finally {
      big.close();
    }
  }

  @Test
  void concurrentWritersAndReadersNeverSeeAValueOfAnotherName() throws Exception {
    int names = 64;
    for (int i = 0; i < names; i++) {
      s.set("k" + i, "k" + i + ":0");
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < 2; t++) {
      int seed = t;
      futures.add(pool.submit(() -> {
        start.await();
        Random r = new Random(seed);
        for (int i = 0; i < 200_000; i++) {
          int k = r.nextInt(names);
          if (r.nextInt(8) == 0) {
            s.reset("k" + k);
          }
          s.set("k" + k, "k" + k + ":" + i);
        }
        return null;
      }));
      futures.add(pool.submit(() -> {
        start.await();
        Random r = new Random(seed + 100);
        for (int i = 0; i < 400_000; i++) {
          int k = r.nextInt(names);
          Object v = s.get("k" + k);
          if (v != null && !((String) v).startsWith("k" + k + ":")) {
            throw new AssertionError("read " + v + " for k" + k);
          }
        }
        return null;
      }));
    }
    start.countDown();
    for (Future<?> f : futures) {
      f.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();
    assertEquals(names, s.variables().size());
  }

  @Test
  void mapValuesKeepTheirOrder() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("z", 1);
    m.put("a", 2);
    s.set("m", m);
    assertEquals(List.of("z", "a"), new ArrayList<>(((Map<?, ?>) s.get("m")).keySet()));
  }
}
