package dev.ephemera;

/**
 * A value is larger than the engine's per-value limit, or storing it would take the session's
 * variables past the per-session limit (see {@link SessionEngine.Builder#maxValueBytes} and
 * {@link SessionEngine.Builder#maxSessionBytes}).
 */
public final class ValueTooLargeException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final long size;
  private final long limit;

  public ValueTooLargeException(String message, long size, long limit) {
    super(message);
    this.size = size;
    this.limit = limit;
  }

  /** The size that was refused, in bytes as Ephemera counts them. */
  public long size() {
    return size;
  }

  /** The limit it would have exceeded. */
  public long limit() {
    return limit;
  }
}
