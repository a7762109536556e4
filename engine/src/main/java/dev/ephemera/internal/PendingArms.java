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
    Stripe st = stripes[(int) Thread.currentThread().getId() & (STRIPES - 1)];
    synchronized (st) {
      SessionImpl h = st.head;
      s.pendingNext = h;
      if (h != null) {
        h.pendingPrev = s;
      }
      s.pendingStripe = st;
      st.head = s;
    }
  }

  /** Unlinks {@code s} if it is still waiting. */
  void remove(SessionImpl s) {
    Object o = s.pendingStripe;
    if (o == null) {
      return;
    }
    Stripe st = (Stripe) o;
    synchronized (st) {
      if (s.pendingStripe != st) {
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
      s.pendingStripe = null;
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
          s.pendingStripe = null;
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
