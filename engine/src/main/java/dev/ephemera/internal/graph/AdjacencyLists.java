package dev.ephemera.internal.graph;

import dev.ephemera.internal.util.Buf;

/**
 * The lists of a temporary graph's map ({@link GraphMap}): each node's outgoing and incoming
 * adjacency, each label's nodes. A list is a head under key {@code tag id 0} — the list's total
 * count, the count in the head, then up to {@link #BLOCK} entries, stored with room to spare — and
 * full blocks of {@link #BLOCK} entries under {@code tag id b} for {@code b ≥ 1}. An append
 * rewrites only the head (at most {@code 8 + 12 × 64} bytes); when the head is full it moves to a
 * new numbered block, so loading is linear in entries, also for a hub. Entries are fixed-width:
 * {@link #ADJ} bytes (neighbor, type, edge id) for adjacency, {@link #ONE} (a node id) for labels.
 *
 * <p>Not thread-safe: its graph serializes the calls (the scratch buffers are shared).
 */
final class AdjacencyLists {
  /** Entries in a full block, and the most a head holds. */
  static final int BLOCK = 64;
  /** Bytes of an adjacency entry: neighbor, type, edge id. */
  static final int ADJ = 12;
  /** Bytes of a label entry: a node id. */
  static final int ONE = 4;
  /** Bytes before a head's entries: the list's total count, then the entries in the head. */
  static final int HDR = 8;
  /** Entries a new head has room for; it doubles up to {@link #BLOCK}. */
  private static final int FIRST_CAPACITY = 4;

  private final GraphMap store;
  /** The graph's name, for messages. */
  private final String graph;

  // scratch buffers
  private final Buf k = new Buf(16);
  private final Buf v = new Buf();
  /** The block number a full head moved to in the last append, or 0. */
  private int spill;
  private final Buf headKey = new Buf(16);
  private final Buf head = new Buf(HDR + ADJ * BLOCK);
  private final Buf blockKey = new Buf(16);
  private final Buf block = new Buf(ADJ * BLOCK);

  AdjacencyLists(GraphMap store, String graph) {
    this.store = store;
    this.graph = graph;
  }

  static Buf keyOf(Buf b, byte tag, int id) {
    b.clear().put(tag).putInt(id);
    return b;
  }

  static Buf keyOf(Buf b, byte tag, int id, int block) {
    b.clear().put(tag).putInt(id).putInt(block);
    return b;
  }

  /** The number of entries in a list. */
  int size(byte tag, int owner) {
    return store.get(keyOf(k, tag, owner, 0), v) ? v.getInt(0) : 0;
  }

  /**
   * Appends one entry ({@code w} bytes of {@code e}) to a list: one read-and-replace of its head.
   * A head is stored with room to spare (4, 8, … {@link #BLOCK} entries) so that Chronicle does
   * not move it on every append; a full head first moves to a new numbered block.
   */
  void append(byte tag, int owner, int w, Buf e) {
    spill = 0;
    store.update(keyOf(headKey, tag, owner, 0), head, (h, present) -> {
      if (!present) {
        h.clear().putInt(0).putInt(0);
        h.ensure(HDR + FIRST_CAPACITY * w);
        h.len = HDR + FIRST_CAPACITY * w;
      }
      int total = h.getInt(0);
      int inHead = h.getInt(4);
      int capacity = (h.len - HDR) / w;
      if (inHead == BLOCK) { // the block is written below, outside this map context
        spill = (total - inHead) / BLOCK + 1;
        block.clear().putBytes(h.b, HDR, BLOCK * w);
        inHead = 0;
      } else if (inHead == capacity) {
        int bigger = Math.min(BLOCK, capacity * 2);
        h.ensure(HDR + bigger * w);
        h.len = HDR + bigger * w;
      }
      System.arraycopy(e.b, 0, h.b, HDR + inHead * w, w);
      h.setInt(0, total + 1);
      h.setInt(4, inHead + 1);
    });
    if (spill > 0) {
      store.put(keyOf(blockKey, tag, owner, spill), block);
    }
  }

  /**
   * Appends {@code count} entries ({@code w} bytes each, back to back in {@code entries}) to a
   * list with one read of its head and one write per block filled: the same counts, entries and
   * blocks {@link #append} leaves after {@code count} single appends (only the head's spare room
   * may differ: this sizes it to what it holds, append keeps what it grew to).
   */
  void appendAll(byte tag, int owner, int w, Buf entries, int count) {
    Buf h = head;
    int total;
    int inHead;
    if (store.get(keyOf(headKey, tag, owner, 0), h)) {
      total = h.getInt(0);
      inHead = h.getInt(4);
    } else {
      h.clear().putInt(0).putInt(0);
      total = 0;
      inHead = 0;
    }
    for (int done = 0; done < count;) {
      if (inHead == BLOCK) { // a full head moves to the next numbered block
        block.clear().putBytes(h.b, HDR, BLOCK * w);
        store.put(keyOf(blockKey, tag, owner, (total - inHead) / BLOCK + 1), block);
        inHead = 0;
      }
      int take = Math.min(count - done, BLOCK - inHead);
      h.ensure(HDR + (inHead + take) * w);
      System.arraycopy(entries.b, done * w, h.b, HDR + inHead * w, take * w);
      inHead += take;
      total += take;
      done += take;
    }
    int capacity = FIRST_CAPACITY;
    while (capacity < inHead) {
      capacity *= 2;
    }
    h.ensure(HDR + capacity * w);
    h.len = HDR + capacity * w;
    h.setInt(0, total);
    h.setInt(4, inHead);
    store.put(headKey, h);
  }

  /** Reads a whole list into {@code out} (entries of {@code w} bytes, back to back). */
  Buf read(byte tag, int owner, int w, Buf out) {
    out.clear();
    if (!store.get(keyOf(k, tag, owner, 0), v)) {
      return out;
    }
    int total = v.getInt(0);
    int inHead = v.getInt(4);
    out.ensure(total * w);
    int full = (total - inHead) / BLOCK;
    for (int b = 1; b <= full; b++) {
      if (!store.get(keyOf(blockKey, tag, owner, b), block)) {
        throw new IllegalStateException("graph '" + graph + "' lost block " + b + " of a list");
      }
      out.putBytes(block.b, 0, block.len);
    }
    out.putBytes(v.b, HDR, inHead * w);
    return out;
  }

  /**
   * Removes the first entry whose int at {@code field} is {@code value}: the head's last entry
   * takes its place (an empty head is refilled from the last block first). Returns whether one
   * was found; a list it does not change is left exactly as it was.
   */
  boolean remove(byte tag, int owner, int w, int field, int value) {
    Buf hk = keyOf(new Buf(16), tag, owner, 0);
    Buf h = new Buf(HDR + w * BLOCK);
    if (!store.get(hk, h)) {
      return false;
    }
    int total = h.getInt(0);
    int inHead = h.getInt(4);
    int full = (total - inHead) / BLOCK;
    int at = -1;
    for (int i = 0; i < inHead && at < 0; i++) {
      if (h.getInt(HDR + i * w + field) == value) {
        at = HDR + i * w;
      }
    }
    Buf bkey = new Buf(16);
    Buf blk = new Buf(BLOCK * w);
    int inBlock = 0;
    for (int b = 1; b <= full && at < 0; b++) {
      store.get(keyOf(bkey, tag, owner, b), blk);
      for (int i = 0; i < BLOCK; i++) {
        if (blk.getInt(i * w + field) == value) {
          at = i * w;
          inBlock = b;
          break;
        }
      }
    }
    if (at < 0) {
      return false;
    }
    if (inHead == 0) { // refill the head from the last full block
      Buf last = keyOf(new Buf(16), tag, owner, full);
      Buf lastBlock = blk;
      if (inBlock != full) {
        lastBlock = new Buf(BLOCK * w);
        store.get(last, lastBlock);
      }
      h.ensure(HDR + BLOCK * w);
      System.arraycopy(lastBlock.b, 0, h.b, HDR, BLOCK * w);
      h.len = HDR + BLOCK * w;
      store.remove(last);
      inHead = BLOCK;
      if (inBlock == full) { // the entry moved into the head with its block
        at += HDR;
        inBlock = 0;
      }
    }
    int lastAt = HDR + (inHead - 1) * w;
    if (inBlock == 0) {
      System.arraycopy(h.b, lastAt, h.b, at, w);
    } else {
      System.arraycopy(h.b, lastAt, blk.b, at, w);
      store.put(bkey, blk);
    }
    h.setInt(0, total - 1);
    h.setInt(4, inHead - 1);
    if (total == 1) {
      store.remove(hk);
    } else {
      store.put(hk, h);
    }
    return true;
  }

  /** Deletes a whole list. */
  void delete(byte tag, int owner, int w) {
    Buf hk = keyOf(new Buf(16), tag, owner, 0);
    Buf h = new Buf(HDR + w * 8);
    if (!store.get(hk, h)) {
      return;
    }
    int full = (h.getInt(0) - h.getInt(4)) / BLOCK;
    for (int b = 1; b <= full; b++) {
      store.remove(keyOf(new Buf(16), tag, owner, b));
    }
    store.remove(hk);
  }

  /** Copies one direction's adjacency into a new snapshot, in the order the map traversal reads it. */
  CsrSnapshot snapshot(byte tag, int nodes, long edges) {
    CsrSnapshot s = new CsrSnapshot(nodes, (int) edges);
    Buf head = new Buf(HDR + BLOCK * ADJ);
    Buf blk = new Buf(BLOCK * ADJ);
    Buf key = new Buf(16);
    int at = 0;
    try {
      for (int n = 0; n < nodes; n++) {
        s.offset(n, at);
        if (!store.get(keyOf(key, tag, n, 0), head)) {
          continue;
        }
        int total = head.getInt(0);
        int inHead = head.getInt(4);
        if (at + total > s.edges) {
          s.close();
          return null; // counts disagree: keep reading the map
        }
        for (int j = 0; j < inHead; j++) {
          int e = HDR + j * ADJ;
          s.edge(at++, head.getInt(e), head.getInt(e + 4), head.getInt(e + 8));
        }
        int full = (total - inHead) / BLOCK;
        for (int b = 1; b <= full; b++) {
          if (store.get(keyOf(key, tag, n, b), blk)) {
            for (int j = 0; j < BLOCK; j++) {
              s.edge(at++, blk.getInt(j * ADJ), blk.getInt(j * ADJ + 4), blk.getInt(j * ADJ + 8));
            }
          }
        }
      }
      s.offset(nodes, at);
    } catch (RuntimeException | Error e) {
      s.close();
      throw e;
    }
    if (at != s.edges) {
      s.close();
      return null;
    }
    return s;
  }
}
