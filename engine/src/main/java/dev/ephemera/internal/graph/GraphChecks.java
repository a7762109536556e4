package dev.ephemera.internal.graph;

import dev.ephemera.ResourceLimitException;
import dev.ephemera.ValueTooLargeException;
import dev.ephemera.internal.util.Buf;
import dev.ephemera.internal.util.Values;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a temporary graph accepts: node keys, labels, edge types and property names (stored as
 * UTF-8, so they must be well-formed Unicode), property values (the session variables' value
 * types), the size of a record, and the error for a session over its off-heap budget.
 */
final class GraphChecks {
  static final int MAX_KEY_CHARS = 1024;
  static final int MAX_RECORD_BYTES = 16 * 1024;

  private GraphChecks() {}

  static String checkKey(String key) {
    if (key == null) {
      throw new IllegalArgumentException("node key must not be null");
    }
    if (key.isEmpty() || key.length() > MAX_KEY_CHARS) {
      throw new IllegalArgumentException("node key must be 1 to " + MAX_KEY_CHARS + " characters: got "
          + key.length());
    }
    // keys are stored as UTF-8, where an unpaired surrogate becomes '?': "k\uD800" would be node "k?"
    int bad = Values.unpairedSurrogate(key);
    if (bad >= 0) {
      throw new IllegalArgumentException("node key must be well-formed Unicode: an unpaired surrogate at index " + bad);
    }
    return key;
  }

  static String checkSymbol(String what, String s) {
    if (s == null) {
      throw new IllegalArgumentException(what + " must not be null");
    }
    if (s.isEmpty() || s.length() > 128) {
      throw new IllegalArgumentException(what + " must be 1 to 128 characters: got " + s.length());
    }
    for (int i = 0; i < s.length(); i++) {
      if (Character.isISOControl(s.charAt(i))) {
        throw new IllegalArgumentException(what + " must not contain control characters (index " + i + ")");
      }
    }
    int bad = Values.unpairedSurrogate(s); // property names are stored as UTF-8 (see checkKey)
    if (bad >= 0) {
      throw new IllegalArgumentException(what + " must be well-formed Unicode: an unpaired surrogate at index " + bad);
    }
    return s;
  }

  static Map<String, Object> checkProperties(Map<String, ?> properties) {
    Objects.requireNonNull(properties, "properties");
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, ?> e : properties.entrySet()) {
      String p = checkSymbol("property name", e.getKey());
      out.put(p, Values.normalize(p, e.getValue()));
    }
    return out;
  }

  static void checkRecord(String what, Buf record) {
    if (record.len > MAX_RECORD_BYTES) {
      throw new ValueTooLargeException("the labels and properties of " + what + " take " + record.len
          + " bytes encoded; at most " + MAX_RECORD_BYTES + " are allowed", record.len, MAX_RECORD_BYTES);
    }
  }

  static ResourceLimitException overBudget(String graph, long limit, long used) {
    return new ResourceLimitException("the session's temporary graphs hold " + used + " off-heap bytes, at its limit of "
        + limit + " (maxGraphBytes): graph '" + graph + "' was not changed", "graph bytes", limit, used);
  }
}
