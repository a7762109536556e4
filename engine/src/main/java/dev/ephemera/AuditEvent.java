package dev.ephemera;

import dev.ephemera.internal.util.Json;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One entry of the audit log: what happened, when, to which session and for which client.
 * Written to an {@link AuditSink}, usually as one line of {@link #toJson()}. Events name sessions
 * by their public id, never by their token.
 *
 * @param type what happened
 * @param at when it happened
 * @param sessionId the public id of the session concerned, or {@code null}
 * @param user the signed-in (or, for {@link AuditEventType#AUTH_FAILED}, claimed) user, or {@code null}
 * @param clientAddress the client's network address ({@link ClientInfo#address()}), or {@code null}
 * @param userAgent the client's user agent ({@link ClientInfo#userAgent()}), or {@code null}
 * @param details further named values, in the order given; never {@code null}, unmodifiable,
 *     no {@code null} keys ({@code null} values are allowed)
 */
public record AuditEvent(
    AuditEventType type,
    Instant at,
    String sessionId,
    String user,
    String clientAddress,
    String userAgent,
    Map<String, String> details) {

  /**
   * @throws NullPointerException if {@code type} or {@code at} is {@code null}, or {@code details}
   *     has a {@code null} key
   */
  public AuditEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(at, "at");
    details = copy(details);
  }

  private static Map<String, String> copy(Map<String, String> details) {
    if (details == null || details.isEmpty()) {
      return Map.of();
    }
    LinkedHashMap<String, String> copy = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : details.entrySet()) {
      if (e.getKey() == null) {
        throw new NullPointerException("details has a null key");
      }
      copy.put(e.getKey(), e.getValue());
    }
    return Collections.unmodifiableMap(copy);
  }

  /**
   * This event as one JSON object on one line, without a line break at the end:
   *
   * <pre>{@code
   * {"ts":"2024-05-01T12:00:00Z","event":"auth_failed","session_id":"sess_…","user":"alice",
   *  "client_address":"203.0.113.7","user_agent":null,"details":{"reason":"wrong password"}}
   * }</pre>
   *
   * <p>(shown on two lines here). The keys always come in this order; {@code "ts"} is the
   * ISO-8601 UTC instant; absent strings are JSON {@code null}; {@code "details"} is left out when
   * there are none. Strings are escaped per RFC 8259, and also U+2028, U+2029 and unpaired
   * surrogates, so the line is valid UTF-8 JSON whatever the strings hold.
   */
  public String toJson() {
    StringBuilder out = new StringBuilder(160);
    out.append("{\"ts\":\"");
    DateTimeFormatter.ISO_INSTANT.formatTo(at, out);
    out.append("\",\"event\":\"").append(type.wireName()).append('"');
    field(out, "session_id", sessionId);
    field(out, "user", user);
    field(out, "client_address", clientAddress);
    field(out, "user_agent", userAgent);
    if (!details.isEmpty()) {
      out.append(",\"details\":{");
      boolean first = true;
      for (Map.Entry<String, String> e : details.entrySet()) {
        if (!first) {
          out.append(',');
        }
        first = false;
        Json.appendString(out, e.getKey());
        out.append(':');
        Json.appendString(out, e.getValue());
      }
      out.append('}');
    }
    return out.append('}').toString();
  }

  private static void field(StringBuilder out, String name, String value) {
    out.append(",\"").append(name).append("\":");
    Json.appendString(out, value);
  }
}
