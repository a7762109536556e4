package dev.ephemera;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class SessionLifecycleTest {
  final FakeTicker ticker = new FakeTicker();
  final RecordingListener events = new RecordingListener();
  final SessionEngine engine = SessionEngine.builder()
      .ticker(ticker)
      .clock(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC))
      .listener(events)
      .build();

  @AfterEach
  void close() {
    engine.close();
  }

  @Test
  void openedSessionIsActiveWithPublicIdAndSecretToken() {
    Session s = engine.open();
    assertEquals(SessionState.ACTIVE, s.state());
    assertTrue(s.id().matches("sess_[A-Za-z0-9_-]{16}"), s.id());
    assertTrue(s.token().matches("[A-Za-z0-9_-]{59}"), s.token());
    assertEquals(s.token(), s.token(), "the token is stable until rotated");
    assertEquals(1, events.count("opened"));
  }

  @Test
  void idsAndTokensAreUnique() {
    Set<String> ids = new HashSet<>();
    Set<String> tokens = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      Session s = engine.open();
      assertTrue(ids.add(s.id()));
      assertTrue(tokens.add(s.token()));
      s.close();
    }
  }

  @Test
  void tokenNeverAppearsInToStringOrInfo() {
    Session s = engine.open(new ClientInfo("203.0.113.7", "curl/8", "linux"));
    String token = s.token();
    assertFalse(s.toString().contains(token));
    assertFalse(s.info().toString().contains(token));
    assertFalse(s.toString().contains(token.substring(IdKeyLength.ID_CHARS)));
  }

  @Test
  void infoCarriesClientTimesAndOperations() {
    Session s = engine.open(new ClientInfo("203.0.113.7", "curl/8", "linux"));
    ticker.advance(Duration.ofSeconds(5));
    s.set("a", 1);
    ticker.advance(Duration.ofSeconds(2));
    SessionInfo info = s.info();
    assertEquals("203.0.113.7", info.client().address());
    assertEquals("curl/8", info.client().userAgent());
    assertEquals("linux", info.client().platform());
    assertEquals(Instant.parse("2026-01-01T00:00:00Z"), info.createdAt());
    assertEquals(Instant.parse("2026-01-01T00:00:05Z"), info.lastActiveAt());
    assertEquals(Duration.ofSeconds(2), info.idle());
    assertEquals(Duration.ofSeconds(7), info.age());
    assertEquals(1, info.operations());
    assertEquals(0, info.priority());
    assertNull(info.identity());
    assertNull(info.endReason());
  }

  @Test
  void clientInfoRefusesControlCharactersUnpairedSurrogatesAndOverlongText() {
    assertThrows(IllegalArgumentException.class, () -> new ClientInfo("1.2.3.4\n", null, null));
    assertThrows(IllegalArgumentException.class, () -> new ClientInfo(null, "x".repeat(513), null));
    // a lone surrogate would come back from a stored record as '?', and a bound session would then refuse its own client
    IllegalArgumentException lone = assertThrows(IllegalArgumentException.class, () -> new ClientInfo(null, "ua\uD800", null));
    assertTrue(lone.getMessage().contains("unpaired surrogate at index 2"), lone.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new ClientInfo(null, null, "\uDC00x"));
    assertThrows(IllegalArgumentException.class, () -> new ClientInfo(null, null, null).withCertificate("\uD800\uD800"));
    assertEquals("ua \uD83D\uDE80", new ClientInfo(null, "ua \uD83D\uDE80", null).userAgent(), "a pair is fine");
    assertThrows(NullPointerException.class, () -> engine.open(null));
  }

  @Test
  void closeIsIdempotentAndEndsOnce() {
    Session s = engine.open();
    s.close();
    s.close();
    assertEquals(SessionState.CLOSED, s.state());
    assertEquals(1, events.count("ended"));
    assertEquals(EndReason.CLOSED, events.ended.get(0).endReason());
  }

  @Test
  void everyCallOnAnEndedSessionThrowsNamingHowItEnded() {
    Session s = engine.open();
    String id = s.id();
    engine.kill(id);
    Executable[] calls = {
        () -> s.set("a", 1), () -> s.get("a"), () -> s.get("a", Long.class), () -> s.reset("a"),
        s::resetAll, s::variables, () -> s.flash("f", 1), () -> s.takeFlash("f"), s::touch, s::ping,
        s::fork, () -> s.setPriority(3), () -> s.signIn(Credentials.root("root", "x")), s::signOut,
        () -> s.use("ns", "db"), s::rotateToken, s::token
    };
    for (Executable call : calls) {
      SessionClosedException e = assertThrows(SessionClosedException.class, call);
      assertEquals(id, e.sessionId());
      assertEquals(EndReason.KILLED, e.reason());
      assertTrue(e.getMessage().contains(id) && e.getMessage().contains("killed"), e.getMessage());
    }
    assertEquals(SessionState.KILLED, s.state());
    assertEquals(id, s.id());
    assertEquals(EndReason.KILLED, s.info().endReason());
    s.close(); // still fine
    assertEquals(SessionState.KILLED, s.state(), "close after kill does not change how it ended");
  }

  @Test
  void pingAnswersPongAndTouchCountsAsActivity() {
    Session s = engine.open();
    ticker.advance(Duration.ofMinutes(1));
    assertEquals("PONG", s.ping());
    assertEquals(Duration.ZERO, s.info().idle());
    ticker.advance(Duration.ofMinutes(1));
    s.touch();
    assertEquals(Duration.ZERO, s.info().idle());
    assertEquals(2, s.info().operations());
  }

  /** The token starts with the 16 characters of the id's random bits. */
  static final class IdKeyLength {
    static final int ID_CHARS = 16;
  }
}
