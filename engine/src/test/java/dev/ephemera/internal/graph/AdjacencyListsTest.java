package dev.ephemera.internal.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ephemera.internal.util.Buf;
import dev.ephemera.internal.util.Chronicle;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The block lists on their own, on a real off-heap map: a list is read back in the order it was
 * written across its head and full blocks, a bulk append leaves the same layout as one append per
 * entry, a removal moves the last entry into the gap, and a deleted or emptied list leaves no key.
 */
class AdjacencyListsTest {
  private static final byte T = 'O';
  private GraphMap map;
  private AdjacencyLists lists;

  @BeforeEach
  void open() {
    Chronicle.configure();
    map = new GraphMap(1024);
    lists = new AdjacencyLists(map, "test");
  }

  @AfterEach
  void close() {
    map.close();
  }

  private static Buf entry(int neighbor, int type, int edge) {
    return new Buf(AdjacencyLists.ADJ).putInt(neighbor).putInt(type).putInt(edge);
  }

  private int[] edgeIds(int owner) {
    Buf all = lists.read(T, owner, AdjacencyLists.ADJ, new Buf());
    int[] out = new int[all.len / AdjacencyLists.ADJ];
    for (int i = 0; i < out.length; i++) {
      out[i] = all.getInt(i * AdjacencyLists.ADJ + 8);
    }
    return out;
  }

  private static int[] range(int n) {
    int[] out = new int[n];
    Arrays.setAll(out, i -> i);
    return out;
  }

  private byte[] raw(byte tag, int owner, int block) {
    Buf v = new Buf();
    return map.get(AdjacencyLists.keyOf(new Buf(), tag, owner, block), v) ? Arrays.copyOf(v.b, v.len) : null;
  }

  /** A head's counts and the entries it holds, without the room it keeps to spare. */
  private byte[] usedPartOfHead(int owner) {
    byte[] head = raw(T, owner, 0);
    Buf b = new Buf();
    b.putBytes(head, 0, head.length);
    int inHead = b.getInt(4);
    return Arrays.copyOf(head, AdjacencyLists.HDR + inHead * AdjacencyLists.ADJ);
  }

  @Test
  void aListReadsBackInAppendOrderAcrossHeadAndFullBlocks() {
    int n = 3 * AdjacencyLists.BLOCK + 17;
    for (int i = 0; i < n; i++) {
      lists.append(T, 5, AdjacencyLists.ADJ, entry(100 + i, 1, i));
    }
    assertEquals(n, lists.size(T, 5));
    assertArrayEquals(range(n), edgeIds(5));
    assertNotNull(raw(T, 5, 3), "three full blocks were written");
    assertEquals(0, lists.size(T, 6));
    assertEquals(0, edgeIds(6).length);
  }

  @Test
  void aBulkAppendLeavesTheSameLayoutAsOneAppendPerEntry() {
    int n = 2 * AdjacencyLists.BLOCK + 9;
    Buf bulk = new Buf();
    for (int i = 0; i < n; i++) {
      lists.append(T, 1, AdjacencyLists.ADJ, entry(i, 0, i));
      bulk.putBytes(entry(i, 0, i).b, 0, AdjacencyLists.ADJ);
    }
    lists.appendAll(T, 2, AdjacencyLists.ADJ, bulk, n);
    for (int block = 1; block <= 2; block++) {
      assertArrayEquals(raw(T, 1, block), raw(T, 2, block), "block " + block);
    }
    assertArrayEquals(usedPartOfHead(1), usedPartOfHead(2), "the head's counts and entries (its spare room may differ)");
    // and a bulk append onto a list that has entries already continues it
    lists.appendAll(T, 2, AdjacencyLists.ADJ, entry(7, 0, n).copy(), 1);
    lists.append(T, 1, AdjacencyLists.ADJ, entry(7, 0, n));
    assertArrayEquals(usedPartOfHead(1), usedPartOfHead(2));
    assertArrayEquals(range(n + 1), edgeIds(2));
  }

  @Test
  void removingAnEntryMovesTheLastOneIntoItsPlace() {
    for (int i = 0; i < 5; i++) {
      lists.append(T, 3, AdjacencyLists.ADJ, entry(i, 0, i));
    }
    assertTrue(lists.remove(T, 3, AdjacencyLists.ADJ, 8, 1));
    assertArrayEquals(new int[] {0, 4, 2, 3}, edgeIds(3));
    assertFalse(lists.remove(T, 3, AdjacencyLists.ADJ, 8, 1), "already gone");
    assertFalse(lists.remove(T, 9, AdjacencyLists.ADJ, 8, 0), "no such list");
    assertEquals(4, lists.size(T, 3));
  }

  @Test
  void removingFromAFullBlockRefillsFromTheHeadAndTheOrderStaysAPermutation() {
    int n = 2 * AdjacencyLists.BLOCK; // two full blocks' worth: the head holds the second
    for (int i = 0; i < n; i++) {
      lists.append(T, 4, AdjacencyLists.ADJ, entry(i, 0, i));
    }
    assertTrue(lists.remove(T, 4, AdjacencyLists.ADJ, 8, 3)); // in block 1
    int[] left = edgeIds(4);
    assertEquals(n - 1, left.length);
    int[] sorted = left.clone();
    Arrays.sort(sorted);
    int[] expected = new int[n - 1];
    for (int i = 0, j = 0; i < n; i++) {
      if (i != 3) {
        expected[j++] = i;
      }
    }
    assertArrayEquals(expected, sorted);
    assertEquals(n - 1, left[3], "the head's last entry took the removed one's place");
  }

  @Test
  void anEmptiedOrDeletedListLeavesNoKeyBehind() {
    lists.append(T, 1, AdjacencyLists.ADJ, entry(0, 0, 0));
    assertTrue(lists.remove(T, 1, AdjacencyLists.ADJ, 8, 0));
    assertTrue(map.isEmpty());
    for (int i = 0; i < 2 * AdjacencyLists.BLOCK + 3; i++) {
      lists.append(T, 2, AdjacencyLists.ADJ, entry(i, 0, i));
    }
    lists.delete(T, 2, AdjacencyLists.ADJ);
    assertTrue(map.isEmpty());
  }

  @Test
  void aSnapshotHoldsEachNodesListInReadOrder() {
    for (int i = 0; i < AdjacencyLists.BLOCK + 2; i++) {
      lists.append(T, 0, AdjacencyLists.ADJ, entry(1, 9, i));
    }
    lists.append(T, 2, AdjacencyLists.ADJ, entry(0, 8, 500));
    int edges = AdjacencyLists.BLOCK + 3;
    try (CsrSnapshot s = lists.snapshot(T, 3, edges)) {
      assertNotNull(s);
      assertEquals(0, s.start(0));
      assertEquals(AdjacencyLists.BLOCK + 2, s.end(0));
      assertEquals(s.end(0), s.start(1));
      assertEquals(s.start(1), s.end(1), "node 1 has no list");
      assertEquals(1, s.end(2) - s.start(2));
      assertEquals(0, s.target(s.start(2)));
      assertEquals(8, s.type(s.start(2)));
      assertEquals(1, s.target(0));
      assertEquals(9, s.type(0));
    }
    assertEquals(null, lists.snapshot(T, 3, edges + 1), "counts that disagree give no snapshot");
  }
}
