package dev.ephemera.internal.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** A batch's key table on its own: numbering, look-up, hash collisions, growth, its limit. */
class KeyIndexTest {
  private static int add(KeyIndex index, String key) {
    index.ensureRoom(1);
    return index.add(key, key.hashCode());
  }

  @Test
  void keysAreNumberedInOrderOfFirstAppearanceAndFoundAgain() {
    KeyIndex index = new KeyIndex();
    assertEquals(0, add(index, "alice"));
    assertEquals(1, add(index, "bob"));
    assertEquals(0, add(index, "alice"));
    assertEquals(2, index.size);
    assertEquals(1, index.find("bob", "bob".hashCode()));
    assertEquals(-1, index.find("carol", "carol".hashCode()));
    assertEquals("alice", index.keys[0]);
    assertEquals("bob", index.keys[1]);
  }

  @Test
  void anEqualStringThatIsAnotherObjectIsTheSameKey() {
    KeyIndex index = new KeyIndex();
    String a = "node-7";
    String b = new String("node-7".toCharArray());
    assertNotSame(a, b);
    assertEquals(0, add(index, a));
    assertEquals(0, add(index, b));
    assertEquals(1, index.size);
  }

  @Test
  void keysWithEqualHashCodesAreToldApart() {
    KeyIndex index = new KeyIndex();
    assertEquals("Aa".hashCode(), "BB".hashCode());
    assertEquals(0, add(index, "Aa"));
    assertEquals(1, add(index, "BB"));
    assertEquals(0, index.find("Aa", "Aa".hashCode()));
    assertEquals(1, index.find("BB", "BB".hashCode()));
    assertEquals(-1, index.find("AaAa".substring(2) + "x", ("Aax").hashCode()));
  }

  @Test
  void growingKeepsEveryNumber() {
    KeyIndex index = new KeyIndex();
    for (int i = 0; i < 10_000; i++) {
      assertEquals(i, add(index, "k" + i));
    }
    for (int i = 0; i < 10_000; i++) {
      String k = "k" + i;
      assertEquals(i, index.find(k, k.hashCode()), k);
      assertEquals(k, index.keys[i]);
    }
    assertEquals(10_000, index.size);
  }

  @Test
  void roomBeyondTheLimitIsRefusedAndNothingChanges() {
    KeyIndex index = new KeyIndex();
    add(index, "a");
    index.size = KeyIndex.MAX_KEYS - 1; // as if it held all but one
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> index.ensureRoom(2));
    assertEquals("an edge batch holds at most " + KeyIndex.MAX_KEYS + " distinct keys; load it first", e.getMessage());
    assertEquals(KeyIndex.MAX_KEYS - 1, index.size);
    index.size = 1;
    assertEquals(0, index.find("a", "a".hashCode()));
  }
}
