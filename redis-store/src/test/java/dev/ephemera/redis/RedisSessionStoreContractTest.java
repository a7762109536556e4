package dev.ephemera.redis;

import static org.junit.jupiter.api.Assertions.*;

import dev.ephemera.SessionStore;
import dev.ephemera.SessionStores;
import dev.ephemera.storetest.SessionStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link SessionStoreContract} on {@code SessionStores.redis(uri)}: a real redis-server ({@link TestRedis}),
 * emptied before each test. Shared; Redis drops a record itself when it expires (a TTL on its hash), so
 * {@code purgeExpired} has nothing to delete. The contract reaches the bytes in the hash's {@code rec}
 * field. If the server cannot start here, every case is reported as skipped, with the reason.
 */
class RedisSessionStoreContractTest extends SessionStoreContract {
  static TestRedis server;

  @BeforeAll
  static void startServer() {
    server = TestRedis.startOrNull();
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Override
  protected void setUpStorage() {
    TestRedis.assumeStarted(server);
    server.raw().flushall();
  }

  @Override
  protected SessionStore openStore() {
    return SessionStores.redis(server.uri());
  }

  @Override
  protected boolean expectedShared() {
    return true;
  }

  @Override
  protected Expiry expiry() {
    return Expiry.DROPPED_BY_THE_STORE;
  }

  /** The key of {@code id}'s hash, as the store names it. */
  String sessionKey(String id) throws Exception {
    return ((RedisSessionStore) store()).sessionKey(id);
  }

  @Override
  protected byte[] storedBytes(String id) throws Exception {
    byte[] rec = server.raw().hget(sessionKey(id), "rec");
    assertNotNull(rec, id + " has no hash");
    return rec;
  }

  @Override
  protected void overwriteStoredBytes(String id, byte[] bytes) throws Exception {
    assertEquals(1, server.raw().exists(sessionKey(id)));
    server.raw().hset(sessionKey(id), "rec", bytes);
  }
}
