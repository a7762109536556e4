package dev.ephemera.internal.graph;

import dev.ephemera.internal.util.Buf;
import java.util.ArrayList;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.hash.Data;
import net.openhft.chronicle.hash.serialization.SizedReader;
import net.openhft.chronicle.hash.serialization.SizedWriter;
import net.openhft.chronicle.hash.serialization.impl.EnumMarshallable;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ExternalMapQueryContext;
import net.openhft.chronicle.map.MapEntry;

/**
 * The off-heap storage of one temporary graph: one Chronicle Map from byte keys to byte values
 * (both {@link Buf}, with an explicit raw marshaller: no Java serialization anywhere). One map per
 * graph keeps {@code createTempGraph} at one map creation.
 *
 * <p>Growing: the map is created for the expected number of entries and may add segment tiers up
 * to {@link #BLOAT} times that; before a write, once fewer tiers remain than there are segments,
 * the entries are copied into a map {@link #GROWTH} times bigger and the old one closed, so a
 * graph never fails at a fixed size and the copying costs amortized O(1) per entry. (Waiting for
 * Chronicle to say it is full is not safe: the write that finds no tier left can lose another
 * entry of its segment.)
 *
 * <p>Undo: while {@link #journal} is set, each change first records the key and its old value
 * (or that it was absent), so a transaction can put them back.
 *
 * <p>Not thread-safe: its graph serializes the calls.
 */
final class GraphMap implements AutoCloseable {
  /** Segment tiers Chronicle may add on its own before we copy into a bigger map. */
  static final double BLOAT = 4;
  static final int GROWTH = 4;
  /** Bytes of a typical value (adjacency heads are 4 + 12 n bytes, node records tens of bytes). */
  private static final double AVG_VALUE = 40;
  private static final double AVG_KEY = 9;

  private ChronicleMap<Buf, Buf> map;
  private long capacity;
  /** The changes recorded for undo, as key/old-value pairs (old value {@code null}: absent). */
  ArrayList<Buf[]> journal;

  /** The capacity the store was created with ({@link #reset} goes back to it). */
  private final long firstCapacity;

  GraphMap(long expectedEntries) {
    capacity = Math.max(1024, expectedEntries);
    firstCapacity = capacity;
    map = create(capacity);
  }

  boolean isEmpty() {
    return map.longSize() == 0;
  }

  /** Drops every entry: the map is closed and an empty one of the first capacity takes its place. */
  void reset() {
    ChronicleMap<Buf, Buf> next = create(firstCapacity);
    ChronicleMap<Buf, Buf> old = map;
    map = next;
    capacity = firstCapacity;
    close(old);
  }

  /** A raw marshaller for {@link Buf}: the bytes as they are. Stateless. */
  static final class BufMarshaller implements SizedReader<Buf>, SizedWriter<Buf>, EnumMarshallable<BufMarshaller> {
    static final BufMarshaller INSTANCE = new BufMarshaller();

    private BufMarshaller() {}

    @Override
    public Buf read(Bytes<?> in, long size, Buf using) {
      int n = (int) size;
      Buf b = using == null ? new Buf(Math.max(16, n)) : using;
      b.ensure(n);
      in.read(b.b, 0, n);
      b.len = n;
      b.pos = 0;
      return b;
    }

    @Override
    public long size(Buf b) {
      return b.len;
    }

    @Override
    public void write(Bytes<?> out, long size, Buf b) {
      out.write(b.b, 0, b.len);
    }

    @Override
    public BufMarshaller readResolve() {
      return INSTANCE;
    }
  }

  static ChronicleMap<Buf, Buf> create(long entries) {
    ChronicleMap<Buf, Buf> m = ChronicleMap.of(Buf.class, Buf.class)
        .keyMarshaller(BufMarshaller.INSTANCE)
        .valueMarshaller(BufMarshaller.INSTANCE)
        .entries(entries)
        .averageKeySize(AVG_KEY)
        .averageValueSize(AVG_VALUE)
        .maxBloatFactor(BLOAT)
        .create();
    return m;
  }

  /** Reads the value of {@code key} into {@code into} (position 0); {@code false} if absent. */
  boolean get(Buf key, Buf into) {
    Buf r = map.getUsing(key, into);
    if (r == null) {
      return false;
    }
    r.pos = 0;
    return true;
  }

  private final Buf putScratch = new Buf();

  void put(Buf key, Buf value) {
    update(key, putScratch, (v, present) -> v.set(value));
  }

  /** Changes a value in place of a read and a put: one look-up. */
  @FunctionalInterface
  interface Update {
    /**
     * Gets the current value in {@code value} ({@code present} false: absent, {@code value}
     * empty) and leaves the new one there.
     */
    void apply(Buf value, boolean present);
  }

  /** Reads, changes and writes back the value of {@code key} under one segment lock. */
  void update(Buf key, Buf scratch, Update u) {
    if (map.remainingAutoResizes() < map.segments()) {
      // grow before Chronicle runs out of tiers: a write that fails for want of one can lose an
      // entry of its segment (an entry read back missing after the copy, GraphMapGrowthTest)
      grow();
    }
    for (;;) {
      try (ExternalMapQueryContext<Buf, Buf, ?> c = map.queryContext(key)) {
        c.updateLock().lock();
        MapEntry<Buf, Buf> e = c.entry();
        Buf old = null;
        if (e != null) {
          e.value().getUsing(scratch);
          scratch.pos = 0;
          if (journal != null) {
            old = scratch.copy();
          }
        } else {
          scratch.clear();
        }
        u.apply(scratch, e != null);
        Data<Buf> d = c.wrapValueAsData(scratch);
        if (e != null) {
          c.replaceValue(e, d);
        } else {
          c.insert(c.absentEntry(), d);
        }
        if (journal != null) {
          journal.add(new Buf[] {key.copy(), old});
        }
        return;
      } catch (IllegalStateException ex) {
        if (!isFull(ex)) {
          throw ex;
        }
      }
      grow();
    }
  }

  boolean remove(Buf key) {
    try (ExternalMapQueryContext<Buf, Buf, ?> c = map.queryContext(key)) {
      c.updateLock().lock();
      MapEntry<Buf, Buf> e = c.entry();
      if (e == null) {
        return false;
      }
      if (journal != null) {
        journal.add(new Buf[] {key.copy(), copy(e.value())});
      }
      c.remove(e);
      return true;
    }
  }

  /** Puts back what a journal recorded, newest first. */
  void undo(ArrayList<Buf[]> changes) {
    ArrayList<Buf[]> saved = journal;
    journal = null;
    try {
      for (int i = changes.size() - 1; i >= 0; i--) {
        Buf[] c = changes.get(i);
        if (c[1] == null) {
          remove(c[0]);
        } else {
          put(c[0], c[1]);
        }
      }
    } finally {
      journal = saved;
    }
  }

  private static Buf copy(Data<Buf> d) {
    return d.getUsing(new Buf((int) Math.max(16, d.size())));
  }

  private static boolean isFull(IllegalStateException e) {
    String m = e.getMessage();
    return m != null && m.contains("segment tier");
  }

  long capacity() {
    return capacity;
  }

  /**
   * Copies every entry into a new map of {@code size}, a capacity that held them before, then
   * closes the old one: what gives back the memory a map grew by for changes that were undone.
   */
  void rebuild(long size) {
    copyInto(size);
  }

  /** Copies every entry into a map {@link #GROWTH} times bigger, then closes the old one. */
  private void grow() {
    copyInto(Math.max(capacity * GROWTH, map.longSize() * 2));
  }

  private void copyInto(long size) {
    ChronicleMap<Buf, Buf> next = create(size);
    try {
      Buf k = new Buf();
      Buf v = new Buf();
      map.forEachEntry(e -> next.put(e.key().getUsing(k), e.value().getUsing(v)));
    } catch (RuntimeException | Error e) {
      close(next);
      throw e;
    }
    ChronicleMap<Buf, Buf> old = map;
    map = next;
    capacity = size;
    close(old);
  }

  long offHeapBytes() {
    ChronicleMap<Buf, Buf> m = map;
    return m == null ? 0 : m.offHeapMemoryUsed();
  }

  @Override
  public void close() {
    ChronicleMap<Buf, Buf> m = map;
    if (m != null) {
      map = null;
      close(m);
    }
  }

  private static void close(ChronicleMap<Buf, Buf> m) {
    m.close();
  }
}
