package dev.ephemera.redis;

import static org.junit.jupiter.api.Assertions.*;

import dev.ephemera.AuthLevel;
import dev.ephemera.ClientInfo;
import dev.ephemera.CorruptRecordException;
import dev.ephemera.Identity;
import dev.ephemera.SessionRecord;
import dev.ephemera.SessionStore;
import dev.ephemera.SessionStoreException;
import dev.ephemera.SessionStores;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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
  void saveThenLoadKeepsEveryValueType() {
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("none", null);
    vars.put("yes", true);
    vars.put("no", false);
    vars.put("long", Long.MIN_VALUE);
    vars.put("double", -0.0);
    vars.put("nan", Double.NaN);
    vars.put("decimal", new BigDecimal("-12345678901234567890.000000000000000001"));
    vars.put("text", "grüße, 世界 \u0000 \uD83D\uDE00");
    vars.put("bytes", new byte[] {0, (byte) 0xFF, 13, 10, 0x7F, (byte) 0x80});
    vars.put("instant", Instant.parse("1969-07-20T20:17:40.123456789Z"));
    vars.put("list", Arrays.asList(1L, "two", null, List.of(3.5, new byte[] {9}), Map.of("k", true)));
    Map<String, Object> nested = new LinkedHashMap<>();
    nested.put("empty", List.of());
    nested.put("inner", Map.of("when", Instant.EPOCH, "amount", BigDecimal.TEN));
    nested.put("null", null);
    vars.put("map", nested);
    SessionRecord r = new SessionRecord("sess_all", record("x", null).tokenHash(),
        new Identity("alice", AuthLevel.NAMESPACE, "acme", null), "acme", null, vars,
        Map.of("flash", "once", "flashBytes", new byte[] {1, 2}), -4, ClientInfo.none().withCertificate("ab:cd"),
        Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-01T00:05:00.5Z"),
        Instant.now().plusSeconds(3600), Instant.now().plusSeconds(600), 42);

    store.save(r);
    SessionRecord back = store.load("sess_all").orElseThrow();

    assertEquals(r, back);
    assertArrayEquals((byte[]) vars.get("bytes"), (byte[]) back.variables().get("bytes"));
    assertTrue(back.variables().containsKey("none"));
    assertNull(back.variables().get("none"));
    assertEquals(new ArrayList<>(vars.keySet()), new ArrayList<>(back.variables().keySet()));
    Map<String, byte[]> hash = server.raw().hgetall(store.sessionKey("sess_all"));
    assertArrayEquals(r.toBytes(), hash.get("rec"));
    assertEquals("ns:acme:alice", new String(hash.get("user"), StandardCharsets.UTF_8));
    assertEquals(Long.toString(r.expiresAt().toEpochMilli()), new String(hash.get("exp"), StandardCharsets.UTF_8));
  }

  @Test
  void loadOfAnUnknownIdIsEmpty() {
    assertTrue(store.load("sess_nobody").isEmpty());
  }

  @Test
  void aSecondSaveReplacesTheRecord() {
    SessionRecord first = record("sess_1", "alice");
    store.save(first);
    SessionRecord second = record("sess_1", "alice", first.expiresAt(), Map.of("n", 2L, "s", "x"));
    store.save(second);
    assertEquals(second, store.load("sess_1").orElseThrow());
    assertNotEquals(first, store.load("sess_1").orElseThrow());
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
  void aRecordWhoseExpiryHasPassedIsGoneAtOnce() {
    store.save(record("sess_old", "alice", Instant.now().minusSeconds(5), Map.of()));
    assertTrue(store.load("sess_old").isEmpty());
    assertEquals(List.of(), store.sessionsOf("db:acme:sales:alice"));
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
  void aCorruptRecordFailsItsLoadAndIsReportedAndSkippedByScan() {
    SessionRecord good = record("sess_good", "alice");
    SessionRecord flipped = record("sess_flipped", "alice");
    SessionRecord truncated = record("sess_truncated", null);
    store.save(good);
    store.save(flipped);
    store.save(truncated);
    byte[] b = flipped.toBytes();
    b[b.length / 2] ^= 0x10;
    server.raw().hset(store.sessionKey("sess_flipped"), "rec", b);
    byte[] t = truncated.toBytes();
    server.raw().hset(store.sessionKey("sess_truncated"), "rec", Arrays.copyOf(t, t.length - 7));

    CorruptRecordException e1 = assertThrows(CorruptRecordException.class, () -> store.load("sess_flipped"));
    assertEquals("sess_flipped", e1.sessionId());
    CorruptRecordException e2 = assertThrows(CorruptRecordException.class, () -> store.load("sess_truncated"));
    assertEquals("sess_truncated", e2.sessionId());

    List<SessionRecord> seen = new ArrayList<>();
    List<String> corrupt = new ArrayList<>();
    store.scan(seen::add, e -> corrupt.add(e.sessionId()));
    assertEquals(List.of(good), seen);
    assertEquals(Set.of("sess_flipped", "sess_truncated"), new HashSet<>(corrupt));
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
  void concurrentSavesAndLoadsOnOneStoreAreAllKept() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        futures.add(pool.submit(() -> {
          for (int i = 0; i < 50; i++) {
            SessionRecord r = record("sess_" + thread + "_" + i, "u" + thread);
            store.save(r);
            assertEquals(r, store.load(r.id()).orElseThrow());
          }
        }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    int[] n = {0};
    store.scan(r -> n[0]++, e -> fail(e));
    assertEquals(200, n[0]);
    assertEquals(50, store.sessionsOf("db:acme:sales:u3").size());
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
