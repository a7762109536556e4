package dev.ephemera.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * The engine's registry of sessions by id: lock-free look-ups, writes under one of 16 segment
 * locks. Built for the resume path, where the look-up is a chain of cache misses over many
 * sessions: a {@code ConcurrentHashMap} goes table slot, then node, then key (the session); this
 * table goes slot (a tag beside the session reference, in two arrays read side by side), then the
 * session: one dependent miss less.
 *
 * <p>Each segment is an open-addressing table (linear probing) of two parallel arrays: a
 * {@code long} tag per slot ({@link #EMPTY}, {@link #GONE} for a removed entry, or the id's high
 * word with bit 1 set) and the session. A reader probes the tags and compares the ids of the
 * sessions whose tag matches; a writer, under the segment's lock, stores the session, then
 * publishes its tag with a release store (a reader that sees the tag sees the session). Removal
 * marks the slot {@link #GONE} (probe chains stay whole); a segment is rebuilt into new arrays
 * when live plus removed slots pass half its capacity (or live entries fall to an eighth), and the
 * new arrays are published with a volatile store. A reader on replaced arrays sees the registry
 * as it was a moment before: callers check {@link SessionImpl#isLive()} as they did with the map.
 *
 * <p>Iteration is weakly consistent, like a {@code ConcurrentHashMap}'s: a session registered for
 * the whole iteration is seen; one registered or removed meanwhile may or may not be.
 */
final class SessionTable<S extends IdKey> {
  static final long EMPTY = 0;
  static final long GONE = 1;
  private static final int SEGMENTS = 16;
  private static final int MIN_CAPACITY = 16;
  private static final VarHandle TAGS = MethodHandles.arrayElementVarHandle(long[].class);
  private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(IdKey[].class);

  /** A segment's arrays; replaced whole when the segment is rebuilt. */
  private static final class Arrays {
    final long[] tags;
    final IdKey[] slots;

    Arrays(int capacity) {
      tags = new long[capacity];
      slots = new IdKey[capacity];
    }
  }

  private static final class Segment {
    volatile Arrays arrays = new Arrays(MIN_CAPACITY);
    int live; // under the segment's lock
    int used; // live + GONE slots, under the lock
  }

  private final Segment[] segments = new Segment[SEGMENTS];

  SessionTable() {
    for (int i = 0; i < SEGMENTS; i++) {
      segments[i] = new Segment();
    }
  }

  private static int hash(long hi, int lo) {
    int h = (int) (hi ^ (hi >>> 32)) ^ lo;
    return h ^ (h >>> 16);
  }

  private static long tag(long hi) {
    return hi | 2; // never EMPTY or GONE; a hint only, the session's own id decides
  }

  private Segment segment(int h) {
    return segments[h >>> 28];
  }

  /** The session registered under this id, or {@code null}. */
  S get(IdKey key) {
    return get(key.hi, key.lo);
  }

  /** The session registered under the id {@code (hi, lo)}, or {@code null}. */
  @SuppressWarnings("unchecked")
  S get(long hi, int lo) {
    int h = hash(hi, lo);
    Arrays a = segment(h).arrays;
    long[] tags = a.tags;
    IdKey[] slots = a.slots;
    int mask = tags.length - 1;
    long tag = tag(hi);
    for (int i = h & mask, n = 0; n <= mask; i = (i + 1) & mask, n++) {
      long t = (long) TAGS.getAcquire(tags, i);
      if (t == EMPTY) {
        return null;
      }
      if (t == tag) {
        IdKey s = (IdKey) SLOTS.getAcquire(slots, i);
        if (s != null && s.hi == hi && s.lo == lo) {
          return (S) s;
        }
      }
    }
    return null;
  }

  /** Registers {@code s}, replacing a session with the same id. */
  void put(S s) {
    insert(s, true);
  }

  /** Registers {@code s} unless a session with its id is registered; returns that one, or {@code null}. */
  S putIfAbsent(S s) {
    return insert(s, false);
  }

  @SuppressWarnings("unchecked")
  private S insert(S s, boolean replace) {
    int h = hash(s.hi, s.lo);
    Segment seg = segment(h);
    synchronized (seg) {
      Arrays a = seg.arrays;
      int mask = a.tags.length - 1;
      long tag = tag(s.hi);
      int free = -1;
      for (int i = h & mask, n = 0; n <= mask; i = (i + 1) & mask, n++) {
        long t = a.tags[i];
        if (t == EMPTY) {
          if (free < 0) {
            free = i;
          }
          break;
        }
        if (t == GONE) {
          if (free < 0) {
            free = i;
          }
        } else if (t == tag) {
          IdKey had = a.slots[i];
          if (had.hi == s.hi && had.lo == s.lo) {
            if (replace) {
              SLOTS.setRelease(a.slots, i, s);
            }
            return (S) had;
          }
        }
      }
      boolean reusesGone = a.tags[free] == GONE;
      a.slots[free] = s;
      TAGS.setRelease(a.tags, free, tag); // publishes the session stored above
      seg.live++;
      if (!reusesGone) {
        seg.used++;
      }
      if (seg.used * 2 > a.tags.length) {
        rebuild(seg, a);
      }
      return null;
    }
  }

  /** Removes {@code s} (this very session, not another with its id); whether it was registered. */
  boolean remove(S s) {
    int h = hash(s.hi, s.lo);
    Segment seg = segment(h);
    synchronized (seg) {
      Arrays a = seg.arrays;
      int mask = a.tags.length - 1;
      long tag = tag(s.hi);
      for (int i = h & mask, n = 0; n <= mask; i = (i + 1) & mask, n++) {
        long t = a.tags[i];
        if (t == EMPTY) {
          return false;
        }
        if (t == tag && a.slots[i] == s) {
          TAGS.setRelease(a.tags, i, GONE);
          SLOTS.setRelease(a.slots, i, null);
          seg.live--;
          if (a.tags.length > MIN_CAPACITY && seg.live * 8 < a.tags.length) {
            rebuild(seg, a);
          }
          return true;
        }
      }
      return false;
    }
  }

  /** Copies the live entries into arrays of a capacity for them (at most a quarter full); callers hold the lock. */
  private static void rebuild(Segment seg, Arrays old) {
    int capacity = MIN_CAPACITY;
    while (capacity < seg.live * 4) {
      capacity <<= 1;
    }
    Arrays a = new Arrays(capacity);
    int mask = capacity - 1;
    for (int j = 0; j < old.tags.length; j++) {
      IdKey s = old.slots[j];
      if (old.tags[j] != EMPTY && old.tags[j] != GONE && s != null) {
        int i = hash(s.hi, s.lo) & mask;
        while (a.tags[i] != EMPTY) {
          i = (i + 1) & mask;
        }
        a.slots[i] = s;
        a.tags[i] = tag(s.hi);
      }
    }
    seg.used = seg.live;
    seg.arrays = a; // volatile: publishes the filled arrays
  }

  /** The registered sessions, weakly consistent (see the class comment). */
  @SuppressWarnings("unchecked")
  List<S> values() {
    List<S> out = new ArrayList<>();
    for (Segment seg : segments) {
      Arrays a = seg.arrays;
      for (int i = 0; i < a.slots.length; i++) {
        IdKey s = (IdKey) SLOTS.getAcquire(a.slots, i);
        if (s != null) {
          out.add((S) s);
        }
      }
    }
    return out;
  }

  /** Registered sessions now (a sum over the segments, each read under its lock). */
  int size() {
    int n = 0;
    for (Segment seg : segments) {
      synchronized (seg) {
        n += seg.live;
      }
    }
    return n;
  }
}
