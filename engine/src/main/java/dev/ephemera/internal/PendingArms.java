package dev.ephemera.internal;

import java.util.function.Consumer;

/**
 * Sessions opened since the engine's last tick, waiting to be put in the expiry timer. Striped,
 * intrusive doubly-linked lists: adding and removing are O(1) under an uncontended stripe lock
 * and allocate nothing, so a session closed before the tick is simply unlinked and leaves no
 * garbage behind for the collector to copy (a plain queue would keep every short-lived session
 * reachable until the next tick).
 */
final class PendingArms {
  private static final int STRIPES = 16;
  /** {@link SessionImpl#pendingStripe} of a session in no list. */
  static final byte NONE = -1;

  private static final class Stripe {
    SessionImpl head;
  }

  private final Stripe[] stripes = new Stripe[STRIPES];

  PendingArms() {
    for (int i = 0; i < STRIPES; i++) {
      stripes[i] = new Stripe();
    }
  }

  void add(SessionImpl s) {
    int index = (int) Thread.currentThread().getId() & (STRIPES - 1);
    Stripe st = stripes[index];
    synchronized (st) {
      SessionImpl h = st.head;
      s.pendingNext = h;
      if (h != null) {
        h.pendingPrev = s;
      }
      s.pendingStripe = (byte) index;
      st.head = s;
    }
  }

  /** Unlinks {@code s} if it is still waiting. */
  void remove(SessionImpl s) {
    int index = s.pendingStripe;
    if (index == NONE) {
      return;
    }
    Stripe st = stripes[index];
    synchronized (st) {
      if (s.pendingStripe != index) {
        return; // taken by a drain meanwhile
      }
      SessionImpl p = s.pendingPrev;
      SessionImpl n = s.pendingNext;
      if (p != null) {
        p.pendingNext = n;
      } else {
        st.head = n;
      }
      if (n != null) {
        n.pendingPrev = p;
      }
      s.pendingPrev = s.pendingNext = null;
      s.pendingStripe = NONE;
    }
  }

  /** Takes every waiting session off the lists and hands each to {@code action}, outside the locks. */
  void drain(Consumer<SessionImpl> action) {
    for (Stripe st : stripes) {
      SessionImpl list;
      synchronized (st) {
        list = st.head;
        st.head = null;
        for (SessionImpl s = list; s != null; s = s.pendingNext) {
          s.pendingStripe = NONE;
        }
      }
      while (list != null) {
        SessionImpl next = list.pendingNext;
        list.pendingPrev = list.pendingNext = null;
        action.accept(list);
        list = next;
      }
    }
  }

  void clear() {
    drain(s -> { });
  }
}
