package dev.ephemera.redis;

import static org.junit.jupiter.api.Assertions.*;

import dev.ephemera.AuthLevel;
import dev.ephemera.ClientInfo;
import dev.ephemera.Identity;
import dev.ephemera.SessionRecord;
import dev.ephemera.SessionStore;
import dev.ephemera.SessionStoreException;
import dev.ephemera.SessionStores;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What is particular to the Redis store, beyond the {@link dev.ephemera.storetest.SessionStoreContract} it
 * keeps ({@link RedisSessionStoreContractTest}): its keys (a hash per session, a set per user, their
 * TTLs, the key prefix), its Lua scripts, its URIs and provider, its connection and threads. Engines on
 * it: {@link TwoEnginesOnRedisTest}, {@link TwoProcessesOnRedisTest}.
 */
class RedisSessionStoreTest {
  static TestRedis server;
  RedisSessionStore store;

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

  @BeforeEach
  void openStore() {
    TestRedis.assumeStarted(server);
    server.raw().flushall();
    store = RedisSessionStore.open(server.uri());
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  /** A record for {@code user} (a database user of acme/sales, or nobody if null) expiring at {@code expiresAt}. */
  static SessionRecord record(String id, String user, Instant expiresAt, Map<String, Object> variables) {
    byte[] tokenHash = new byte[SessionRecord.TOKEN_HASH_BYTES];
    ThreadLocalRandom.current().nextBytes(tokenHash);
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    return new SessionRecord(id, tokenHash, user == null ? null : new Identity(user, AuthLevel.DATABASE, "acme", "sales"),
        "acme", "sales", variables, Map.of(), 3, new ClientInfo("10.0.0.1", "test", "linux"), now.minusSeconds(60),
        now, null, expiresAt, ThreadLocalRandom.current().nextLong());
  }

  static SessionRecord record(String id, String user) {
    return record(id, user, Instant.now().plusSeconds(600), Map.of("n", 1L));
  }

  static Set<String> set(List<String> ids) {
    return new HashSet<>(ids);
  }

  Set<String> userSet(String userKey) {
    Set<String> ids = new HashSet<>();
    for (byte[] b : server.raw().smembers(store.userKey(userKey))) {
      ids.add(new String(b, StandardCharsets.UTF_8));
    }
    return ids;
  }

  @Test
  void eachSessionIsOneHashOfItsRecordUserAndExpiry() {
    SessionRecord r = new SessionRecord("sess_all", record("x", null).tokenHash(),
        new Identity("alice", AuthLevel.NAMESPACE, "acme", null), "acme", null, Map.of("n", 1L),
        Map.of("flash", "once"), -4, ClientInfo.none().withCertificate("ab:cd"),
        Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-01T00:05:00.5Z"),
        Instant.now().plusSeconds(3600), Instant.now().plusSeconds(600), 42);

    store.save(r);

    Map<String, byte[]> hash = server.raw().hgetall(store.sessionKey("sess_all"));
    assertEquals(Set.of("rec", "user", "exp"), hash.keySet());
    assertArrayEquals(r.toBytes(), hash.get("rec"));
    assertEquals("ns:acme:alice", new String(hash.get("user"), StandardCharsets.UTF_8));
    assertEquals(Long.toString(r.expiresAt().toEpochMilli()), new String(hash.get("exp"), StandardCharsets.UTF_8));
    assertEquals("ephemera:s:sess_all", store.sessionKey("sess_all"));
    assertEquals(Set.of("sess_all"), userSet("ns:acme:alice"));
    assertEquals("ephemera:u:ns:acme:alice", store.userKey("ns:acme:alice"));
  }

  @Test
  void deleteRemovesTheRecordAndItsUserIndexEntry() {
    store.save(record("sess_1", "alice"));
    store.save(record("sess_2", "alice"));
    assertTrue(store.delete("sess_1"));
    assertTrue(store.load("sess_1").isEmpty());
    assertFalse(store.delete("sess_1"));
    assertEquals(0, server.raw().exists(store.sessionKey("sess_1")));
    assertEquals(Set.of("sess_2"), userSet("db:acme:sales:alice"));
    assertTrue(store.delete("sess_2"));
    assertEquals(0, server.raw().exists(store.userKey("db:acme:sales:alice")), "an empty set is no key");
    assertFalse(store.delete("sess_never"));
  }

  @Test
  void theUserIndexFollowsSignInChangesAndDeletes() {
    String alice = "db:acme:sales:alice";
    String bob = "db:acme:sales:bob";
    store.save(record("sess_1", "alice"));
    store.save(record("sess_2", "alice"));
    store.save(record("sess_3", null));
    assertEquals(Set.of("sess_1", "sess_2"), set(store.sessionsOf(alice)));
    assertEquals(List.of(), store.sessionsOf(bob));

    store.save(record("sess_2", "bob"));
    assertEquals(Set.of("sess_1"), userSet(alice), "moved out of the old user's set by the save itself");
    assertEquals(List.of("sess_1"), store.sessionsOf(alice));
    assertEquals(List.of("sess_2"), store.sessionsOf(bob));

    store.save(record("sess_2", null));
    assertEquals(Set.of(), userSet(bob), "signing out leaves the user's set");
    assertEquals(List.of(), store.sessionsOf(bob));
    assertFalse(server.raw().hexists(store.sessionKey("sess_2"), "user"));

    store.delete("sess_1");
    assertEquals(List.of(), store.sessionsOf(alice));
  }

  @Test
  void sessionsOfDropsIdsWhoseRecordIsGone() {
    String alice = "db:acme:sales:alice";
    store.save(record("sess_1", "alice"));
    store.save(record("sess_2", "alice"));
    server.raw().del(store.sessionKey("sess_1")); // as if its TTL had run out
    assertEquals(Set.of("sess_1", "sess_2"), userSet(alice));
    assertEquals(List.of("sess_2"), store.sessionsOf(alice));
    assertEquals(Set.of("sess_2"), userSet(alice));
  }

  @Test
  void eachSaveSetsTheKeysTimeToLiveToTheRecordsExpiry() {
    store.save(record("sess_1", "alice", Instant.now().plusSeconds(600), Map.of()));
    long pttl = server.raw().pttl(store.sessionKey("sess_1"));
    assertTrue(pttl > 590_000 && pttl <= 600_000, "PTTL " + pttl);
    long userTtl = server.raw().pttl(store.userKey("db:acme:sales:alice"));
    assertTrue(userTtl > 590_000 && userTtl <= 600_000, "user set PTTL " + userTtl);

    store.save(record("sess_1", "alice", Instant.now().plusSeconds(60), Map.of()));
    pttl = server.raw().pttl(store.sessionKey("sess_1"));
    assertTrue(pttl > 50_000 && pttl <= 60_000, "PTTL after a save with a sooner expiry " + pttl);

    store.save(record("sess_2", "alice", Instant.now().plusSeconds(1200), Map.of()));
    userTtl = server.raw().pttl(store.userKey("db:acme:sales:alice"));
    assertTrue(userTtl > 1_190_000 && userTtl <= 1_200_000, "the user set lives as long as its last session: " + userTtl);
    store.save(record("sess_3", "alice", Instant.now().plusSeconds(30), Map.of()));
    userTtl = server.raw().pttl(store.userKey("db:acme:sales:alice"));
    assertTrue(userTtl > 1_190_000, "a sooner session does not shorten the user set's life: " + userTtl);
  }

  @Test
  void aRecordDueSoonHasThatLittleTimeToLiveInRedis() {
    // Redis's own expiry of a key with a TTL is Redis's to test: here, that the TTL is the record's
    // remaining time (no waiting for it: expiry is checked without sleeps)
    store.save(record("sess_soon", null, Instant.now().plusMillis(200), Map.of()));
    long pttl = server.raw().pttl(store.sessionKey("sess_soon"));
    assertTrue(pttl > 0 && pttl <= 200, "PTTL " + pttl);
  }

  @Test
  void scanWalksManyRecordsOnceEachAndOnlyThisPrefixs() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 450; i++) {
      String id = "sess_" + i;
      ids.add(id);
      store.save(record(id, i % 2 == 0 ? "alice" : null));
    }
    try (RedisSessionStore other = RedisSessionStore.open(server.uri(), "elsewhere:")) {
      other.save(record("sess_other", "alice"));
      List<String> seen = new ArrayList<>();
      store.scan(r -> seen.add(r.id()), e -> fail(e));
      assertEquals(450, seen.size());
      assertEquals(ids, new HashSet<>(seen));
      assertTrue(store.load("sess_other").isEmpty());
      assertEquals(List.of("sess_other"), other.sessionsOf("db:acme:sales:alice"));
      assertEquals(225, store.sessionsOf("db:acme:sales:alice").size());
    }
  }

  @Test
  void purgeExpiredLeavesTheRecordsToRedisAndCleansTheUserSets() {
    store.save(record("sess_1", "alice"));
    store.save(record("sess_2", "alice"));
    store.save(record("sess_3", "bob"));
    server.raw().del(store.sessionKey("sess_1"), store.sessionKey("sess_3"));
    assertEquals(0, store.purgeExpired(Instant.now()));
    assertEquals(Set.of("sess_2"), userSet("db:acme:sales:alice"));
    assertEquals(0, server.raw().exists(store.userKey("db:acme:sales:bob")));
    assertTrue(store.load("sess_2").isPresent());
  }

  @Test
  void savesStillWorkAfterTheServerForgetsTheScripts() {
    store.save(record("sess_1", "alice"));
    server.raw().scriptFlush();
    store.save(record("sess_2", "alice"));
    assertTrue(store.delete("sess_1"));
    assertEquals(List.of("sess_2"), store.sessionsOf("db:acme:sales:alice"));
  }

  @Test
  void sessionStoresFindsTheStoreThroughItsProvider() {
    try (SessionStore viaRedis = SessionStores.redis(server.uri());
        SessionStore viaOpen = SessionStores.open(server.uri())) {
      assertInstanceOf(RedisSessionStore.class, viaRedis);
      assertInstanceOf(RedisSessionStore.class, viaOpen);
      assertTrue(viaRedis.shared());
      SessionRecord r = record("sess_p", "alice");
      viaRedis.save(r);
      assertEquals(r, viaOpen.load("sess_p").orElseThrow());
      assertEquals(r, store.load("sess_p").orElseThrow(), "the default prefix");
    }
  }

  @Test
  void aRedissUriReachesTheTlsProvider() throws IOException {
    int port = closedPort();
    SessionStoreException e = assertThrows(SessionStoreException.class,
        () -> SessionStores.open("rediss://127.0.0.1:" + port));
    assertTrue(e.getMessage().contains("rediss://127.0.0.1:" + port), e.getMessage());
  }

  @Test
  void badUrisAndPrefixesAreRejectedWithClearMessages() {
    for (String uri : List.of("http://127.0.0.1:6379", "127.0.0.1:6379", "redis://", "redis://:6379",
        "redis://pw@:6379", "redis://127.0.0.1:99999", "redis://127.0.0.1:port", "redis://local host:6379")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RedisSessionStore.open(uri), uri);
      assertTrue(e.getMessage().contains("URI"), e.getMessage());
    }
    IllegalArgumentException secret = assertThrows(IllegalArgumentException.class,
        () -> RedisSessionStore.open("redis://admin:s3cret@127.0.0.1:notaport"));
    assertFalse(secret.getMessage().contains("s3cret"), secret.getMessage());
    assertTrue(secret.getMessage().contains("***@127.0.0.1"), secret.getMessage());
    assertThrows(IllegalArgumentException.class, () -> SessionStores.redis("http://127.0.0.1:6379"));
    for (String prefix : List.of("", "a*", "a b", "x[1]", "q?")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> RedisSessionStore.open(server.uri(), prefix), prefix);
      assertTrue(e.getMessage().contains("prefix"), e.getMessage());
    }
  }

  @Test
  void anUnreachableServerFailsAtOpenWithATypedErrorNamingItWithoutThePassword() throws IOException {
    int port = closedPort();
    SessionStoreException e = assertThrows(SessionStoreException.class,
        () -> RedisSessionStore.open("redis://:hunter2@127.0.0.1:" + port + "?timeout=2s"));
    assertTrue(e.getMessage().contains("redis://127.0.0.1:" + port), e.getMessage());
    assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    assertThrows(SessionStoreException.class, () -> SessionStores.redis("redis://127.0.0.1:" + port));
  }

  @Test
  void aRefusedSignInIsASessionStoreExceptionWithoutThePassword() {
    SessionStoreException e = assertThrows(SessionStoreException.class,
        () -> RedisSessionStore.open("redis://nobody:hunter2@127.0.0.1:" + server.port()));
    // Lettuce reports WRONGPASS, or at times only "Connection closed prematurely" for it
    assertTrue(e.getMessage().contains("redis://127.0.0.1:" + server.port()), e.getMessage());
    assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
  }

  @Test
  void closeIsIdempotentAndReleasesTheConnectionAndThreads() throws InterruptedException {
    int baseline = server.clientCount();
    long threads = lettuceThreads();
    for (int i = 0; i < 50; i++) {
      RedisSessionStore s = RedisSessionStore.open(server.uri());
      s.save(record("sess_" + i, "alice"));
      assertTrue(server.clientCount() > baseline, "the store's connection is counted");
      s.close();
      s.close();
    }
    assertEquals(baseline, waitForClients(baseline));
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (lettuceThreads() > threads && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(threads, lettuceThreads(), "the closed stores' Lettuce threads have ended");
    store.close();
    store.close();
    SessionStoreException e = assertThrows(SessionStoreException.class, () -> store.load("sess_1"));
    assertTrue(e.getMessage().contains("closed"), e.getMessage());
    assertEquals(baseline - 1, waitForClients(baseline - 1));
  }

  /** Live threads of Lettuce's (its event loops and timer), the tests' raw connection's included. */
  private static long lettuceThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("lettuce-")).count();
  }

  /** The client count once it is {@code expected} (the server notices a closed connection a moment later), or after 5 s. */
  private static int waitForClients(int expected) throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    int n;
    while ((n = server.clientCount()) != expected && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    return n;
  }

  @Test
  void toStringNamesTheServerAndThePrefix() {
    try (RedisSessionStore s = RedisSessionStore.open("redis://127.0.0.1:" + server.port() + "/0")) {
      assertEquals("RedisSessionStore(redis://127.0.0.1:" + server.port() + ", prefix ephemera:)", s.toString());
    }
  }

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
