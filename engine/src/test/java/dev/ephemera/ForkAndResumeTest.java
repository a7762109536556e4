package dev.ephemera;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ForkAndResumeTest {
  final RecordingListener events = new RecordingListener();
  final SessionEngine engine = SessionEngine.builder()
      .ticker(new FakeTicker())
      .rootUser("root", "secret")
      .passwordHashIterations(1000)
      .listener(events)
      .build();

  @AfterEach
  void close() {
    engine.close();
  }

  @Test
  void aForkInheritsSignInSelectionVariablesAndPriorityButNotIdentityOrFlash() {
    Session s = engine.open(new ClientInfo("10.0.0.1", "app", null));
    s.signIn(Credentials.root("root", "secret"));
    s.use("acme", "sales");
    s.set("tenant", "t1");
    s.flash("notice", "once");
    s.setPriority(7);
    Session f = s.fork();
    assertNotEquals(s.id(), f.id());
    assertNotEquals(s.token(), f.token());
    SessionInfo i = f.info();
    assertEquals("root", i.user());
    assertEquals("acme", i.namespace());
    assertEquals("sales", i.database());
    assertEquals(7, i.priority());
    assertEquals("10.0.0.1", i.client().address());
    assertEquals(Map.of("tenant", "t1"), f.variables());
    assertNull(f.takeFlash("notice"));
    assertEquals("once", s.takeFlash("notice"));
    assertEquals(1, events.count("forked " + s.id() + " " + f.id()));
  }

  @Test
  void laterChangesOnEitherSideDoNotAffectTheOther() {
    Session s = engine.open();
    s.set("a", 1);
    Session f = s.fork();
    s.set("a", 2);
    f.set("b", 3);
    s.reset("a");
    assertEquals(Map.of("a", 1L, "b", 3L), f.variables());
    assertEquals(Map.of(), s.variables());
    f.close();
    assertEquals(SessionState.ACTIVE, s.state());
  }

  @Test
  void resumeByTokenFindsTheSameSessionAndMarksItUsed() {
    Session s = engine.open();
    s.set("x", "y");
    Session r = engine.resume(s.token());
    assertSame(s, r);
    assertEquals("y", r.get("x"));
    assertEquals(1, events.count("resumed " + s.id()));
  }

  @Test
  void changingAnyOneCharacterOfTheTokenMakesItUseless() {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    Session s = engine.open();
    String token = s.token();
    for (int pos = 0; pos < token.length(); pos++) {
      for (int shift : new int[] {1, 17, 63}) {
        char c = alphabet.charAt((alphabet.indexOf(token.charAt(pos)) + shift) % 64);
        String altered = token.substring(0, pos) + c + token.substring(pos + 1);
        assertThrows(SessionNotFoundException.class, () -> engine.resume(altered), "position " + pos);
      }
    }
    assertSame(s, engine.resume(token));
  }

  /**
   * Chars beyond ASCII whose low byte is the right one: U+0141 'Ł' ends in 0x41 'A', U+FF41 in
   * 0x41 too, U+00C1 'Á' is 0x41 with the high bit set. Each must be refused like any other
   * altered character (resume copies the token's low bytes, so this guards that copy).
   */
  @Test
  void aTokenWithOneCharacterSwappedForANonAsciiLookAlikeIsRefused() {
    Session s = engine.open();
    String token = s.token();
    for (int pos = 0; pos < token.length(); pos++) {
      for (int high : new int[] {0x80, 0x100, 0xFF00}) {
        char c = (char) (token.charAt(pos) + high);
        String altered = token.substring(0, pos) + c + token.substring(pos + 1);
        assertEquals(token.length(), altered.length());
        SessionNotFoundException e = assertThrows(SessionNotFoundException.class, () -> engine.resume(altered),
            "position " + pos + " + " + Integer.toHexString(high));
        assertEquals("no live session for this token", e.getMessage());
      }
    }
    assertSame(s, engine.resume(token));
    assertEquals(1, events.count("resumed " + s.id()));
  }

  @Test
  void unknownMalformedEndedAndAlteredTokensAllGetTheSameAnswer() {
    Session s = engine.open();
    String token = s.token();
    Session ended = engine.open();
    String endedToken = ended.token();
    ended.close();
    char last = token.charAt(token.length() - 1);
    String[] bad = {
        null, "", "x", token + "A", token.substring(1), endedToken,
        token.substring(0, 30) + (token.charAt(30) == 'A' ? 'B' : 'A') + token.substring(31), // secret altered
        token.substring(0, 58) + (last == 'A' ? 'E' : 'A'),                                     // last char altered
        token.substring(0, 58) + "B",                        // non-canonical last char (low bits set)
        "!" + token.substring(1),
        token.substring(0, 16) + "é".repeat(43)
    };
    for (String t : bad) {
      if (t != null && t.equals(token)) {
        continue;
      }
      SessionNotFoundException e = assertThrows(SessionNotFoundException.class, () -> engine.resume(t));
      assertEquals("no live session for this token", e.getMessage());
    }
    assertSame(s, engine.resume(token));
  }
}
