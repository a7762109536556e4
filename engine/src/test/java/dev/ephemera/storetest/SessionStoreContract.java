package dev.ephemera.storetest;

import static org.junit.jupiter.api.Assertions.*;

import dev.ephemera.AuthLevel;
import dev.ephemera.ClientInfo;
import dev.ephemera.CorruptRecordException;
import dev.ephemera.Identity;
import dev.ephemera.Session;
import dev.ephemera.SessionEngine;
import dev.ephemera.SessionNotFoundException;
import dev.ephemera.SessionRecord;
import dev.ephemera.SessionStore;
import dev.ephemera.SessionStoreException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The contract of {@link SessionStore}: what its Javadoc (and {@link SessionRecord}'s) promises, run
 * against every store by one subclass per store, in the style of Spring Session's
 * {@code AbstractJdbcIndexedSessionRepositoryITests}. A subclass supplies the store
 * ({@link #openStore()}), storage set up and torn down around each test ({@link #setUpStorage()},
 * {@link #tearDownStorage()}), a way to reach the bytes a store keeps ({@link #storedBytes},
 * {@link #overwriteStoredBytes}), and declares where its store legitimately differs
 * ({@link #expectedShared()}, {@link #keepsRecords()}, {@link #expiry()}, {@link #closeEndsTheStore()}):
 * every test asserts the declared behaviour, none is skipped for a store.
 *
 * <p>The contract uses the public API only ({@link SessionStore}, {@link SessionRecord},
 * {@link SessionEngine}), and subclasses open their stores with {@code SessionStores.*} where they can,
 * so that it does not care in which package a store's class lives.
 *
 * <p>It lives in a package of its own, which the engine's module does not have, so that other
 * modules' tests can extend it from the engine's test-jar: their tests are compiled inside their own
 * module, which sees the package {@code dev.ephemera} in the engine's module only, never in a jar on
 * the class path.
 */
public abstract class SessionStoreContract {

  // ------------------------------------------------------------------ what a subclass supplies

  /**
   * Opens a store on this test's storage (a file, a table, a Redis key space...). Every store opened
   * during one test sees the same records; each test starts with an empty storage. The contract
   * closes every store it opened after the test.
   */
  protected abstract SessionStore openStore() throws Exception;

  /** Called before each test, before its first {@link #openStore()}: an empty storage for it. */
  protected void setUpStorage() throws Exception {}

  /** Called after each test, once every store it opened is closed. */
  protected void tearDownStorage() throws Exception {}

  /** What {@link SessionStore#shared()} must say: whether several engines may use the storage at once. */
  protected abstract boolean expectedShared();

  /**
   * Whether the store keeps records at all. {@code SessionStores.memory()} keeps none: it is "no
   * persistence", it drops every save (an engine given it does not even call it), and each test then
   * asserts that nothing is kept.
   */
  protected boolean keepsRecords() {
    return true;
  }

  /** What the store does with a record whose {@link SessionRecord#expiresAt()} has passed. */
  protected Expiry expiry() {
    return Expiry.LISTED_UNTIL_PURGED;
  }

  /**
   * Whether {@link SessionStore#close()} ends the store, so that every later call throws
   * {@link SessionStoreException}. {@code SessionStores.memory()} is one instance for the whole
   * process, which a close must not break.
   */
  protected boolean closeEndsTheStore() {
    return true;
  }

  /**
   * The bytes the storage holds for {@code id}'s record, read behind the store's back. The contract
   * asks only for a record it saved once, with a value of {@link #BIG} bytes (the file store keeps such a
   * record in a file of its own), and only if {@link #keepsRecords()}.
   */
  protected abstract byte[] storedBytes(String id) throws Exception;

  /**
   * Replaces, behind the store's back, every copy the storage holds of {@code id}'s record with
   * {@code bytes}, as a disk or another program might damage it. Same conditions as
   * {@link #storedBytes(String)}.
   */
  protected abstract void overwriteStoredBytes(String id, byte[] bytes) throws Exception;

  /** What a store does with an expired record (the store's own clock decides for Redis and JDBC). */
  protected enum Expiry {
    /**
     * Kept until {@link SessionStore#purgeExpired} deletes it: {@code load} and {@code scan} return it
     * and {@code sessionsOf} lists it meanwhile (the SPI's default {@code sessionsOf}: the file store).
     */
    LISTED_UNTIL_PURGED,
    /** Kept until {@code purgeExpired} deletes it, but {@code sessionsOf} leaves it out (JDBC). */
    KEPT_UNTIL_PURGED_UNLISTED,
    /**
     * Dropped by the store itself once it expires (Redis, by TTL): {@code load}, {@code scan} and
     * {@code sessionsOf} never see it, and {@code purgeExpired} has nothing to delete (it returns 0).
     */
    DROPPED_BY_THE_STORE
  }

  // ------------------------------------------------------------------ fixtures

  /** A value size every store keeps as one stored value of its own (the file store's limit is 64 KiB). */
  protected static final int BIG = 100_000;
  protected static final Identity ALICE = new Identity("alice", AuthLevel.ROOT, null, null);
  protected static final Identity BOB = new Identity("bob", AuthLevel.DATABASE, "shop", "main");
  /** A user whose key is in four scripts, an emoji (a surrogate pair) among them. */
  protected static final Identity JURGEN = new Identity("jürgen_東京_ёж_😀", AuthLevel.NAMESPACE, "café", null);

  /**
   * The wall-clock time the test started at, in whole milliseconds (the JDBC store keeps expiry times
   * so, rounded up: it may purge a record up to 1 ms after it expired). Stores with a clock of their
   * own (JDBC's {@code sessionsOf}, Redis) compare with theirs.
   */
  protected Instant now;
  private final List<SessionStore> opened = new ArrayList<>();
  private SessionStore store;

  @BeforeEach
  final void setUpContract() throws Exception {
    now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    setUpStorage();
  }

  @AfterEach
  final void tearDownContract() throws Exception {
    Exception failure = null;
    for (SessionStore s : opened) {
      try {
        s.close();
      } catch (Exception e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    opened.clear();
    store = null;
    tearDownStorage();
    if (failure != null) {
      throw failure;
    }
  }

  /** The test's store, opened on first use. */
  protected final SessionStore store() throws Exception {
    if (store == null) {
      store = open();
    }
    return store;
  }

  /** Another store on the same storage, closed after the test. */
  protected final SessionStore open() throws Exception {
    SessionStore s = openStore();
    assertNotNull(s, "openStore() returned null");
    opened.add(s);
    return s;
  }

  /** Closes the test's store and opens a new one on the same storage: the test's store from now on. */
  protected final SessionStore reopen() throws Exception {
    store().close();
    store = open();
    return store;
  }

  /** A record of {@code id}, signed in as {@code who} (or nobody), with the namespace and database of {@code who}. */
  protected final SessionRecord record(String id, Identity who, Instant expiresAt, long revision,
      Map<String, Object> variables) {
    return new SessionRecord(id, sha256(id), who, who == null ? null : who.namespace(),
        who == null ? null : who.database(), variables, Map.of(), 0, ClientInfo.none(), now.minus(Duration.ofHours(1)),
        now, null, expiresAt, revision);
  }

  /** A record of {@code id} that expires in an hour. */
  protected final SessionRecord record(String id, Identity who) {
    return record(id, who, now.plus(Duration.ofHours(1)), 1, Map.of("n", 1L));
  }

  /** Every value type a variable can hold, nested ones too, with the edge cases of each. */
  protected static Map<String, Object> everyValueType() {
    Map<String, Object> nested = new LinkedHashMap<>();
    nested.put("none", null);
    nested.put("bytes", new byte[] {1, 2, 3});
    nested.put("list", Arrays.asList(1L, null, "x"));
    nested.put("empty", List.of());
    nested.put("inner", Map.of("when", Instant.EPOCH, "amount", BigDecimal.TEN));
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("nothing", null);
    v.put("yes", true);
    v.put("no", false);
    v.put("min", Long.MIN_VALUE);
    v.put("max", Long.MAX_VALUE);
    v.put("ratio", -0.5d);
    v.put("negativeZero", -0.0d);
    v.put("nan", Double.NaN);
    v.put("infinity", Double.NEGATIVE_INFINITY);
    v.put("money", new BigDecimal("12345678901234567890.000000001"));
    v.put("debt", new BigDecimal("-12345678901234567890.000000000000000001"));
    v.put("text", "héllo ✓ \u0000 end");
    v.put("scripts", "grüße, 世界, привет, مرحبا, 😀");
    v.put("mixed", "grüße, 世界 \u0000 \uD83D\uDE00");
    v.put("loneSurrogate", "a\uD800b");
    v.put("empty", "");
    v.put("blob", new byte[] {0, -1, 7, -128, 127, 13, 10});
    v.put("emptyBlob", new byte[0]);
    v.put("when", Instant.parse("2029-12-31T23:59:59.123456789Z"));
    v.put("moonLanding", Instant.parse("1969-07-20T20:17:40.123456789Z"));
    v.put("items", Arrays.asList(1L, 2.5d, "three", null, new byte[] {9}, List.of(List.of()), Map.of("k", true),
        List.of(3.5, new byte[] {9})));
    v.put("props", nested);
    v.put("名前", "a variable name in another script");
    return v;
  }

  /** A record with every field set, in every value type, with times to the nanosecond. */
  protected final SessionRecord fullRecord(String id, Map<String, Object> extra) {
    byte[] hash = new byte[SessionRecord.TOKEN_HASH_BYTES];
    for (int i = 0; i < hash.length; i++) {
      hash[i] = (byte) (i * 7 - 100); // negative bytes, zero, positive
    }
    Map<String, Object> vars = everyValueType();
    vars.putAll(extra);
    Map<String, Object> flash = new LinkedHashMap<>();
    flash.put("notice", "saved ✓");
    flash.put("n", 2L);
    flash.put("flashBytes", new byte[] {1, 2});
    return new SessionRecord(id, hash, BOB, "shop", "main", vars, flash, 7,
        new ClientInfo("203.0.113.7", "ua/1.0 (x) ünï", "linux").withCertificate("ab:cd:ef"),
        now.minusSeconds(3600).plusNanos(1), now.minusNanos(999), now.plus(Duration.ofMinutes(30)).plusNanos(3),
        now.plus(Duration.ofHours(1)).plusNanos(500), 0x7fff_ffff_ffffL);
  }

  protected static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A value of {@code size} bytes that is not all zeros. */
  protected static byte[] bytes(int size) {
    byte[] b = new byte[size];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) (i * 31 + (i >>> 8));
    }
    return b;
  }

  /** Every record a scan reports; corrupt records fail the test. */
  protected static List<SessionRecord> scanAll(SessionStore s) {
    List<SessionRecord> all = new ArrayList<>();
    s.scan(all::add, e -> fail("unexpected corrupt record", e));
    return all;
  }

  protected static Set<String> ids(List<SessionRecord> records) {
    Set<String> ids = new TreeSet<>();
    records.forEach(r -> ids.add(r.id()));
    return ids;
  }

  /** {@code kept} if the store keeps records, else {@code nothing}: what a store that keeps nothing gives. */
  private <T> T ifKept(T kept, T nothing) {
    return keepsRecords() ? kept : nothing;
  }

  private Optional<SessionRecord> ifKept(SessionRecord r) {
    return keepsRecords() ? Optional.of(r) : Optional.empty();
  }

  // ------------------------------------------------------------------ save, load, delete

  @Test
  void aSavedRecordLoadsBackEqualInEveryField() throws Exception {
    SessionStore s = store();
    SessionRecord full = fullRecord("sess_full", Map.of());
    SessionRecord bare = new SessionRecord("sess_bare", sha256("bare"), null, null, null, Map.of(), Map.of(), -3,
        ClientInfo.none(), now, now, null, now.plusSeconds(600), -42);
    s.save(full);
    s.save(bare);
    if (!keepsRecords()) {
      assertEquals(Optional.empty(), s.load("sess_full"));
      assertEquals(Optional.empty(), s.load("sess_bare"));
      return;
    }
    SessionRecord loaded = s.load("sess_full").orElseThrow();
    assertEquals(full, loaded);
    assertEquals(BOB, loaded.identity());
    assertEquals("shop", loaded.namespace());
    assertEquals("main", loaded.database());
    assertEquals(7, loaded.priority());
    assertEquals(full.client(), loaded.client());
    assertEquals(full.createdAt(), loaded.createdAt());
    assertEquals(full.lastActiveAt(), loaded.lastActiveAt());
    assertEquals(full.reauthAt(), loaded.reauthAt());
    assertEquals(full.expiresAt(), loaded.expiresAt());
    assertEquals(0x7fff_ffff_ffffL, loaded.revision());
    assertArrayEquals(full.tokenHash(), loaded.tokenHash());
    assertEquals(new ArrayList<>(full.variables().keySet()), new ArrayList<>(loaded.variables().keySet()),
        "the variables keep their order");
    assertTrue(loaded.variables().containsKey("nothing"));
    assertNull(loaded.variables().get("nothing"));
    assertArrayEquals((byte[]) full.variables().get("blob"), (byte[]) loaded.variables().get("blob"));
    assertEquals("a\uD800b", loaded.variables().get("loneSurrogate"));
    assertEquals(full.flash().keySet(), loaded.flash().keySet());
    assertArrayEquals((byte[]) full.flash().get("flashBytes"), (byte[]) loaded.flash().get("flashBytes"));

    SessionRecord loadedBare = s.load("sess_bare").orElseThrow();
    assertEquals(bare, loadedBare);
    assertNull(loadedBare.identity());
    assertNull(loadedBare.namespace());
    assertNull(loadedBare.reauthAt());
    assertEquals(-3, loadedBare.priority());
    assertEquals(-42, loadedBare.revision());
    assertNotEquals(loaded, loadedBare);
  }

  @Test
  void theStorageHoldsARecordsBytesAsTheyAre() throws Exception {
    SessionStore s = store();
    SessionRecord r = fullRecord("sess_asis", Map.of("big", bytes(BIG)));
    s.save(r);
    if (!keepsRecords()) {
      assertEquals(Optional.empty(), s.load(r.id()));
      return;
    }
    assertArrayEquals(r.toBytes(), storedBytes(r.id()), "the store keeps SessionRecord.toBytes() as it is");
  }

  @Test
  void recordsOfEverySizeLoadBackEqualBeforeAndAfterAReopenAndDelete() throws Exception {
    SessionStore s = store();
    List<SessionRecord> saved = new ArrayList<>();
    int n = 0;
    for (int size : new int[] {0, 10, 1000, 64 * 1024 - 200, 64 * 1024, 200_000, 1 << 20, 3 << 20}) {
      SessionRecord r = record("sess_size_" + n++, ALICE, now.plus(Duration.ofHours(1)), size, Map.of("v", bytes(size)));
      s.save(r);
      s.save(r); // a store may keep copies (the file store alternates two)
      saved.add(r);
    }
    for (SessionRecord r : saved) {
      assertEquals(ifKept(r), s.load(r.id()), r.toString());
    }
    s = reopen();
    for (SessionRecord r : saved) {
      assertEquals(ifKept(r), s.load(r.id()), "after a reopen: " + r);
    }
    List<SessionRecord> all = scanAll(s);
    assertEquals(ifKept(saved.size(), 0), all.size());
    assertEquals(ifKept(new HashSet<>(saved), Set.of()), new HashSet<>(all));
    for (SessionRecord r : saved) {
      assertEquals(keepsRecords(), s.delete(r.id()), r.toString());
      assertFalse(s.delete(r.id()));
      assertEquals(Optional.empty(), s.load(r.id()));
    }
    assertEquals(List.of(), scanAll(s));
  }

  @Test
  void recordsOutliveTheStoreThatSavedThem() throws Exception {
    SessionRecord small = fullRecord("sess_small", Map.of());
    SessionRecord big = fullRecord("sess_big", Map.of("big", bytes(BIG)));
    store().save(small);
    store().save(big);
    SessionStore next = reopen();
    assertEquals(ifKept(small), next.load("sess_small"));
    assertEquals(ifKept(big), next.load("sess_big"));
    assertEquals(ifKept(Set.of(small, big), Set.of()), new HashSet<>(scanAll(next)));
  }

  @Test
  void anUnknownIdLoadsEmpty() throws Exception {
    assertEquals(Optional.empty(), store().load("sess_nobody"));
  }

  @Test
  void deleteOfAnUnknownIdReturnsFalse() throws Exception {
    store().save(record("sess_somebody", ALICE));
    assertFalse(store().delete("sess_nobody"));
  }

  @Test
  void deleteRemovesOnlyItsOwnRecordAndSaysWhetherThereWasOne() throws Exception {
    SessionStore s = store();
    s.save(record("sess_a", ALICE));
    SessionRecord b = record("sess_b", ALICE);
    s.save(b);
    assertEquals(keepsRecords(), s.delete("sess_a"));
    assertFalse(s.delete("sess_a"), "a second delete finds nothing");
    assertEquals(Optional.empty(), s.load("sess_a"));
    assertEquals(ifKept(b), s.load("sess_b"), "delete touches its own record only");
    assertEquals(ifKept(List.of(b), List.of()), scanAll(s));
    assertEquals(ifKept(List.of("sess_b"), List.of()), s.sessionsOf(ALICE.key()));
  }

  @Test
  void idsThatShareAPrefixOrEndInADotAndDigitAreToldApart() throws Exception {
    SessionStore s = store();
    List<String> ids = List.of("sess_x", "sess_x1", "sess_x.0", "sess_x.1", "sess_x.1.0", "sess_x_", "sess_xx");
    Map<String, SessionRecord> saved = new LinkedHashMap<>();
    int i = 0;
    for (String id : ids) {
      // every other one big: the file store keeps those in files named after the id
      SessionRecord r = record(id, ALICE, now.plus(Duration.ofHours(1)), i,
          Map.of("id", id, "v", bytes(i % 2 == 0 ? BIG : 10)));
      i++;
      s.save(r);
      s.save(r);
      saved.put(id, r);
    }
    for (SessionRecord r : saved.values()) {
      assertEquals(ifKept(r), s.load(r.id()), r.id());
    }
    assertEquals(keepsRecords(), s.delete("sess_x"));
    assertEquals(keepsRecords(), s.delete("sess_x.1"));
    Set<String> left = new TreeSet<>(ids);
    left.removeAll(Set.of("sess_x", "sess_x.1"));
    for (String id : left) {
      assertEquals(ifKept(saved.get(id)), s.load(id), id);
    }
    List<SessionRecord> all = scanAll(s);
    assertEquals(ifKept(left.size(), 0), all.size(), "each record once: " + all);
    assertEquals(ifKept(left, Set.of()), ids(all));
    assertEquals(ifKept(left, Set.of()), new TreeSet<>(s.sessionsOf(ALICE.key())));
  }

  @Test
  void aSecondSaveReplacesTheRecordAndItsUser() throws Exception {
    SessionStore s = store();
    SessionRecord first = record("sess_a", ALICE, now.plusSeconds(600), 1, Map.of("step", 1L));
    s.save(first);
    SessionRecord second = record("sess_a", BOB, now.plusSeconds(1200), 2, Map.of("step", 2L, "s", "x"));
    s.save(second);
    assertEquals(ifKept(second), s.load("sess_a"));
    assertEquals(ifKept(List.of(second), List.of()), scanAll(s));
    assertEquals(ifKept(List.of("sess_a"), List.of()), s.sessionsOf(BOB.key()), "sessionsOf follows the record");
    assertEquals(List.of(), s.sessionsOf(ALICE.key()));
  }

  @Test
  void theLastSaveWinsWhateverItsRevision() throws Exception {
    SessionStore s = store();
    s.save(record("sess_r", ALICE, now.plusSeconds(600), 5, Map.of("v", "five")));
    SessionRecord lower = record("sess_r", ALICE, now.plusSeconds(600), 3, Map.of("v", "three"));
    s.save(lower);
    assertEquals(ifKept(lower), s.load("sess_r"), "a store does not compare revisions: the last save wins");
    SessionRecord same = record("sess_r", ALICE, now.plusSeconds(600), 3, Map.of("v", "three again"));
    s.save(same);
    assertEquals(ifKept(same), s.load("sess_r"));
  }

  @Test
  void everySaveReplacesThePreviousOneEvenAtTheSameLength() throws Exception {
    SessionStore s = store();
    for (int i = 0; i < 200; i++) {
      SessionRecord r = record("sess_same", ALICE, now.plusSeconds(600), i % 10, Map.of("v", "same length " + i % 10));
      s.save(r);
      assertEquals(ifKept(r), s.load(r.id()), "after save " + i);
    }
  }

  // ------------------------------------------------------------------ listing

  @Test
  void scanReportsEveryRecordExactlyOnceAcrossManyPages() throws Exception {
    SessionStore s = store();
    int n = 450; // more than two pages of 200 (JDBC's fetch size, Redis's SCAN count)
    Set<SessionRecord> expected = new HashSet<>();
    for (int i = 0; i < n; i++) {
      SessionRecord r = record("sess_" + i, i % 2 == 0 ? ALICE : null, now.plusSeconds(600 + i), i,
          Map.of("i", (long) i));
      expected.add(r);
      s.save(r);
    }
    List<CorruptRecordException> corrupt = new ArrayList<>();
    List<SessionRecord> all = new ArrayList<>();
    s.scan(all::add, corrupt::add);
    assertEquals(ifKept(n, 0), all.size(), "no record reported twice");
    assertEquals(ifKept(expected, Set.of()), new HashSet<>(all));
    assertEquals(List.of(), corrupt);
    assertEquals(ifKept(n / 2, 0), s.sessionsOf(ALICE.key()).size());
  }

  @Test
  void sessionsOfListsTheSessionsOfOneUserOnly() throws Exception {
    SessionStore s = store();
    s.save(record("sess_a1", ALICE));
    s.save(record("sess_a2", ALICE, now.plus(Duration.ofDays(1)), 1, Map.of("big", bytes(BIG))));
    s.save(record("sess_b1", BOB));
    s.save(record("sess_j1", JURGEN));
    s.save(record("sess_anon", null));
    List<String> alice = s.sessionsOf(ALICE.key());
    assertEquals(ifKept(Set.of("sess_a1", "sess_a2"), Set.of()), new HashSet<>(alice));
    assertEquals(ifKept(2, 0), alice.size(), "each session once: " + alice);
    assertEquals(ifKept(List.of("sess_b1"), List.of()), s.sessionsOf(BOB.key()));
    assertEquals(ifKept(List.of("sess_j1"), List.of()), s.sessionsOf(JURGEN.key()));
    assertEquals(List.of(), s.sessionsOf("root:nobody"));
    assertEquals(List.of(), s.sessionsOf("root:ali"), "a key's prefix is another key");
  }

  @Test
  void sessionsOfFollowsSignInsSignOutsAndDeletes() throws Exception {
    SessionStore s = store();
    s.save(record("sess_1", ALICE));
    s.save(record("sess_2", ALICE));
    s.save(record("sess_3", null));
    assertEquals(ifKept(Set.of("sess_1", "sess_2"), Set.of()), new HashSet<>(s.sessionsOf(ALICE.key())));
    assertEquals(List.of(), s.sessionsOf(BOB.key()));

    s.save(record("sess_2", BOB)); // another user signs in on the session
    assertEquals(ifKept(List.of("sess_1"), List.of()), s.sessionsOf(ALICE.key()));
    assertEquals(ifKept(List.of("sess_2"), List.of()), s.sessionsOf(BOB.key()));

    s.save(record("sess_2", null)); // signs out
    assertEquals(List.of(), s.sessionsOf(BOB.key()));
    assertEquals(ifKept(List.of("sess_1"), List.of()), s.sessionsOf(ALICE.key()));

    s.delete("sess_1");
    assertEquals(List.of(), s.sessionsOf(ALICE.key()));
    assertEquals(ifKept(Set.of("sess_2", "sess_3"), Set.of()), ids(scanAll(s)));
  }

  @Test
  void unicodeValuesNamesAndUserKeysRoundTripAndAreListed() throws Exception {
    SessionStore s = store();
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("ключ", "значение");
    vars.put("鍵", "値 🗝️");
    vars.put("emoji😀", List.of("👩‍👩‍👧", "e\u0301", "\uFEFF", "\u202Eright-to-left"));
    vars.put("map", Map.of("clé", "välue", "κλειδί", "τιμή"));
    SessionRecord r = new SessionRecord("sess_unicode", sha256("unicode"), JURGEN, "café", null, vars,
        Map.of("flash✓", "ok"), 1, new ClientInfo("::1", "navigateur/2.0 (ünï; 日本語)", "ĺinux"), now, now, null,
        now.plus(Duration.ofHours(1)), 9);
    s.save(r);
    assertEquals(ifKept(r), s.load("sess_unicode"));
    assertEquals(ifKept(List.of("sess_unicode"), List.of()), s.sessionsOf(JURGEN.key()));
    assertEquals(List.of(), s.sessionsOf(new Identity("jürgen_東京_ёж_😀", AuthLevel.NAMESPACE, "cafe", null).key()),
        "user keys are compared as they are, not folded");
  }

  // ------------------------------------------------------------------ expiry

  @Test
  void expiredRecordsAreKeptListedOrDroppedAsTheStoreDeclares() throws Exception {
    SessionStore s = store();
    SessionRecord old = record("sess_old", ALICE, now.minus(Duration.ofDays(1)), 1, Map.of());
    SessionRecord just = record("sess_just", ALICE, now.minusMillis(1), 1, Map.of());
    SessionRecord live = record("sess_live", ALICE, now.plus(Duration.ofHours(1)), 1, Map.of());
    s.save(old);
    s.save(just);
    s.save(live);
    if (!keepsRecords()) {
      assertEquals(List.of(), scanAll(s));
      assertEquals(List.of(), s.sessionsOf(ALICE.key()));
      return;
    }
    assertEquals(Optional.of(live), s.load("sess_live"));
    switch (expiry()) {
      case LISTED_UNTIL_PURGED, KEPT_UNTIL_PURGED_UNLISTED -> {
        assertEquals(Optional.of(old), s.load("sess_old"), "kept until purged");
        assertEquals(Optional.of(just), s.load("sess_just"));
        assertEquals(Set.of(old, just, live), new HashSet<>(scanAll(s)));
        assertEquals(expiry() == Expiry.LISTED_UNTIL_PURGED ? Set.of("sess_old", "sess_just", "sess_live")
            : Set.of("sess_live"), new HashSet<>(s.sessionsOf(ALICE.key())));
      }
      case DROPPED_BY_THE_STORE -> {
        assertEquals(Optional.empty(), s.load("sess_old"), "dropped at once");
        assertEquals(Optional.empty(), s.load("sess_just"));
        assertEquals(List.of(live), scanAll(s));
        assertEquals(List.of("sess_live"), s.sessionsOf(ALICE.key()));
      }
    }
  }

  @Test
  void purgeExpiredDeletesTheExpiredRecordsAndCountsThem() throws Exception {
    SessionStore s = store();
    if (keepsRecords() && expiry() == Expiry.DROPPED_BY_THE_STORE) {
      SessionRecord live = record("sess_live", BOB, now.plus(Duration.ofHours(1)), 1, Map.of());
      s.save(record("sess_old", ALICE, now.minus(Duration.ofDays(1)), 1, Map.of()));
      s.save(live);
      assertEquals(0, s.purgeExpired(now), "the store dropped the expired record itself");
      assertEquals(0, s.purgeExpired(now.plus(Duration.ofHours(2))), "and drops the others when they expire");
      assertEquals(Optional.of(live), s.load("sess_live"));
      assertEquals(List.of("sess_live"), s.sessionsOf(BOB.key()));
      return;
    }
    s.save(record("sess_old", ALICE, now.minus(Duration.ofDays(1)), 1, Map.of()));
    s.save(record("sess_just", ALICE, now.minusMillis(1), 1, Map.of()));
    s.save(record("sess_now", null, now, 1, Map.of())); // expired at now
    s.save(record("sess_nano", ALICE, now.plusNanos(1), 1, Map.of())); // not expired by a nanosecond
    s.save(record("sess_later", BOB, now.plus(Duration.ofHours(1)), 1, Map.of()));
    assertEquals(ifKept(3, 0), s.purgeExpired(now));
    assertEquals(ifKept(Set.of("sess_nano", "sess_later"), Set.of()), ids(scanAll(s)));
    assertEquals(0, s.purgeExpired(now), "nothing more to purge");
    assertEquals(ifKept(2, 0), s.purgeExpired(now.plus(Duration.ofHours(1))));
    assertEquals(List.of(), scanAll(s));
    assertEquals(List.of(), s.sessionsOf(BOB.key()));
  }

  // ------------------------------------------------------------------ damaged records

  @Test
  void aDamagedRecordFailsItsLoadAndScanReportsAndSkipsIt() throws Exception {
    SessionStore s = store();
    SessionRecord good = fullRecord("sess_good", Map.of("big", bytes(BIG)));
    SessionRecord flipped = record("sess_flipped", ALICE, now.plusSeconds(600), 1, Map.of("big", bytes(BIG)));
    SessionRecord truncated = record("sess_truncated", null, now.plusSeconds(600), 1, Map.of("big", bytes(BIG)));
    s.save(good);
    s.save(flipped);
    s.save(truncated);
    if (!keepsRecords()) {
      assertEquals(Optional.empty(), s.load("sess_flipped"));
      assertEquals(List.of(), scanAll(s));
      return;
    }
    byte[] f = storedBytes("sess_flipped");
    f[f.length / 2] ^= 0x5A;
    overwriteStoredBytes("sess_flipped", f);
    byte[] t = storedBytes("sess_truncated");
    overwriteStoredBytes("sess_truncated", Arrays.copyOf(t, t.length - 9));

    CorruptRecordException e1 = assertThrows(CorruptRecordException.class, () -> s.load("sess_flipped"));
    assertEquals("sess_flipped", e1.sessionId());
    CorruptRecordException e2 = assertThrows(CorruptRecordException.class, () -> s.load("sess_truncated"));
    assertEquals("sess_truncated", e2.sessionId());

    List<SessionRecord> seen = new ArrayList<>();
    List<String> corrupt = new ArrayList<>();
    s.scan(seen::add, e -> corrupt.add(e.sessionId()));
    assertEquals(List.of(good), seen);
    assertEquals(Set.of("sess_flipped", "sess_truncated"), new HashSet<>(corrupt));
    assertEquals(2, corrupt.size(), "each reported once: " + corrupt);
    assertEquals(Optional.of(good), s.load("sess_good"));

    assertTrue(s.delete("sess_flipped"), "a damaged record is there, and can be deleted");
    assertEquals(Optional.empty(), s.load("sess_flipped"));
    s.save(flipped);
    assertEquals(Optional.of(flipped), s.load("sess_flipped"), "a save replaces a damaged record");
  }

  // ------------------------------------------------------------------ bad input

  @Test
  void nullArgumentsAreRefusedWithNullPointerException() throws Exception {
    SessionStore s = store();
    SessionRecord r = record("sess_a", ALICE);
    s.save(r);
    if (!keepsRecords()) { // it keeps nothing and ignores every call, even these
      s.save(null);
      assertFalse(s.delete(null));
      s.scan(null, null);
      return;
    }
    assertThrows(NullPointerException.class, () -> s.save(null));
    assertThrows(NullPointerException.class, () -> s.delete(null));
    assertThrows(NullPointerException.class, () -> s.scan(null, e -> { }));
    assertThrows(NullPointerException.class, () -> s.sessionsOf(null));
    assertEquals(Optional.of(r), s.load("sess_a"), "the refused calls changed nothing");
  }

  // ------------------------------------------------------------------ close

  @Test
  void closeIsIdempotentAndEndsTheStoreAsDeclaredKeepingItsRecords() throws Exception {
    SessionStore s = store();
    SessionRecord r = record("sess_a", ALICE);
    s.save(r);
    s.close();
    s.close();
    Map<String, Executable> calls = new LinkedHashMap<>();
    calls.put("load", () -> s.load("sess_a"));
    calls.put("save", () -> s.save(record("sess_b", null)));
    calls.put("delete", () -> s.delete("sess_a"));
    calls.put("scan", () -> s.scan(x -> { }, e -> { }));
    calls.put("sessionsOf", () -> s.sessionsOf(ALICE.key()));
    calls.put("purgeExpired", () -> s.purgeExpired(now));
    for (Map.Entry<String, Executable> call : calls.entrySet()) {
      if (closeEndsTheStore()) {
        SessionStoreException e = assertThrows(SessionStoreException.class, call.getValue(), call.getKey());
        assertFalse(e instanceof CorruptRecordException, call.getKey());
        assertTrue(e.getMessage().contains("is closed"), call.getKey() + ": " + e.getMessage());
      } else {
        assertDoesNotThrow(call.getValue(), call.getKey());
      }
    }
    SessionStore next = open();
    assertEquals(ifKept(r), next.load("sess_a"), "closing a store keeps its records");
    assertEquals(Optional.empty(), next.load("sess_b"));
  }

  // ------------------------------------------------------------------ shared or not

  @Test
  void sharedSaysWhetherStoresOnOneStorageMayBeUsedAtOnceAndSharedOnesSeeEachOther() throws Exception {
    SessionStore a = store();
    assertEquals(expectedShared(), a.shared());
    if (!expectedShared()) {
      return; // one store at a time (the file store refuses a second: see its own tests)
    }
    SessionStore b = open();
    assertTrue(b.shared());
    SessionRecord r = record("sess_shared", ALICE, now.plusSeconds(600), 1, Map.of("by", "a"));
    a.save(r);
    assertEquals(Optional.of(r), b.load("sess_shared"));
    SessionRecord r2 = record("sess_shared", ALICE, now.plusSeconds(600), 2, Map.of("by", "b"));
    b.save(r2);
    assertEquals(Optional.of(r2), a.load("sess_shared"), "the last writer wins");
    assertEquals(List.of("sess_shared"), a.sessionsOf(ALICE.key()));
    assertEquals(List.of(r2), scanAll(a));
    assertTrue(b.delete("sess_shared"));
    assertEquals(Optional.empty(), a.load("sess_shared"));
    assertFalse(a.delete("sess_shared"));
  }

  // ------------------------------------------------------------------ threads

  /** Runs {@code tasks} at once, each on a thread of its own, and rethrows the first failure. */
  private static void runAtOnce(List<Callable<Void>> tasks) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<Void>> futures = new ArrayList<>();
      for (Callable<Void> task : tasks) {
        futures.add(pool.submit(() -> {
          start.await();
          return task.call();
        }));
      }
      start.countDown();
      for (Future<Void> f : futures) {
        f.get(2, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
      assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
    }
  }

  @Test
  void concurrentWritersOfDifferentIdsLoseNoRecord() throws Exception {
    SessionStore s = store();
    List<Callable<Void>> writers = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Identity user = new Identity("u" + t, AuthLevel.ROOT, null, null);
      int thread = t;
      writers.add(() -> {
        for (int i = 0; i < 50; i++) {
          SessionRecord r = record("sess_" + thread + "_" + i, user, now.plusSeconds(600), i, Map.of("i", (long) i));
          s.save(r);
          assertEquals(ifKept(r), s.load(r.id()));
        }
        return null;
      });
    }
    runAtOnce(writers);
    assertEquals(ifKept(200, 0), scanAll(s).size());
    assertEquals(ifKept(50, 0), s.sessionsOf("root:u3").size());
  }

  @Test
  void concurrentSavesOfOneIdLeaveTheLastSaveOfOneWriterAndReadersNeverSeeAHalfWrittenRecord() throws Exception {
    SessionStore s = store();
    int writers = 4;
    int rounds = 15;
    List<String> ids = List.of("sess_c0", "sess_c1", "sess_c2", "sess_c3", "sess_c4");
    List<Callable<Void>> writerTasks = new ArrayList<>();
    for (int t = 0; t < writers; t++) {
      int thread = t;
      writerTasks.add(() -> {
        for (int k = 0; k < rounds; k++) {
          for (String id : ids) { // the writers race each other to insert each id first, then to replace it
            s.save(version(id, thread, k));
          }
        }
        return null;
      });
    }
    AtomicBoolean writing = new AtomicBoolean(true);
    Callable<Void> reader = () -> {
      while (writing.get()) {
        for (String id : ids) {
          Optional<SessionRecord> r = s.load(id); // never corrupt, never a mix of two saves
          if (r.isPresent()) {
            long rev = r.get().revision();
            assertEquals(version(id, (int) (rev / 1000), (int) (rev % 1000)), r.get());
          }
        }
      }
      return null;
    };
    runAtOnce(List.of(() -> {
      try {
        runAtOnce(writerTasks);
      } finally {
        writing.set(false);
      }
      return null;
    }, reader));
    for (String id : ids) {
      Optional<SessionRecord> r = s.load(id);
      if (!keepsRecords()) {
        assertEquals(Optional.empty(), r);
        continue;
      }
      long rev = r.orElseThrow().revision();
      assertEquals(rounds - 1, rev % 1000, id + ": the last save of one writer wins, not an earlier one: " + rev);
      assertEquals(version(id, (int) (rev / 1000), rounds - 1), r.get());
    }
    List<SessionRecord> all = scanAll(s);
    assertEquals(ifKept(ids.size(), 0), all.size());
    assertEquals(ifKept(Set.copyOf(ids), Set.of()), ids(all));
  }

  /** Writer {@code thread}'s {@code k}th save of {@code id}: its revision says which. */
  private SessionRecord version(String id, int thread, int k) {
    return record(id, thread % 2 == 0 ? ALICE : BOB, now.plusSeconds(600), thread * 1000L + k,
        Map.of("by", (long) thread, "k", (long) k, "pad", "x".repeat(k * 37 % 500)));
  }

  // ------------------------------------------------------------------ engines on the store

  private static SessionEngine engineOn(SessionStore s) {
    return SessionEngine.builder().warmUpGraphs(false).store(s).build();
  }

  @Test
  void aSessionOutlivesItsEngineAndSharedStoresShareItBetweenEngines() throws Exception {
    String token;
    try (SessionEngine first = engineOn(open())) {
      Session s = first.open();
      s.set("cart", 3);
      s.set("name", "Ünïcode ✓ 東京 😀");
      token = s.token();
    } // the engine closes, and closes its store: the record stays
    try (SessionEngine a = engineOn(open())) {
      if (!keepsRecords()) {
        assertThrows(SessionNotFoundException.class, () -> a.resume(token), "nothing outlives the engine");
        return;
      }
      Session onA = a.resume(token);
      assertEquals(3L, onA.get("cart"));
      assertEquals("Ünïcode ✓ 東京 😀", onA.get("name"));
      if (!expectedShared()) {
        return;
      }
      try (SessionEngine b = engineOn(open())) {
        onA.set("cart", 4);
        assertEquals(4L, b.resume(token).get("cart"), "the other engine reads the shared record");
        b.resume(token).close();
        assertThrows(SessionNotFoundException.class, () -> a.resume(token), "closed on one engine: gone for both");
      }
    }
  }

  @Test
  void theStoreKeepsTheTokensHashNeverTheTokenAndARotationRewritesTheSameRecord() throws Exception {
    SessionStore s = open();
    try (SessionEngine engine = engineOn(s)) {
      Session session = engine.open();
      session.set("big", bytes(BIG)); // big enough for storedBytes
      String token = session.token();
      String id = session.id();
      if (!keepsRecords()) {
        assertEquals(Optional.empty(), s.load(id));
        assertEquals(List.of(), scanAll(s));
        return;
      }
      SessionRecord r = s.load(id).orElseThrow();
      assertArrayEquals(sha256(token), r.tokenHash(), "the record holds the SHA-256 of the token");
      byte[] kept = storedBytes(id);
      assertFalse(contains(kept, token.getBytes(StandardCharsets.UTF_8)), "the storage never holds the token");
      String half = token.substring(token.length() / 2);
      assertFalse(contains(kept, half.getBytes(StandardCharsets.UTF_8)), "nor a half of it");
      assertTrue(contains(kept, sha256(token)));

      String rotated = session.rotateToken();
      assertNotEquals(token, rotated);
      SessionRecord after = s.load(id).orElseThrow();
      assertArrayEquals(sha256(rotated), after.tokenHash(), "a rotation rewrites the record under the same id");
      assertEquals(List.of(id), new ArrayList<>(ids(scanAll(s))), "one record: it was not moved");
    }
  }

  private static boolean contains(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
