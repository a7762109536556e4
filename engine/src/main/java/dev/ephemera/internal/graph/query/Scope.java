package dev.ephemera.internal.graph.query;

import java.util.LinkedHashMap;

/** The variables visible at a point of a query, each with its row slot and what it holds. */
final class Scope {
  enum Kind {
    NODE, REL, RELS, PATH, VALUE,
    /** A literal's value (a number, a string, a list, a map): never a node or a relationship. */
    LITERAL
  }

  record Var(String name, int slot, Kind kind, boolean hidden) {}

  final LinkedHashMap<String, Var> vars = new LinkedHashMap<>();

  Scope copy() {
    Scope s = new Scope();
    s.vars.putAll(vars);
    return s;
  }

  Var get(String name) {
    return vars.get(name);
  }

  void put(Var v) {
    vars.put(v.name(), v);
  }
}
