package dev.ephemera;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tokens, client binding, re-authentication, sign-in lockout and the audit log. */
class SecurityTest {
  private static final ClientInfo HOME = new ClientInfo("203.0.113.7", "browser/1", "linux");
  private static final ClientInfo ELSEWHERE = new ClientInfo("198.51.100.9", "curl/8", "linux");

  final FakeTicker ticker = new FakeTicker();

  @TempDir
  Path dir;

  private SessionEngine.Builder builder() {
    return SessionEngine.builder().ticker(ticker).rootUser("root", "secret").passwordHashIterations(1000);
  }

  /** A sink that keeps events in memory; read it after the engine is closed (writing is asynchronous). */
  static final class Recording implements AuditSink {
    final List<AuditEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void write(AuditEvent event) {
      events.add(event);
    }

    Set<AuditEventType> types() {
      return events.stream().map(AuditEvent::type).collect(Collectors.toCollection(() -> EnumSet.noneOf(AuditEventType.class)));
    }
  }

  // ---- tokens ----------------------------------------------------------------------------------

  @Test
  void aTokenIsUrlSafeCarries256RandomBitsAndIsNotTheId() {
    try (SessionEngine engine = builder().build()) {
      Set<String> secrets = new java.util.HashSet<>();
      for (int i = 0; i < 1000; i++) {
        Session s = engine.open();
        String token = s.token();
        assertTrue(Pattern.matches("[A-Za-z0-9_-]+", token), token);
        String secret = token.substring(token.length() - 43); // 43 base64url characters = 256 bits (258 with padding bits)
        assertTrue(secrets.add(secret));
        assertFalse(s.id().contains(secret));
        assertThrows(SessionNotFoundException.class, () -> engine.resume(s.id()));
        assertThrows(SessionNotFoundException.class, () -> engine.resume(s.id().substring(5) + secret.substring(1) + "A"));
        char last = token.charAt(token.length() - 1);
        String tampered = token.substring(0, token.length() - 1) + (last == 'A' ? 'B' : 'A');
        assertThrows(SessionNotFoundException.class, () -> engine.resume(tampered));
        s.close();
      }
    }
  }

  @Test
  void theTokenAppearsInNoToStringListingStatsOrError() {
    Recording audit = new Recording();
    List<String> texts = new ArrayList<>();
    List<String> tokens = new ArrayList<>();
    try (SessionEngine engine = builder().audit(audit).build()) {
      engine.users().create(Credentials.database("acme", "sales", "alice", "pw"));
      Session s = engine.open(HOME);
      tokens.add(s.token());
      s.signIn(Credentials.database("acme", "sales", "alice", "pw"));
      tokens.add(s.token());
      s.set("tenant", "t1");
      texts.add(s.toString());
      texts.add(s.info().toString());
      texts.add(engine.sessions().toString());
      texts.add(engine.stats().toString());
      texts.add(engine.toString());
      texts.add(assertThrows(AccessDeniedException.class, () -> s.use("acme", "hr")).getMessage());
      texts.add(assertThrows(SessionNotFoundException.class, () -> engine.resume(tokens.get(0))).getMessage());
      texts.add(assertThrows(EphemeraException.class, () -> s.query("SELECT * FROM \"acme.hr\".x")).getMessage());
      tokens.add(s.rotateToken());
      s.close();
      texts.add(assertThrows(SessionClosedException.class, () -> s.get("tenant")).getMessage());
    }
    for (AuditEvent e : audit.events) {
      texts.add(e.toJson());
      texts.add(e.toString());
    }
    for (String token : tokens) {
      String secret = token.substring(token.length() - 43);
      for (String t : texts) {
        assertFalse(t.contains(secret), () -> "the token is in: " + t);
      }
    }
  }

  @Test
  void aRotatedTokenStopsResumingAtOnceAlsoOnSignInAndSignOut() {
    try (SessionEngine engine = builder().build()) {
      Session s = engine.open();
      String t0 = s.token();
      String t1 = s.rotateToken();
      assertNotEquals(t0, t1);
      assertThrows(SessionNotFoundException.class, () -> engine.resume(t0));
      assertSame(s, engine.resume(t1));
      s.signIn(Credentials.root("root", "secret"));
      assertThrows(SessionNotFoundException.class, () -> engine.resume(t1));
      String t2 = s.token();
      s.signOut();
      assertThrows(SessionNotFoundException.class, () -> engine.resume(t2));
      assertSame(s, engine.resume(s.token()));
    }
  }

  // ---- binding ---------------------------------------------------------------------------------

  @Test
  void aBoundSessionResumesOnlyForItsOwnAddressAndTheRefusalIsAudited() {
    Recording audit = new Recording();
    Session s;
    try (SessionEngine engine = builder().audit(audit).bindSessionsTo(ClientBinding.ADDRESS, BindingViolation.REFUSE).build()) {
      s = engine.open(HOME);
      String token = s.token();
      assertSame(s, engine.resume(token, new ClientInfo(HOME.address(), "another-agent", null)));
      SessionBindingException e = assertThrows(SessionBindingException.class, () -> engine.resume(token, ELSEWHERE));
      assertFalse(e.killed());
      assertFalse(e.getMessage().contains(HOME.address()), "the bound value is not revealed");
      assertThrows(SessionBindingException.class, () -> engine.resume(token), "no client: not the bound one");
      assertEquals(SessionState.ACTIVE, s.state(), "REFUSE keeps the session for its own client");
      assertSame(s, engine.resume(token, HOME));
      Session unbound = engine.open(); // opened without an address: nothing to bind
      assertSame(unbound, engine.resume(unbound.token(), ELSEWHERE));
    }
    AuditEvent refused = audit.events.stream().filter(a -> a.type() == AuditEventType.BINDING_REFUSED).findFirst().orElseThrow();
    assertEquals(s.id(), refused.sessionId());
    assertEquals(ELSEWHERE.address(), refused.clientAddress(), "the event names the client that tried");
    assertEquals("address", refused.details().get("mismatch"));
  }

  @Test
  void refuseAndKillEndsAHijackedSession() {
    Recording audit = new Recording();
    try (SessionEngine engine = builder().audit(audit)
        .bindSessionsTo(ClientBinding.ADDRESS_AND_CERTIFICATE, BindingViolation.REFUSE_AND_KILL).build()) {
      Session s = engine.open(HOME.withCertificate("ab:cd"));
      String token = s.token();
      assertSame(s, engine.resume(token, HOME.withCertificate("ab:cd")));
      SessionBindingException e = assertThrows(SessionBindingException.class,
          () -> engine.resume(token, HOME.withCertificate("ef:01")));
      assertTrue(e.killed());
      assertTrue(e.getMessage().contains("certificate"), e.getMessage());
      assertEquals(SessionState.KILLED, s.state());
      assertThrows(SessionNotFoundException.class, () -> engine.resume(token, HOME.withCertificate("ab:cd")));
    }
    assertTrue(audit.types().containsAll(EnumSet.of(AuditEventType.BINDING_REFUSED, AuditEventType.SESSION_KILLED)));
  }

  // ---- re-authentication -----------------------------------------------------------------------

  @Test
  void afterTheReauthIntervalOnlySignInPingAndCloseWork() {
    try (SessionEngine engine = builder().reauthInterval(Duration.ofMinutes(15)).idleTimeout(Duration.ofHours(2)).build()) {
      Session s = engine.open();
      s.set("before", 1);
      s.signIn(Credentials.root("root", "secret"));
      ticker.advance(Duration.ofMinutes(14));
      assertEquals(1L, s.get("before"));
      Session child = s.fork();
      ticker.advance(Duration.ofMinutes(2));
      List<Runnable> refused = List.of(
          () -> s.get("before"), () -> s.set("x", 1), () -> s.reset("before"), () -> s.variables(),
          () -> s.execute("CREATE LOCAL TEMPORARY TABLE t (a INT)"), () -> s.createTempGraph("g"),
          () -> s.use("acme", "sales"), () -> s.fork(), () -> s.rotateToken(), () -> s.signOut(),
          () -> s.begin(), () -> s.touch(), () -> child.get("before"));
      for (Runnable r : refused) {
        ReauthenticationRequiredException e = assertThrows(ReauthenticationRequiredException.class, r::run);
        assertEquals(s.id().equals(e.sessionId()) ? s.id() : child.id(), e.sessionId());
      }
      assertEquals("PONG", s.ping());
      s.signIn(Credentials.root("root", "secret"));
      assertEquals(1L, s.get("before"), "the refused calls changed nothing");
      assertEquals(List.of(), s.tempTables());
      assertEquals(List.of(), s.tempGraphs());
      Session anon = engine.open();
      ticker.advance(Duration.ofHours(1));
      anon.set("y", 2); // a session that is not signed in has no sign-in to expire
      assertThrows(ReauthenticationRequiredException.class, () -> s.get("before"));
      s.close();
      assertEquals(SessionState.CLOSED, s.state());
    }
  }

  // ---- brute force ------------------------------------------------------------------------------

  @Test
  void repeatedFailuresLockOutThatUserFromThatAddressOnlyAndTheLockoutEnds() {
    try (SessionEngine engine = builder().signInLockout(3, Duration.ofMinutes(1)).idleTimeout(Duration.ofHours(1)).build()) {
      Session attacker = engine.open(ELSEWHERE);
      for (int i = 0; i < 3; i++) {
        assertThrows(AuthenticationException.class, () -> attacker.signIn(Credentials.root("root", "guess")));
      }
      SignInLockedException locked = assertThrows(SignInLockedException.class,
          () -> attacker.signIn(Credentials.root("root", "secret")));
      assertEquals(Duration.ofMinutes(1), locked.retryAfter());
      assertNull(attacker.info().identity(), "even the right password is refused while locked");
      Session owner = engine.open(HOME);
      owner.signIn(Credentials.root("root", "secret")); // another address is not locked out
      ticker.advance(Duration.ofSeconds(61));
      attacker.signIn(Credentials.root("root", "secret"));
      assertEquals(AuthLevel.ROOT, attacker.info().identity().level());
      assertEquals(1, engine.stats().signInsLocked());
    }
  }

  @Test
  void aSuccessfulSignInResetsTheFailureCount() {
    try (SessionEngine engine = builder().signInLockout(3, Duration.ofMinutes(1)).build()) {
      Session s = engine.open(HOME);
      for (int round = 0; round < 3; round++) {
        assertThrows(AuthenticationException.class, () -> s.signIn(Credentials.root("root", "typo")));
        assertThrows(AuthenticationException.class, () -> s.signIn(Credentials.root("root", "typo")));
        s.signIn(Credentials.root("root", "secret"));
      }
      assertEquals(0, engine.stats().signInsLocked());
    }
  }

  // ---- audit -----------------------------------------------------------------------------------

  @Test
  void everyKindOfEventReachesTheJsonLinesFileWithClientAndNoValues() throws IOException {
    Path log = dir.resolve("audit.jsonl");
    List<String> secrets = new ArrayList<>();
    try (SessionEngine engine = builder().audit(AuditSinks.jsonLines(log))
        .idleTimeout(Duration.ofMinutes(10)).maxSessionsPerUser(1, ExceedPolicy.TERMINATE_OLDEST)
        .bindSessionsTo(ClientBinding.ADDRESS, BindingViolation.REFUSE).build()) {
      engine.users().create(Credentials.database("acme", "sales", "alice", "pw"));
      Session s = engine.open(HOME);
      assertThrows(AuthenticationException.class, () -> s.signIn(Credentials.database("acme", "sales", "alice", "nope")));
      s.signIn(Credentials.database("acme", "sales", "alice", "pw"));
      s.set("card", "4111-1111-1111-1111");
      s.reset("card");
      secrets.add(s.rotateToken());
      assertThrows(AccessDeniedException.class, () -> s.use("acme", "hr"));
      assertThrows(SessionBindingException.class, () -> engine.resume(s.token(), ELSEWHERE));
      secrets.add(s.token());
      Session second = engine.open(HOME);
      second.signIn(Credentials.database("acme", "sales", "alice", "pw")); // terminates s (limit 1)
      assertEquals(EndReason.USER_LIMIT, s.info().endReason());
      Session idle = engine.open();
      ticker.advance(Duration.ofMinutes(11));
      engine.runMaintenance();
      assertEquals(SessionState.EXPIRED, idle.state());
      Session killed = engine.open();
      engine.kill(killed.id());
      engine.open().close();
    }
    List<String> lines = Files.readAllLines(log);
    Set<String> kinds = new java.util.HashSet<>();
    for (String line : lines) {
      assertTrue(line.startsWith("{\"ts\":\"") && line.endsWith("}"), line);
      assertTrue(Pattern.compile("\"ts\":\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z\"").matcher(line).find(), line);
      var m = Pattern.compile("\"event\":\"([a-z_]+)\"").matcher(line);
      assertTrue(m.find(), line);
      kinds.add(m.group(1));
      assertFalse(line.contains("4111"), "values are redacted: " + line);
      assertFalse(line.contains("\"nope\"") || line.contains("\"pw\""), "never a password: " + line);
      for (String t : secrets) {
        assertFalse(line.contains(t.substring(t.length() - 43)), "never a token: " + line);
      }
    }
    for (AuditEventType t : AuditEventType.values()) {
      assertTrue(kinds.contains(t.wireName()), "missing " + t.wireName() + " in " + lines);
    }
    String failed = lines.stream().filter(l -> l.contains("\"auth_failed\"")).findFirst().orElseThrow();
    assertTrue(failed.contains("\"user\":\"alice\"") && failed.contains("\"client_address\":\"203.0.113.7\"")
        && failed.contains("\"user_agent\":\"browser/1\""), failed);
    String changed = lines.stream().filter(l -> l.contains("\"variable_changed\"")).findFirst().orElseThrow();
    assertTrue(changed.contains("\"variable\":\"card\""), changed);
  }

  @Test
  void variableValuesAreWrittenOnlyWhenTheBuilderOptsIn() {
    Recording audit = new Recording();
    try (SessionEngine engine = builder().audit(audit).auditVariableValues(true).build()) {
      engine.open().set("plan", "gold");
    }
    AuditEvent e = audit.events.stream().filter(a -> a.type() == AuditEventType.VARIABLE_CHANGED).findFirst().orElseThrow();
    assertEquals("gold", e.details().get("value"));
  }

  @Test
  void aFullAuditBufferNeverBlocksASessionAndCountsWhatItDrops() {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch firstWrite = new CountDownLatch(1);
    AuditSink stuck = event -> {
      firstWrite.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
    SessionEngine engine = builder().audit(stuck).auditBufferSize(4).build();
    try {
      assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
        Session s = engine.open();
        firstWrite.await(); // the sink holds the writer thread now
        for (int i = 0; i < 100; i++) {
          s.set("v", i); // each is an event; the sink takes none of them
        }
        assertEquals(99L, s.get("v"));
      });
      assertTrue(engine.stats().auditDropped() >= 100 - 4, "dropped " + engine.stats().auditDropped());
    } finally {
      release.countDown();
      engine.close();
    }
    assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().startsWith("ephemera-audit")),
        "the audit thread ends with the engine");
  }
}
