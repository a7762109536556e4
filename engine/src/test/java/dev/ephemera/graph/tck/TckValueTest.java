package dev.ephemera.graph.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ephemera.graph.Edge;
import dev.ephemera.graph.GraphPath;
import dev.ephemera.graph.Node;
import dev.ephemera.graph.tck.TckValue.FloatValue;
import dev.ephemera.graph.tck.TckValue.IntegerValue;
import dev.ephemera.graph.tck.TckValue.StringValue;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link TckValueParser}, {@link ResultValues} and the equality of {@link TckValue}s. */
class TckValueTest {
  private static TckValue parse(String text) {
    return TckValueParser.parse(text);
  }

  @Test
  void scalars() {
    assertEquals(TckValue.NULL, parse("null"));
    assertEquals(new TckValue.BooleanValue(true), parse("true"));
    assertEquals(new IntegerValue(-1), parse(" -1 "));
    assertEquals(new IntegerValue(31), parse("0x1F"));
    assertEquals(new IntegerValue(-8), parse("-0o10"));
    assertEquals(new IntegerValue(Long.MIN_VALUE), parse("-9223372036854775808"));
    assertEquals(new FloatValue(1.0), parse("1.0"));
    assertEquals(new FloatValue(-0.5), parse("-0.5"));
    assertEquals(new FloatValue(1e10), parse("1e10"));
    assertEquals(new FloatValue(-1e-305), parse("-1e-305"));
    assertEquals(new FloatValue(Double.NaN), parse("NaN"));
    assertEquals(new FloatValue(Double.POSITIVE_INFINITY), parse("Infinity"));
    assertEquals(new FloatValue(Double.NEGATIVE_INFINITY), parse("-Infinity"));
    assertEquals(new FloatValue(0.0), parse("-0.0"));
    assertThrows(IllegalArgumentException.class, () -> parse("9223372036854775808"));
    assertThrows(IllegalArgumentException.class, () -> parse("nothing"));
    assertThrows(IllegalArgumentException.class, () -> parse("1 2"));
  }

  @Test
  void integersAndFloatsDiffer() {
    assertNotEquals(parse("1"), parse("1.0"));
    assertNotEquals(parse("[1]"), parse("[1.0]"));
    assertNotEquals(ResultValues.of(1L), parse("1.0"));
    assertEquals(ResultValues.of(1.0), parse("1.0"));
    assertEquals(ResultValues.of(Double.NaN), parse("NaN"));
  }

  @Test
  void stringEscapes() {
    assertEquals(new StringValue("it's"), parse("'it\\'s'"));
    assertEquals(new StringValue("a\\bcn5t'\"\\//\\\"'"), parse("'a\\\\bcn5t\\'\"\\\\//\\\\\"\\''"));
    assertEquals(new StringValue("\n\tx\u00e9"), parse("'\\n\\tx\\u00e9'"));
    assertEquals(new StringValue("say \"hi\""), parse("\"say \\\"hi\\\"\""));
    assertEquals("'it\\'s\\n'", new StringValue("it's\n").toString());
    assertThrows(IllegalArgumentException.class, () -> parse("'open"));
  }

  @Test
  void mapsIgnoreKeyOrder() {
    assertEquals(parse("{a: 1, b: 'x'}"), parse("{b: 'x', a: 1}"));
    assertEquals(parse("{`a b`: 1, ``: 2}"), ResultValues.of(map("", 2L, "a b", 1L)));
    assertNotEquals(parse("{a: 1}"), parse("{a: 1, b: null}"));
    assertEquals("{``: 2, `a b`: 1}", parse("{`a b`: 1, ``: 2}").toString());
  }

  @Test
  void nodesCompareLabelsAsSetsAndIgnoreKeys() {
    assertEquals(parse("(:A:B {name: 'a'})"), parse("(:B:A {name: 'a'})"));
    assertEquals(parse("(:B:A {name: 'a'})"), ResultValues.of(new Node("k1", Set.of("A", "B"), Map.of("name", "a"))));
    assertEquals(parse("()"), ResultValues.of(new Node("k2", Set.of(), Map.of())));
    assertNotEquals(parse("(:A)"), parse("(:A {name: 'a'})"));
    assertEquals("(:A:B {name: 'a'})", parse("(:B:A {name: 'a'})").toString());
  }

  @Test
  void relationships() {
    assertEquals(parse("[:T {p: 1}]"), ResultValues.of(new Edge(7, "a", "b", "T", Map.of("p", 1L))));
    assertNotEquals(parse("[:T]"), ResultValues.of(new Edge(7, "a", "b", "S", Map.of())));
    assertEquals(new TckValue.ListValue(List.of()), parse("[]"));
  }

  @Test
  void pathsFollowEachEdgesDirection() {
    Node a = new Node("a", Set.of("A"), Map.of());
    Node b = new Node("b", Set.of("B"), Map.of());
    Node c = new Node("c", Set.of(), Map.of());
    Edge ab = new Edge(1, "a", "b", "T", Map.of());
    Edge cb = new Edge(2, "c", "b", "S", Map.of());
    TckValue actual = ResultValues.of(new GraphPath(List.of(a, b, c), List.of(ab, cb)));
    assertEquals(parse("<(:A)-[:T]->(:B)<-[:S]-()>"), actual);
    assertNotEquals(parse("<(:A)-[:T]->(:B)-[:S]->()>"), actual);
    assertEquals("<(:A)-[:T]->(:B)<-[:S]-()>", actual.toString());
    assertEquals(parse("<()>"), ResultValues.of(new GraphPath(List.of(c), List.of())));
  }

  @Test
  void listsAsMultisets() {
    assertNotEquals(parse("['Foo', 'Bar']"), parse("['Bar', 'Foo']"));
    assertEquals(parse("['Foo', 'Bar', 1]").withUnorderedLists(), parse("[1, 'Bar', 'Foo']").withUnorderedLists());
    assertEquals(parse("{a: [[2, 1], []]}").withUnorderedLists(), parse("{a: [[], [1, 2]]}").withUnorderedLists());
    assertNotEquals(parse("[1, 1, 2]").withUnorderedLists(), parse("[1, 2, 2]").withUnorderedLists());
  }

  @Test
  void foreignValuesMatchNothing() {
    assertNotEquals(parse("'1.5'"), ResultValues.of(new java.math.BigDecimal("1.5")));
  }

  @Test
  void parametersBecomeJavaValues() {
    assertEquals(List.of(1L, "a", true), TckValueParser.parseParameter("[1, 'a', true]"));
    assertEquals(map("name", "Alice", "age", 38L), TckValueParser.parseParameter("{name: 'Alice', age: 38}"));
    assertEquals(Arrays.asList(1.5, null), TckValueParser.parseParameter("[1.5, null]"));
    assertNull(TckValueParser.parseParameter("null"));
    assertThrows(IllegalArgumentException.class, () -> TckValueParser.parseParameter("(:A)"));
  }

  private static Map<String, Object> map(Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }
}
