package dev.ephemera;

/**
 * A source of monotonic nanoseconds, the engine's notion of elapsed time. Inject your own through
 * {@link SessionEngine.Builder#ticker(Ticker)} to test expiry in virtual time.
 */
@FunctionalInterface
public interface Ticker {
  /** Nanoseconds since an arbitrary, fixed origin; never decreases. */
  long read();

  /** The ticker backed by {@link System#nanoTime()}. */
  static Ticker system() {
    return SystemTicker.INSTANCE;
  }
}

enum SystemTicker implements Ticker {
  INSTANCE;

  @Override
  public long read() {
    return System.nanoTime();
  }
}
