package dev.ephemera.graph.tck;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A value as the TCK compares it: what an expected cell says ({@link TckValueParser}) and what
 * the engine returned ({@link ResultValues}) both become one of these, and equal values are equal
 * records. Integers and floats are distinct ({@code 1} is not {@code 1.0}); floats compare by
 * value, {@code NaN} equal to itself; map keys and node labels have no order; a node is its labels
 * and properties and a relationship its type and properties (the engine's keys and ids are not
 * part of the value). {@link #toString()} writes the TCK's text form, keys and labels sorted.
 */
sealed interface TckValue {
  NullValue NULL = new NullValue();

  /**
   * This value with the elements of every list in it (at any depth) in a canonical order, so that
   * two values equal as multisets of list elements become equal.
   */
  default TckValue withUnorderedLists() {
    return this;
  }

  /** {@code null}. */
  record NullValue() implements TckValue {
    @Override
    public String toString() {
      return "null";
    }
  }

  /** {@code true} or {@code false}. */
  record BooleanValue(boolean value) implements TckValue {
    @Override
    public String toString() {
      return Boolean.toString(value);
    }
  }

  /** A 64-bit integer. */
  record IntegerValue(long value) implements TckValue {
    @Override
    public String toString() {
      return Long.toString(value);
    }
  }

  /** A 64-bit float: equal to another of the same value, {@code NaN} to {@code NaN}, 0.0 to -0.0. */
  record FloatValue(double value) implements TckValue {
    @Override
    public boolean equals(Object o) {
      return o instanceof FloatValue f && (f.value == value || Double.isNaN(f.value) && Double.isNaN(value));
    }

    @Override
    public int hashCode() {
      return Double.hashCode(value == 0.0 ? 0.0 : value);
    }

    @Override
    public String toString() {
      return Double.isInfinite(value) ? (value > 0 ? "Infinity" : "-Infinity") : Double.toString(value);
    }
  }

  /** A string. */
  record StringValue(String value) implements TckValue {
    @Override
    public String toString() {
      StringBuilder out = new StringBuilder("'");
      for (char c : value.toCharArray()) {
        switch (c) {
          case '\'' -> out.append("\\'");
          case '\\' -> out.append("\\\\");
          case '\n' -> out.append("\\n");
          case '\r' -> out.append("\\r");
          case '\t' -> out.append("\\t");
          default -> out.append(c);
        }
      }
      return out.append('\'').toString();
    }
  }

  /** A list, in order. */
  record ListValue(List<TckValue> elements) implements TckValue {
    public ListValue {
      elements = List.copyOf(elements);
    }

    @Override
    public TckValue withUnorderedLists() {
      List<TckValue> sorted = new ArrayList<>();
      for (TckValue e : elements) {
        sorted.add(e.withUnorderedLists());
      }
      sorted.sort(Comparator.comparing(TckValue::toString));
      return new ListValue(sorted);
    }

    @Override
    public String toString() {
      return elements.stream().map(TckValue::toString).collect(Collectors.joining(", ", "[", "]"));
    }
  }

  /** A map from string keys, compared without regard to key order. */
  record MapValue(Map<String, TckValue> entries) implements TckValue {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    static final MapValue EMPTY = new MapValue(Map.of());

    public MapValue {
      entries = Collections.unmodifiableMap(new TreeMap<>(entries));
    }

    @Override
    public MapValue withUnorderedLists() {
      Map<String, TckValue> out = new LinkedHashMap<>();
      entries.forEach((k, v) -> out.put(k, v.withUnorderedLists()));
      return new MapValue(out);
    }

    @Override
    public String toString() {
      return entries.entrySet().stream()
          .map(e -> name(e.getKey()) + ": " + e.getValue())
          .collect(Collectors.joining(", ", "{", "}"));
    }

    /** A key, label or type as written in the TCK: backquoted unless it is a plain identifier. */
    static String name(String name) {
      return IDENTIFIER.matcher(name).matches() ? name : "`" + name.replace("`", "``") + "`";
    }
  }

  /** A node: its labels (no order) and properties. */
  record NodeValue(Set<String> labels, MapValue properties) implements TckValue {
    public NodeValue {
      labels = Collections.unmodifiableSet(new TreeSet<>(labels));
    }

    @Override
    public NodeValue withUnorderedLists() {
      return new NodeValue(labels, properties.withUnorderedLists());
    }

    @Override
    public String toString() {
      String names = labels.stream().map(l -> ":" + MapValue.name(l)).collect(Collectors.joining());
      String props = properties.entries().isEmpty() ? "" : (names.isEmpty() ? "" : " ") + properties;
      return "(" + names + props + ")";
    }
  }

  /** A relationship: its type and properties. */
  record RelationshipValue(String type, MapValue properties) implements TckValue {
    @Override
    public RelationshipValue withUnorderedLists() {
      return new RelationshipValue(type, properties.withUnorderedLists());
    }

    @Override
    public String toString() {
      return "[:" + MapValue.name(type) + (properties.entries().isEmpty() ? "" : " " + properties) + "]";
    }
  }

  /**
   * A path: its first node, then each relationship with the node it leads to.
   *
   * @param steps in path order
   */
  record PathValue(NodeValue start, List<PathStep> steps) implements TckValue {
    public PathValue {
      steps = List.copyOf(steps);
    }

    @Override
    public PathValue withUnorderedLists() {
      return new PathValue(start.withUnorderedLists(), steps.stream()
          .map(s -> new PathStep(s.relationship().withUnorderedLists(), s.forward(), s.node().withUnorderedLists()))
          .toList());
    }

    @Override
    public String toString() {
      StringBuilder out = new StringBuilder("<").append(start);
      for (PathStep s : steps) {
        out.append(s.forward() ? "-" : "<-").append(s.relationship()).append(s.forward() ? "->" : "-").append(s.node());
      }
      return out.append('>').toString();
    }
  }

  /**
   * One relationship of a path and the node after it.
   *
   * @param forward whether the relationship points along the path (from the node before it to {@code node})
   */
  record PathStep(RelationshipValue relationship, boolean forward, NodeValue node) {}

  /** A value of a type the TCK has no text form for (a BigDecimal, say): equal to no expected value. */
  record ForeignValue(String description) implements TckValue {
    @Override
    public String toString() {
      return description;
    }
  }
}
