package dev.ephemera;

/**
 * A value is not of a type a session variable can hold. The supported types are {@code null},
 * {@link Boolean}, {@link Long} (and {@link Integer}, {@link Short}, {@link Byte}, which widen to
 * it), {@link Double} (and {@link Float}, which widens to it), {@link java.math.BigDecimal},
 * {@link String}, {@code byte[]}, {@link java.time.Instant}, and {@link java.util.List} and
 * {@link java.util.Map} (with {@code String} keys) of these.
 */
public final class UnsupportedValueException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public UnsupportedValueException(String message) {
    super(message);
  }
}
