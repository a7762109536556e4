package dev.ephemera.internal.util;

/**
 * JSON string literals (RFC 8259) that always fit on one line and are always valid UTF-8: besides
 * {@code "}, {@code \} and the control characters below U+0020, it escapes U+2028 and U+2029
 * (line breaks to JavaScript and some log readers) and unpaired surrogates (not encodable in UTF-8).
 */
public final class Json {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private Json() {}

  /** Appends {@code s} as a quoted JSON string, or {@code null} if it is {@code null}. */
  public static void appendString(StringBuilder out, String s) {
    if (s == null) {
      out.append("null");
      return;
    }
    out.append('"');
    int n = s.length();
    int plain = 0; // start of the run of characters not yet appended
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c != '"' && c != '\\' && c != '\u2028' && c != '\u2029' && !Character.isSurrogate(c)) {
        continue;
      }
      if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++; // a proper pair: copied as it is
        continue;
      }
      String escape = switch (c) {
        case '"' -> "\\\"";
        case '\\' -> "\\\\";
        case '\n' -> "\\n";
        case '\r' -> "\\r";
        case '\t' -> "\\t";
        case '\b' -> "\\b";
        case '\f' -> "\\f";
        default -> null;
      };
      out.append(s, plain, i);
      if (escape != null) {
        out.append(escape);
      } else {
        out.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 15]).append(HEX[(c >> 4) & 15]).append(HEX[c & 15]);
      }
      plain = i + 1;
    }
    out.append(s, plain, n).append('"');
  }
}
