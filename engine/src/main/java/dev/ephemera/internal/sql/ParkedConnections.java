package dev.ephemera.internal.sql;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.h2.engine.SessionLocal;

/**
 * A session's connections to H2 databases it had selected before and has left, kept because they
 * hold its temporary tables (a connection without any is closed when the session leaves): selecting
 * that database again brings its connection, and its tables, back. Guarded by the session
 * connection's lock; closed with it.
 */
final class ParkedConnections {
  /** A connection of a database the session no longer has selected, and the H2 user it runs as. */
  record Parked(Connection conn, SessionLocal h2, PhysicalDatabase.H2User user) {}

  private Map<PhysicalDatabase, Parked> byDatabase; // null until one is kept

  boolean isEmpty() {
    return byDatabase == null || byDatabase.isEmpty();
  }

  void put(Parked p) {
    if (byDatabase == null) {
      byDatabase = new HashMap<>(4);
    }
    byDatabase.put(p.user().home, p);
  }

  /** The connection kept for {@code db}, no longer kept; {@code null} if none. */
  Parked take(PhysicalDatabase db) {
    return byDatabase == null ? null : byDatabase.remove(db);
  }

  /** H2's session objects of the kept connections, and {@code current} (if not null) first. */
  List<SessionLocal> sessionsWith(SessionLocal current) {
    if (isEmpty()) {
      return current == null ? List.of() : List.of(current);
    }
    List<SessionLocal> all = new ArrayList<>(byDatabase.size() + 1);
    if (current != null) {
      all.add(current);
    }
    for (Parked p : byDatabase.values()) {
      all.add(p.h2());
    }
    return all;
  }

  /** Every kept connection, no longer kept (the session is ending). */
  List<Parked> drain() {
    if (isEmpty()) {
      return List.of();
    }
    List<Parked> all = List.copyOf(byDatabase.values());
    byDatabase = null;
    return all;
  }
}
