package dev.ephemera.redis;

import dev.ephemera.SessionStore;
import dev.ephemera.SessionStoreProvider;
import java.net.URI;
import java.util.Objects;

/**
 * Opens {@code redis://} URIs for {@link dev.ephemera.SessionStores#open(String)} and
 * {@link dev.ephemera.SessionStores#redis(String)}: a {@link RedisSessionStore} with the default key
 * prefix. Found through {@link java.util.ServiceLoader}; {@link Tls} opens {@code rediss://} (TLS).
 */
public final class RedisStoreProvider implements SessionStoreProvider {
  /** Called by {@link java.util.ServiceLoader}. */
  public RedisStoreProvider() {}

  /** {@code redis}. */
  @Override
  public String scheme() {
    return "redis";
  }

  /**
   * A {@link RedisSessionStore} at {@code uri}; accepts {@code rediss://} too.
   *
   * @throws IllegalArgumentException if {@code uri} is not a valid Redis URI
   * @throws dev.ephemera.SessionStoreException if the server cannot be reached
   */
  @Override
  public SessionStore open(URI uri) {
    return openUri(uri);
  }

  static SessionStore openUri(URI uri) {
    Objects.requireNonNull(uri, "uri");
    return RedisSessionStore.open(uri.toString());
  }

  /** Opens {@code rediss://} URIs: a {@link RedisSessionStore} over TLS. */
  public static final class Tls implements SessionStoreProvider {
    /** Called by {@link java.util.ServiceLoader}. */
    public Tls() {}

    /** {@code rediss}. */
    @Override
    public String scheme() {
      return "rediss";
    }

    /** A {@link RedisSessionStore} at {@code uri} over TLS; accepts {@code redis://} too. */
    @Override
    public SessionStore open(URI uri) {
      return openUri(uri);
    }
  }
}
