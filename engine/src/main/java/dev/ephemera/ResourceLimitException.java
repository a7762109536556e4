package dev.ephemera;

/**
 * A session would go over a per-session resource limit of the engine ({@code maxTempTables},
 * {@code maxTempRows}). The statement that would have gone over was undone.
 */
public final class ResourceLimitException extends EphemeraException {
  private static final long serialVersionUID = 1L;

  private final String resource;
  private final long limit;
  private final long attempted;

  public ResourceLimitException(String message, String resource, long limit, long attempted) {
    super(message);
    this.resource = resource;
    this.limit = limit;
    this.attempted = attempted;
  }

  /** Which limit: {@code "temp tables"} or {@code "temp rows"}. */
  public String resource() {
    return resource;
  }

  /** The limit. */
  public long limit() {
    return limit;
  }

  /** What the session would have had. */
  public long attempted() {
    return attempted;
  }
}
