/**
 * Ephemera's Redis session store: {@link dev.ephemera.redis.RedisSessionStore}, opened by
 * {@code SessionStores.redis("redis://host:6379")} through {@link dev.ephemera.redis.RedisStoreProvider}.
 */
module dev.ephemera.redis {
  requires transitive dev.ephemera.engine;
  requires lettuce.core;

  exports dev.ephemera.redis;

  provides dev.ephemera.SessionStoreProvider
      with dev.ephemera.redis.RedisStoreProvider, dev.ephemera.redis.RedisStoreProvider.Tls;
}
