package dev.ephemera.graph.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link GherkinReader} on small inline features: background, outline expansion, docstrings, tables. */
class GherkinReaderTest {
  private static final String FEATURE = """
      # a comment
      #encoding: utf-8

      Feature: Sample - things
        A description line.

        Background:
          Given an empty graph

        Scenario: [1] Plain
          When executing query:
            \"""
            MATCH (n)
              RETURN n
            \"""
          Then the result should be, in any order:
            | n     | s         |
            | (:A)  | 'a\\|b'   |
            | null  | 'c\\\\d'  |
          And no side effects

        @ignore
        Scenario Outline: [2] Outline <what>
          And parameters are:
            | p | <value> |
          When executing query:
            \"""
            RETURN <value> AS v, '<what>' AS w, a <> b
            \"""
          Then the result should be, in order:
            | v       |
            | <value> |

          Examples:
            | what  | value |
            | one   | 1     |
            | list  | [1, 2] |
      """;

  @Test
  void readsScenariosWithTheBackgroundFirst() {
    Feature f = GherkinReader.read("features/clauses/x/Sample.feature", FEATURE);
    assertEquals("Sample - things", f.name());
    assertEquals(3, f.scenarios().size());
    Scenario plain = f.scenarios().get(0);
    assertEquals("[1] Plain", plain.name());
    assertEquals("clauses/x", plain.folder());
    assertEquals(Set.of(), plain.tags());
    assertEquals(List.of("an empty graph", "executing query:", "the result should be, in any order:", "no side effects"),
        plain.steps().stream().map(Step::text).toList());
    assertEquals("Given", plain.steps().get(0).keyword());
    assertEquals("MATCH (n)\n  RETURN n", plain.steps().get(1).docString());
    assertNull(plain.steps().get(0).docString());
    assertEquals(List.of(List.of("n", "s"), List.of("(:A)", "'a|b'"), List.of("null", "'c\\d'")),
        plain.steps().get(2).table());
  }

  @Test
  void expandsAnOutlinePerExampleRow() {
    List<Scenario> outline = GherkinReader.read("features/clauses/x/Sample.feature", FEATURE).scenarios().subList(1, 3);
    Scenario one = outline.get(0);
    assertEquals("[2] Outline one (example 1: | one | 1 |)", one.name());
    assertEquals(Set.of("@ignore"), one.tags());
    assertEquals(List.of(List.of("p", "1")), one.steps().get(1).table());
    assertEquals("RETURN 1 AS v, 'one' AS w, a <> b", one.steps().get(2).docString());
    assertEquals(List.of(List.of("v"), List.of("1")), one.steps().get(3).table());
    Scenario list = outline.get(1);
    assertEquals("[2] Outline list (example 2: | list | [1, 2] |)", list.name());
    assertEquals("RETURN [1, 2] AS v, 'list' AS w, a <> b", list.steps().get(2).docString());
    assertEquals("an empty graph", list.steps().get(0).text()); // the background's step
  }

  @Test
  void readsWindowsLineEndings() {
    Feature f = GherkinReader.read("f.feature", FEATURE.replace("\n", "\r\n"));
    assertEquals("MATCH (n)\n  RETURN n", f.scenarios().get(0).steps().get(1).docString());
  }

  @Test
  void scenariosInheritTheFeaturesTags() {
    Feature f = GherkinReader.read("f.feature", "@slow\nFeature: x\n  @ignore\n  Scenario: s\n    Given any graph\n");
    assertEquals(Set.of("@slow", "@ignore"), f.scenarios().get(0).tags());
  }

  @Test
  void refusesWhatItDoesNotKnow() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> GherkinReader.read("bad.feature", "Feature: x\n  Scenario: s\n    Given a\n    strange line\n"));
    assertTrue(e.getMessage().startsWith("bad.feature:4: "), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> GherkinReader.read("bad.feature", "Feature: x\n  Scenario: s\n    When q:\n      \"\"\"\n      open\n"));
    assertThrows(IllegalArgumentException.class,
        () -> GherkinReader.read("bad.feature", "Feature: x\n  Scenario Outline: s\n    When q <a>\n"));
  }
}
