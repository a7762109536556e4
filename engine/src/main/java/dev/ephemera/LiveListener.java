package dev.ephemera;

/**
 * Receives the committed changes of a {@link LiveQuery}. Called on the thread that committed them
 * (the writer's), after the commit, in the order the rows changed; it must be quick and must not
 * use the writer's session. An exception it throws is logged and ignored.
 */
@FunctionalInterface
public interface LiveListener {
  void changed(Change change);
}
