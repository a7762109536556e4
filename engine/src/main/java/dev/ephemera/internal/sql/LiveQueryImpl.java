package dev.ephemera.internal.sql;

import dev.ephemera.LiveListener;
import dev.ephemera.LiveQuery;

/** One subscription; its session closes it when it ends. */
final class LiveQueryImpl implements LiveQuery {
  private final String id;
  final LiveHub hub;
  final LiveListener listener;
  private final LiveQueries owner;
  private volatile boolean active = true;

  LiveQueryImpl(String id, LiveHub hub, LiveListener listener, LiveQueries owner) {
    this.id = id;
    this.hub = hub;
    this.listener = listener;
    this.owner = owner;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String table() {
    return hub.table;
  }

  @Override
  public boolean isActive() {
    return active;
  }

  @Override
  public void close() {
    if (active) {
      active = false;
      owner.closed(this);
    }
  }

  /** Marks it stopped without telling its session (the session is ending). */
  void stopQuietly() {
    active = false;
  }

  @Override
  public String toString() {
    return "LiveQuery[" + id + " on " + hub.table + (active ? "" : ", stopped") + "]";
  }
}
