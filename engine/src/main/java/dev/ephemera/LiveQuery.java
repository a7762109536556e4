package dev.ephemera;

/** A subscription to a table's changes, from {@link Session#live}. Ends with its session. */
public interface LiveQuery extends AutoCloseable {
  /** Its id, {@code live_} and a number, unique within the engine. */
  String id();

  /** The table watched, as H2 knows it. */
  String table();

  /** Whether it still delivers changes. */
  boolean isActive();

  /** Stops delivery. Idempotent. */
  @Override
  void close();
}
