package dev.ephemera;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link AuditEvent#toJson()}, checked by a small strict parser, and {@link AuditSinks#jsonLines}. */
class AuditSinkTest {
  static final Instant AT = Instant.parse("2024-05-01T12:00:00Z");

  @TempDir
  Path dir;

  static AuditEvent event(AuditEventType type, Map<String, String> details) {
    return new AuditEvent(type, AT, "sess_AAAAAAAAAAAAAAAA", "alice", "203.0.113.7", "curl/8.0", details);
  }

  // ---- the event --------------------------------------------------------------------------

  @Test
  void wireNamesAreTheConstantsInLowerSnakeCase() {
    assertEquals("session_created", AuditEventType.SESSION_CREATED.wireName());
    assertEquals("session_limit_terminated", AuditEventType.SESSION_LIMIT_TERMINATED.wireName());
    for (AuditEventType t : AuditEventType.values()) {
      assertEquals(t.name().toLowerCase(Locale.ROOT), t.wireName());
    }
  }

  @Test
  void typeAndInstantAreRequiredAndNamedWhenMissing() {
    NullPointerException e = assertThrows(NullPointerException.class,
        () -> new AuditEvent(null, AT, null, null, null, null, null));
    assertEquals("type", e.getMessage());
    e = assertThrows(NullPointerException.class,
        () -> new AuditEvent(AuditEventType.AUTH_FAILED, null, null, null, null, null, null));
    assertEquals("at", e.getMessage());
  }

  @Test
  void detailsAreAnUnmodifiableCopyInTheGivenOrder() {
    assertEquals(Map.of(), new AuditEvent(AuditEventType.AUTH_FAILED, AT, null, null, null, null, null).details());

    Map<String, String> given = new LinkedHashMap<>();
    given.put("zeta", "1");
    given.put("alpha", null);
    given.put("mid", "3");
    AuditEvent e = event(AuditEventType.VARIABLE_CHANGED, given);
    given.put("later", "4");
    assertEquals(List.of("zeta", "alpha", "mid"), List.copyOf(e.details().keySet()));
    assertNull(e.details().get("alpha"));
    assertThrows(UnsupportedOperationException.class, () -> e.details().put("x", "y"));

    Map<String, String> nullKey = new HashMap<>();
    nullKey.put(null, "v");
    assertThrows(NullPointerException.class, () -> event(AuditEventType.VARIABLE_CHANGED, nullKey));
  }

  @Test
  void toJsonWritesTheKeysInOrderAndAbsentStringsAsNull() {
    AuditEvent bare = new AuditEvent(AuditEventType.AUTH_FAILED, AT, null, null, null, null, Map.of());
    assertEquals("{\"ts\":\"2024-05-01T12:00:00Z\",\"event\":\"auth_failed\",\"session_id\":null,\"user\":null,"
        + "\"client_address\":null,\"user_agent\":null}", bare.toJson());

    Map<String, String> details = new LinkedHashMap<>();
    details.put("name", "tenant_id");
    details.put("old", null);
    AuditEvent full = new AuditEvent(AuditEventType.VARIABLE_CHANGED, Instant.parse("2024-05-01T12:00:00.123456789Z"),
        "sess_AAAAAAAAAAAAAAAA", "alice", "203.0.113.7", "curl/8.0", details);
    String json = full.toJson();
    assertEquals("{\"ts\":\"2024-05-01T12:00:00.123456789Z\",\"event\":\"variable_changed\","
        + "\"session_id\":\"sess_AAAAAAAAAAAAAAAA\",\"user\":\"alice\",\"client_address\":\"203.0.113.7\","
        + "\"user_agent\":\"curl/8.0\",\"details\":{\"name\":\"tenant_id\",\"old\":null}}", json);
    Map<String, Object> parsed = StrictJson.parse(json);
    assertEquals(List.of("ts", "event", "session_id", "user", "client_address", "user_agent", "details"),
        List.copyOf(parsed.keySet()));
    assertEquals(details, parsed.get("details"));
  }

  @Test
  void toJsonEscapesEverythingThatCouldBreakTheLineOrItsEncoding() {
    String nasty = "a\"b\\c/\n\r\t\b\f\u0000\u0001\u001f\u007f\u2028\u2029\uD800x\uDC00\uD83D\uDE00é";
    AuditEvent e = new AuditEvent(AuditEventType.ACCESS_DENIED, AT, null, nasty, null, null, Map.of(nasty, nasty));
    String json = e.toJson();

    String escaped = "\"a\\\"b\\\\c/\\n\\r\\t\\b\\f\\u0000\\u0001\\u001F\u007f\\u2028\\u2029\\uD800x\\uDC00\uD83D\uDE00é\"";
    assertEquals("{\"ts\":\"2024-05-01T12:00:00Z\",\"event\":\"access_denied\",\"session_id\":null,\"user\":" + escaped
        + ",\"client_address\":null,\"user_agent\":null,\"details\":{" + escaped + ":" + escaped + "}}", json);

    json.chars().forEach(c -> assertFalse(c < 0x20 || c == 0x2028 || c == 0x2029, "raw U+" + Integer.toHexString(c)));
    assertDoesNotThrow(() -> StandardCharsets.UTF_8.newEncoder()
        .onMalformedInput(CodingErrorAction.REPORT).encode(CharBuffer.wrap(json)), "valid UTF-8");
    Map<String, Object> parsed = StrictJson.parse(json);
    assertEquals(nasty, parsed.get("user"));
    assertEquals(Map.of(nasty, nasty), parsed.get("details"));
  }

  // ---- the JSON Lines file ------------------------------------------------------------------

  @Test
  void jsonLinesWritesOneLinePerEventAndAppendsToAnExistingFile() throws IOException {
    Path file = dir.resolve("audit.log");
    Files.writeString(file, "earlier line\n");
    AuditEvent a = event(AuditEventType.SESSION_CREATED, null);
    AuditEvent b = event(AuditEventType.TOKEN_ROTATED, Map.of("why", "line\nbreak"));
    try (AuditSink sink = AuditSinks.jsonLines(file)) {
      sink.write(a);
      sink.write(b);
    }
    assertEquals(List.of("earlier line", a.toJson(), b.toJson()), Files.readAllLines(file, StandardCharsets.UTF_8));
    assertTrue(Files.readString(file).endsWith("}\n"));
  }

  @Test
  void flushAndCloseMakeTheEventsVisibleAndClosingTwiceIsHarmless() throws IOException {
    Path file = dir.resolve("audit.log");
    AuditSink sink = AuditSinks.jsonLines(file);
    AuditEvent a = event(AuditEventType.AUTH_SUCCEEDED, null);
    sink.write(a);
    sink.flush();
    assertEquals(List.of(a.toJson()), Files.readAllLines(file));
    AuditEvent b = event(AuditEventType.SESSION_CLOSED, null);
    sink.write(b);
    sink.close();
    assertEquals(List.of(a.toJson(), b.toJson()), Files.readAllLines(file));
    sink.close();
    sink.flush();
    assertThrows(IOException.class, () -> sink.write(a));
  }

  @Test
  void theFileIsWrittenInUtf8() throws IOException {
    Path file = dir.resolve("audit.log");
    AuditEvent e = event(AuditEventType.AUTH_FAILED, Map.of("user", "Jürgen \uD83D\uDE00"));
    try (AuditSink sink = AuditSinks.jsonLines(file)) {
      sink.write(e);
    }
    byte[] bytes = Files.readAllBytes(file);
    String text = assertDoesNotThrow(() -> StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString());
    assertEquals(e.toJson() + "\n", text);
  }

  @Test
  void whenTheParentDirectoryIsMissingThenTheFactoryFailsNamingThePath() {
    Path file = dir.resolve("missing").resolve("audit.log");
    UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> AuditSinks.jsonLines(file));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertFalse(Files.exists(file.getParent()));
  }

  /**
   * Parses the compact JSON that {@link AuditEvent#toJson()} writes: one object of strings,
   * {@code null}s and nested objects, no whitespace. Anything else, including a raw control
   * character or an unknown escape, fails the test.
   */
  static final class StrictJson {
    private final String s;
    private int i;

    private StrictJson(String s) {
      this.s = s;
    }

    static Map<String, Object> parse(String json) {
      StrictJson p = new StrictJson(json);
      Map<String, Object> o = p.object();
      assertEquals(json.length(), p.i, "trailing text");
      return o;
    }

    private Map<String, Object> object() {
      expect('{');
      Map<String, Object> o = new LinkedHashMap<>();
      if (peek() == '}') {
        i++;
        return o;
      }
      for (;;) {
        String key = string();
        expect(':');
        assertNull(o.put(key, value()), "duplicate key " + key);
        char c = next();
        if (c == '}') {
          return o;
        }
        assertEquals(',', c, "expected , or } at " + (i - 1));
      }
    }

    private Object value() {
      char c = peek();
      if (c == '{') {
        return object();
      }
      if (c == '"') {
        return string();
      }
      assertTrue(s.startsWith("null", i), "expected a value at " + i);
      i += 4;
      return null;
    }

    private String string() {
      expect('"');
      StringBuilder out = new StringBuilder();
      for (char c = next(); c != '"'; c = next()) {
        assertTrue(c >= 0x20, "raw control character at " + (i - 1));
        if (c != '\\') {
          out.append(c);
          continue;
        }
        char e = next();
        switch (e) {
          case '"', '\\', '/' -> out.append(e);
          case 'n' -> out.append('\n');
          case 'r' -> out.append('\r');
          case 't' -> out.append('\t');
          case 'b' -> out.append('\b');
          case 'f' -> out.append('\f');
          case 'u' -> {
            String hex = s.substring(i, i + 4);
            assertTrue(hex.matches("[0-9A-Fa-f]{4}"), "bad \\u escape " + hex);
            out.append((char) Integer.parseInt(hex, 16));
            i += 4;
          }
          default -> fail("unknown escape \\" + e);
        }
      }
      return out.toString();
    }

    private void expect(char c) {
      assertEquals(c, next(), "at " + (i - 1) + " in " + s);
    }

    private char peek() {
      assertTrue(i < s.length(), "unexpected end");
      return s.charAt(i);
    }

    private char next() {
      char c = peek();
      i++;
      return c;
    }
  }
}
