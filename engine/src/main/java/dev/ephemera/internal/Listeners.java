package dev.ephemera.internal;

import dev.ephemera.SessionListener;
import java.util.List;
import java.util.function.Consumer;

/** The engine's listeners; a failing listener is logged and does not stop the others or the engine. */
final class Listeners {
  private static final System.Logger LOG = System.getLogger("dev.ephemera");

  private final SessionListener[] all;

  Listeners(List<SessionListener> listeners) {
    this.all = listeners.toArray(new SessionListener[0]);
  }

  /** Whether anyone listens; callers skip building snapshots when not. */
  boolean any() {
    return all.length > 0;
  }

  void fire(Consumer<SessionListener> event) {
    for (SessionListener l : all) {
      try {
        event.accept(l);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "session listener " + l.getClass().getName() + " failed", e);
      }
    }
  }
}
