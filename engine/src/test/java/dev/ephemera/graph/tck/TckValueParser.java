package dev.ephemera.graph.tck;

import dev.ephemera.graph.tck.TckValue.BooleanValue;
import dev.ephemera.graph.tck.TckValue.FloatValue;
import dev.ephemera.graph.tck.TckValue.IntegerValue;
import dev.ephemera.graph.tck.TckValue.ListValue;
import dev.ephemera.graph.tck.TckValue.MapValue;
import dev.ephemera.graph.tck.TckValue.NodeValue;
import dev.ephemera.graph.tck.TckValue.PathStep;
import dev.ephemera.graph.tck.TckValue.PathValue;
import dev.ephemera.graph.tck.TckValue.RelationshipValue;
import dev.ephemera.graph.tck.TckValue.StringValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a value written the way the TCK writes expected results and parameters: {@code null},
 * {@code true}, {@code false}, integers ({@code -1}, {@code 0x1F}, {@code 0o17}), floats
 * ({@code 1.0}, {@code -0.5}, {@code 1e10}, {@code NaN}, {@code Infinity}, {@code -Infinity}),
 * strings in single or double quotes with backslash escapes, lists {@code [1, 'a']}, maps
 * {@code {a: 1, `b c`: 'x'}}, nodes {@code (:A:B {name: 'a'})}, relationships
 * {@code [:T {p: 1}]} and paths {@code <(:A)-[:T]->(:B)<-[:S]-()>}.
 */
final class TckValueParser {
  private final String text;
  private int pos;

  private TckValueParser(String text) {
    this.text = text;
  }

  /**
   * Reads one value, the whole of {@code text} (surrounding whitespace allowed).
   *
   * @throws IllegalArgumentException if the text is not one value in the TCK's form
   */
  static TckValue parse(String text) {
    TckValueParser p = new TckValueParser(text);
    TckValue value = p.value();
    p.skipSpace();
    if (p.pos != text.length()) {
      throw p.error("text after the value");
    }
    return value;
  }

  /**
   * Reads a parameter's value into the Java value the engine takes: {@code null}, Boolean, Long,
   * Double, String, List or Map (insertion-ordered).
   *
   * @throws IllegalArgumentException if the text is not a value, or is a node, relationship or path
   */
  static Object parseParameter(String text) {
    return toJava(parse(text), text);
  }

  private static Object toJava(TckValue v, String text) {
    if (v instanceof TckValue.NullValue) {
      return null;
    } else if (v instanceof BooleanValue b) {
      return b.value();
    } else if (v instanceof IntegerValue i) {
      return i.value();
    } else if (v instanceof FloatValue f) {
      return f.value();
    } else if (v instanceof StringValue s) {
      return s.value();
    } else if (v instanceof ListValue l) {
      List<Object> out = new ArrayList<>();
      for (TckValue e : l.elements()) {
        out.add(toJava(e, text));
      }
      return Collections.unmodifiableList(out);
    } else if (v instanceof MapValue m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.entries().forEach((k, e) -> out.put(k, toJava(e, text)));
      return Collections.unmodifiableMap(out);
    }
    throw new IllegalArgumentException("not a parameter value: " + text);
  }

  private TckValue value() {
    skipSpace();
    if (pos == text.length()) {
      throw error("a value expected");
    }
    return switch (text.charAt(pos)) {
      case '\'', '"' -> new StringValue(string());
      case '[' -> nextNonSpaceAfter(pos + 1) == ':' ? relationship() : list();
      case '{' -> map();
      case '(' -> node();
      case '<' -> path();
      default -> scalar();
    };
  }

  private ListValue list() {
    expect('[');
    List<TckValue> elements = new ArrayList<>();
    if (!tryConsume(']')) {
      do {
        elements.add(value());
      } while (tryConsume(','));
      expect(']');
    }
    return new ListValue(elements);
  }

  private MapValue map() {
    expect('{');
    Map<String, TckValue> entries = new LinkedHashMap<>();
    if (!tryConsume('}')) {
      do {
        String key = name();
        expect(':');
        if (entries.put(key, value()) != null) {
          throw error("key '" + key + "' twice");
        }
      } while (tryConsume(','));
      expect('}');
    }
    return new MapValue(entries);
  }

  /** {@code (}, labels, an optional property map, {@code )}. */
  private NodeValue node() {
    expect('(');
    Set<String> labels = new LinkedHashSet<>();
    while (tryConsume(':')) {
      labels.add(name());
    }
    MapValue properties = peekAfterSpace() == '{' ? map() : MapValue.EMPTY;
    expect(')');
    return new NodeValue(labels, properties);
  }

  /** {@code [:TYPE}, an optional property map, {@code ]}. */
  private RelationshipValue relationship() {
    expect('[');
    expect(':');
    String type = name();
    MapValue properties = peekAfterSpace() == '{' ? map() : MapValue.EMPTY;
    expect(']');
    return new RelationshipValue(type, properties);
  }

  /** {@code <}, a node, then {@code -[rel]->node} or {@code <-[rel]-node} steps, {@code >}. */
  private PathValue path() {
    expect('<');
    NodeValue start = node();
    List<PathStep> steps = new ArrayList<>();
    while (!tryConsume('>')) {
      boolean forward = !tryConsume('<');
      expect('-');
      RelationshipValue rel = relationship();
      expect('-');
      if (forward) {
        expect('>');
      }
      steps.add(new PathStep(rel, forward, node()));
    }
    return new PathValue(start, steps);
  }

  /** A key, label or type: an identifier, or any text in backquotes ({@code ``} is one backquote). */
  private String name() {
    skipSpace();
    if (tryConsume('`')) {
      StringBuilder out = new StringBuilder();
      while (true) {
        if (pos == text.length()) {
          throw error("an unclosed backquoted name");
        }
        char c = text.charAt(pos++);
        if (c != '`') {
          out.append(c);
        } else if (pos < text.length() && text.charAt(pos) == '`') {
          out.append('`');
          pos++;
        } else {
          return out.toString();
        }
      }
    }
    int start = pos;
    while (pos < text.length() && Character.isUnicodeIdentifierPart(text.charAt(pos))) {
      pos++;
    }
    if (start == pos) {
      throw error("a name expected");
    }
    return text.substring(start, pos);
  }

  private String string() {
    char quote = text.charAt(pos++);
    StringBuilder out = new StringBuilder();
    while (true) {
      if (pos == text.length()) {
        throw error("an unclosed string");
      }
      char c = text.charAt(pos++);
      if (c == quote) {
        return out.toString();
      }
      if (c != '\\') {
        out.append(c);
        continue;
      }
      if (pos == text.length()) {
        throw error("an unclosed string");
      }
      char e = text.charAt(pos++);
      switch (e) {
        case '\\', '\'', '"' -> out.append(e);
        case 'n' -> out.append('\n');
        case 't' -> out.append('\t');
        case 'r' -> out.append('\r');
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'u' -> out.appendCodePoint(hexDigits(4));
        case 'U' -> out.appendCodePoint(hexDigits(8));
        default -> throw error("unknown escape \\" + e);
      }
    }
  }

  private int hexDigits(int count) {
    if (pos + count > text.length()) {
      throw error("a short unicode escape");
    }
    int codePoint = Integer.parseInt(text.substring(pos, pos + count), 16);
    pos += count;
    return codePoint;
  }

  /** {@code null}, {@code true}, {@code false}, {@code NaN}, an infinity or a number. */
  private TckValue scalar() {
    int start = pos;
    if (text.charAt(pos) == '-' || text.charAt(pos) == '+') {
      pos++;
    }
    while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || ".+-".indexOf(text.charAt(pos)) >= 0)) {
      char c = text.charAt(pos);
      if ((c == '+' || c == '-') && Character.toLowerCase(text.charAt(pos - 1)) != 'e') {
        break; // a sign belongs to a number only at its start or after an exponent's e
      }
      pos++;
    }
    String word = text.substring(start, pos);
    String unsigned = word.replaceFirst("^[-+]", "").toLowerCase();
    boolean negative = word.startsWith("-");
    switch (word.toLowerCase()) {
      case "null" -> {
        return TckValue.NULL;
      }
      case "true", "false" -> {
        return new BooleanValue(Boolean.parseBoolean(word));
      }
      case "nan" -> {
        return new FloatValue(Double.NaN);
      }
      case "infinity", "+infinity", "-infinity" -> {
        return new FloatValue(negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
      }
      default -> {
        try {
          if (unsigned.startsWith("0x") || unsigned.startsWith("0o")) {
            int radix = unsigned.charAt(1) == 'x' ? 16 : 8;
            return new IntegerValue(Long.parseLong((negative ? "-" : "") + unsigned.substring(2), radix));
          }
          if (unsigned.matches("[0-9]+")) {
            return new IntegerValue(Long.parseLong(word));
          }
          if (unsigned.matches("([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?")) {
            return new FloatValue(Double.parseDouble(word));
          }
        } catch (NumberFormatException e) {
          throw error("a number out of range: " + word);
        }
        pos = start;
        throw error("not a value");
      }
    }
  }

  private void skipSpace() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
  }

  private char peekAfterSpace() {
    skipSpace();
    return pos < text.length() ? text.charAt(pos) : 0;
  }

  private char nextNonSpaceAfter(int from) {
    int i = from;
    while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
      i++;
    }
    return i < text.length() ? text.charAt(i) : 0;
  }

  private boolean tryConsume(char c) {
    if (peekAfterSpace() == c) {
      pos++;
      return true;
    }
    return false;
  }

  private void expect(char c) {
    if (!tryConsume(c)) {
      throw error("'" + c + "' expected");
    }
  }

  private IllegalArgumentException error(String message) {
    return new IllegalArgumentException("cannot read the TCK value <" + text + "> at offset " + pos + ": " + message);
  }
}
