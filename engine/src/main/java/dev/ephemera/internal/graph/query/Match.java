package dev.ephemera.internal.graph.query;

import dev.ephemera.internal.graph.query.CypherParser.*;
import dev.ephemera.internal.graph.query.Scope.Kind;
import dev.ephemera.internal.graph.query.Steps.Step;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compiles patterns into {@link Steps}: declares their variables in the compiler's scope, picks
 * where each pattern starts (a bound node, a node looked up by {@code key(n) = …} or
 * {@code id(n) = …}, a labelled node, or every node), orders the expansions from there, and runs
 * each {@code WHERE} condition as soon as the variables it reads are bound.
 */
final class Match {
  /** A node of a pattern. */
  record NodeSpec(int slot, String name, boolean bound, Syms labels, Steps.Props props, NodePatternContext at) {}

  /** A relationship of a pattern; {@code dir}: 1 left to right, -1 right to left, 0 either. */
  record RelSpec(int slot, String name, boolean bound, Syms types, int dir, boolean varLength, int min, int max,
      Steps.Props props, RelationshipPatternContext at) {}

  /** One comma-separated part: its nodes and relationships in order, its path variable, shortest-path mode. */
  record Part(int pathSlot, List<NodeSpec> nodes, List<RelSpec> rels, int shortest, PatternPartContext at) {}

  private static final Pattern LOOKUP = Pattern.compile("(?i)(key|id)\\((\\w+)\\)=.+");

  private final Compiler cc;

  Match(Compiler cc) {
    this.cc = cc;
  }

  // ---- declaring a pattern's variables ---------------------------------------------------------

  /**
   * Reads the parts of a pattern and declares their variables: a name already in scope refers to
   * what it holds; a new name gets a slot. {@code allowNew}: whether new names may be introduced.
   */
  List<Part> declare(List<PatternPartContext> parts, boolean allowNew, String clause) {
    List<Part> out = new ArrayList<>();
    List<String> relNames = new ArrayList<>();
    for (PatternPartContext p : parts) {
      AnonymousPatternPartContext a = p.anonymousPatternPart();
      int shortest = 0;
      PatternElementContext el;
      if (a instanceof ShortestPathPartContext s) {
        shortest = s.ALLSHORTESTPATHS() != null ? 2 : 1;
        el = s.patternElement();
      } else {
        el = ((PlainPartContext) a).patternElement();
      }
      while (el.nodePattern() == null) {
        el = el.patternElement();
      }
      List<NodeSpec> nodes = new ArrayList<>();
      List<RelSpec> rels = new ArrayList<>();
      nodes.add(node(el.nodePattern(), allowNew));
      for (PatternElementChainContext ch : el.patternElementChain()) {
        RelSpec r = rel(ch.relationshipPattern(), allowNew, clause);
        if (r.name() != null) {
          if (relNames.contains(r.name())) {
            throw QueryError.semantic(ch, "relationship variable `" + r.name() + "` is used twice in one pattern");
          }
          relNames.add(r.name());
        }
        rels.add(r);
        nodes.add(node(ch.nodePattern(), allowNew));
      }
      int pathSlot = -1;
      if (p.variable() != null) {
        String name = Compiler.name(p.variable().symbolicName());
        if (cc.scope.get(name) != null) {
          throw QueryError.semantic(p.variable(), "variable `" + name + "` is already defined");
        }
        pathSlot = cc.newSlot();
        cc.scope.put(new Scope.Var(name, pathSlot, Kind.PATH, false));
      }
      if (shortest > 0 && (rels.size() != 1)) {
        throw QueryError.semantic(p, "shortestPath() takes a pattern of one relationship");
      }
      out.add(new Part(pathSlot, nodes, rels, shortest, p));
    }
    return out;
  }

  private NodeSpec node(NodePatternContext n, boolean allowNew) {
    Syms labels = cc.syms(n.nodeLabels() == null ? List.of() : Compiler.labels(n.nodeLabels()));
    Steps.Props props = props(n.properties());
    if (n.variable() == null) {
      return new NodeSpec(cc.newSlot(), null, false, labels, props, n);
    }
    String name = Compiler.name(n.variable().symbolicName());
    Scope.Var v = cc.scope.get(name);
    if (v != null) {
      if (v.kind() != Kind.NODE && v.kind() != Kind.VALUE) {
        throw QueryError.semantic(n.variable(), "variable `" + name + "` is a " + v.kind().name().toLowerCase() + ", not a node");
      }
      return new NodeSpec(v.slot(), name, true, labels, props, n);
    }
    if (!allowNew) {
      throw QueryError.semantic(n.variable(), "variable `" + name + "` is not defined (a pattern expression cannot introduce variables)");
    }
    int slot = cc.newSlot();
    cc.scope.put(new Scope.Var(name, slot, Kind.NODE, false));
    return new NodeSpec(slot, name, false, labels, props, n);
  }

  private RelSpec rel(RelationshipPatternContext r, boolean allowNew, String clause) {
    int dir = r.LT() != null && r.GT() == null ? -1 : r.GT() != null && r.LT() == null ? 1 : 0;
    RelationshipDetailContext d = r.relationshipDetail();
    List<String> types = new ArrayList<>();
    boolean varLength = false;
    int min = 1;
    int max = 1;
    Steps.Props props = null;
    VariableContext var = null;
    if (d != null) {
      if (d.relationshipTypes() != null) {
        for (RelTypeNameContext t : d.relationshipTypes().relTypeName()) {
          types.add(Compiler.name(t.schemaName()));
        }
      }
      RangeLiteralContext range = d.rangeLiteral();
      if (range != null) {
        varLength = true;
        List<IntegerLiteralContext> ints = range.integerLiteral();
        boolean dots = range.RANGE() != null;
        if (!dots) {
          min = ints.isEmpty() ? 1 : (int) Math.min(Integer.MAX_VALUE, Literals.integer(ints.get(0), false));
          max = ints.isEmpty() ? Integer.MAX_VALUE : min;
        } else {
          int lowIndex = range.getChild(1) instanceof IntegerLiteralContext ? 0 : -1;
          min = lowIndex == 0 ? (int) Literals.integer(ints.get(0), false) : 1;
          int hiIndex = lowIndex == 0 ? 1 : 0;
          max = ints.size() > hiIndex ? (int) Math.min(Integer.MAX_VALUE, Literals.integer(ints.get(hiIndex), false)) : Integer.MAX_VALUE;
        }
      }
      props = props(d.properties());
      var = d.variable();
    }
    Syms syms = cc.syms(types);
    if (var == null) {
      return new RelSpec(cc.newSlot(), null, false, syms, dir, varLength, min, max, props, r);
    }
    String name = Compiler.name(var.symbolicName());
    Scope.Var v = cc.scope.get(name);
    if (v != null) {
      if (v.kind() != Kind.REL && v.kind() != Kind.RELS && v.kind() != Kind.VALUE || varLength || clause.equals("CREATE")
          || clause.equals("MERGE")) {
        throw QueryError.semantic(var, "variable `" + name + "` is already defined");
      }
      return new RelSpec(v.slot(), name, true, syms, dir, false, min, max, props, r);
    }
    if (!allowNew) {
      throw QueryError.semantic(var, "variable `" + name + "` is not defined (a pattern expression cannot introduce variables)");
    }
    int slot = cc.newSlot();
    cc.scope.put(new Scope.Var(name, slot, varLength ? Kind.RELS : Kind.REL, false));
    return new RelSpec(slot, name, false, syms, dir, varLength, min, max, props, r);
  }

  Steps.Props props(PropertiesContext p) {
    if (p == null) {
      return null;
    }
    if (p.parameter() != null) {
      ParameterContext param = p.parameter();
      String name = param.symbolicName() != null ? Compiler.name(param.symbolicName()) : param.DecimalInteger().getText();
      return new Steps.Props(new String[0], new Ev[0], (row, c) -> {
        if (!c.params.containsKey(name)) {
          throw QueryError.semantic(param, "parameter $" + name + " has no value");
        }
        return c.params.get(name);
      });
    }
    MapLiteralContext m = p.mapLiteral();
    List<PropertyKeyNameContext> keys = m.propertyKeyName();
    String[] names = new String[keys.size()];
    Ev[] values = new Ev[keys.size()];
    for (int i = 0; i < names.length; i++) {
      names[i] = Compiler.name(keys.get(i));
      values[i] = cc.exprs.expr(m.expression(i));
    }
    return new Steps.Props(names, values, null);
  }

  // ---- steps ------------------------------------------------------------------------------------

  /** A WHERE condition, split at its top-level ANDs, with the slots each part reads. */
  record Conjunct(Ev ev, BitSet deps, String text, ParserCtx at) {}

  /** Where a conjunct came from (for the lookup it may allow). */
  record ParserCtx(NotExpressionContext ctx) {}

  List<Conjunct> conjuncts(ExpressionContext where) {
    List<Conjunct> out = new ArrayList<>();
    if (where == null) {
      return out;
    }
    OrExpressionContext or = where.orExpression();
    if (or.xorExpression().size() == 1 && or.xorExpression(0).andExpression().size() == 1) {
      for (NotExpressionContext n : or.xorExpression(0).andExpression(0).notExpression()) {
        out.add(conjunct(n));
      }
    } else {
      BitSet saved = cc.exprs.deps;
      cc.exprs.deps = new BitSet();
      Ev ev = cc.exprs.predicate(where);
      out.add(new Conjunct(ev, cc.exprs.deps, cc.text(where), null));
      cc.exprs.deps = saved;
    }
    return out;
  }

  private Conjunct conjunct(NotExpressionContext n) {
    BitSet saved = cc.exprs.deps;
    cc.exprs.deps = new BitSet();
    try {
      Ev ev = cc.exprs.conjunct(n);
      return new Conjunct(ev, cc.exprs.deps, cc.text(n), new ParserCtx(n));
    } finally {
      saved.or(cc.exprs.deps);
      cc.exprs.deps = saved;
    }
  }

  /** Builds the steps of a MATCH's parts; {@code fresh}: the slots the clause introduces. */
  Step[] steps(List<Part> parts, List<Conjunct> where, BitSet fresh) {
    return steps(parts, where, fresh, false, false);
  }

  /**
   * As {@link #steps(List, List, BitSet)}; {@code distinctEnds}: the rows will only be used as
   * distinct end nodes, so one anonymous variable-length relationship may be walked breadth first.
   */
  Step[] steps(List<Part> parts, List<Conjunct> where, BitSet fresh, boolean distinctEnds, boolean unbindLast) {
    if (distinctEnds && where.isEmpty() && parts.size() == 1) {
      Part p = parts.get(0);
      if (p.shortest() == 0 && p.pathSlot() < 0 && p.rels().size() == 1) {
        RelSpec r = p.rels().get(0);
        NodeSpec a = p.nodes().get(0);
        NodeSpec b = p.nodes().get(1);
        if (r.varLength() && r.name() == null && (r.props() == null || r.props().isEmpty()) && r.dir() != 0
            && r.min() <= 1 && fresh.get(b.slot()) && b.slot() != a.slot()
            && (!fresh.get(a.slot()) || chooseAnchor(p.nodes(), fresh, new ArrayList<>()) == 0)) {
          List<Step> steps = new ArrayList<>();
          BitSet unbound = (BitSet) fresh.clone();
          anchor(steps, a, unbound, new ArrayList<>());
          steps.add(new Steps.Reach(a.slot(), b.slot(), r.types(), r.dir() == 1, r.min(), r.max(), b.labels(), b.props()));
          return steps.toArray(new Step[0]);
        }
      }
    }
    List<Step> steps = new ArrayList<>();
    BitSet unbound = (BitSet) fresh.clone();
    List<Conjunct> pending = new ArrayList<>(where);
    List<Integer> relSlots = new ArrayList<>();
    place(steps, pending, unbound);
    for (Part p : parts) {
      List<NodeSpec> ns = p.nodes();
      List<RelSpec> rs = p.rels();
      if (p.shortest() > 0) {
        for (NodeSpec n : ns) {
          anchor(steps, n, unbound, pending);
        }
        RelSpec r = rs.get(0);
        steps.add(new Steps.Shortest(ns.get(0).slot(), ns.get(1).slot(), r.slot(), p.pathSlot(), r.types(), r.dir(),
            r.varLength() ? r.min() : 1, r.varLength() ? r.max() : 1, p.shortest() == 2));
        bind(steps, pending, unbound, r.slot());
        if (p.pathSlot() >= 0) {
          bind(steps, pending, unbound, p.pathSlot());
        }
        relSlots.add(r.slot());
        continue;
      }
      int a = chooseAnchor(ns, unbound, pending);
      anchor(steps, ns.get(a), unbound, pending);
      for (int i = a; i < rs.size(); i++) {
        expand(steps, rs.get(i), ns.get(i), ns.get(i + 1), false, unbound, pending, relSlots);
      }
      for (int i = a - 1; i >= 0; i--) {
        expand(steps, rs.get(i), ns.get(i + 1), ns.get(i), true, unbound, pending, relSlots);
      }
      if (p.pathSlot() >= 0) {
        int[] nodeSlots = ns.stream().mapToInt(NodeSpec::slot).toArray();
        int[] relSlotsOfPart = rs.stream().mapToInt(RelSpec::slot).toArray();
        steps.add(new Steps.BuildPath(p.pathSlot(), nodeSlots, relSlotsOfPart));
        bind(steps, pending, unbound, p.pathSlot());
      }
    }
    for (Conjunct c : pending) {
      steps.add(new Steps.Filter(c.ev(), c.text()));
    }
    if (unbindLast) {
      unbindLastAnonymousEdge(steps, parts);
    }
    return steps.toArray(new Step[0]);
  }

  /**
   * The last expansion of a MATCH need not bind an anonymous edge: no later step checks it for
   * uniqueness, no path is built from it and no clause can name it (it saves an object per row).
   */
  private static void unbindLastAnonymousEdge(List<Step> steps, List<Part> parts) {
    for (Part p : parts) {
      if (p.pathSlot() >= 0) {
        return;
      }
    }
    for (int i = steps.size() - 1; i >= 0; i--) {
      Step s = steps.get(i);
      if (s instanceof Steps.VarExpand || s instanceof Steps.Shortest || s instanceof Steps.BuildPath) {
        return;
      }
      if (s instanceof Steps.Expand e) {
        if (!e.relBound && isAnonymous(parts, e.rel)) {
          steps.set(i, e.unbound());
        }
        return;
      }
    }
  }

  private static boolean isAnonymous(List<Part> parts, int slot) {
    for (Part p : parts) {
      for (RelSpec r : p.rels()) {
        if (r.slot() == slot) {
          return r.name() == null;
        }
      }
    }
    return false;
  }

  private int chooseAnchor(List<NodeSpec> ns, BitSet unbound, List<Conjunct> pending) {
    for (int i = 0; i < ns.size(); i++) {
      if (!unbound.get(ns.get(i).slot())) {
        return i;
      }
    }
    for (int i = 0; i < ns.size(); i++) {
      if (lookup(ns.get(i), pending, unbound) != null) {
        return i;
      }
    }
    for (int i = 0; i < ns.size(); i++) {
      if (!ns.get(i).labels().isEmpty()) {
        return i;
      }
    }
    return 0;
  }

  /** A conjunct {@code key(n) = e} or {@code id(n) = e} whose {@code e} does not read {@code n}: {key?, e}. */
  private Object[] lookup(NodeSpec n, List<Conjunct> pending, BitSet unbound) {
    if (n.name() == null) {
      return null;
    }
    for (Conjunct c : pending) {
      if (c.at() == null || !c.at().ctx().NOT().isEmpty()) {
        continue;
      }
      ComparisonExpressionContext cmp = c.at().ctx().comparisonExpression();
      if (cmp.predicateExpression().size() != 2 || !cmp.comparisonOperator(0).getText().equals("=")) {
        continue;
      }
      Matcher m = LOOKUP.matcher(cmp.getText());
      String left = cmp.predicateExpression(0).getText();
      if (!m.matches() || !left.equalsIgnoreCase(m.group(1) + "(" + m.group(2) + ")") || !m.group(2).equals(n.name())) {
        continue;
      }
      BitSet saved = cc.exprs.deps;
      cc.exprs.deps = new BitSet();
      Ev value;
      try {
        value = cc.exprs.predicateOperand(cmp.predicateExpression(1));
      } finally {
        BitSet used = cc.exprs.deps;
        cc.exprs.deps = saved;
        if (used.intersects(unbound)) {
          continue;
        }
      }
      return new Object[] {m.group(1).equalsIgnoreCase("key"), value};
    }
    return null;
  }

  private void anchor(List<Step> steps, NodeSpec n, BitSet unbound, List<Conjunct> pending) {
    if (!unbound.get(n.slot())) {
      steps.add(new Steps.Check(n.slot(), n.labels(), n.props()));
      return;
    }
    Object[] l = lookup(n, pending, unbound);
    Ev byKey = l != null && (Boolean) l[0] ? (Ev) l[1] : null;
    Ev byId = l != null && !(Boolean) l[0] ? (Ev) l[1] : null;
    steps.add(new Steps.Scan(n.slot(), n.labels(), n.props(), byKey, byId));
    bind(steps, pending, unbound, n.slot());
  }

  private void expand(List<Step> steps, RelSpec r, NodeSpec from, NodeSpec to, boolean reversed, BitSet unbound,
      List<Conjunct> pending, List<Integer> relSlots) {
    int dir = reversed ? -r.dir() : r.dir();
    boolean toBound = !unbound.get(to.slot());
    boolean relBound = !unbound.get(r.slot()) && r.bound();
    int[] unique = relSlots.stream().mapToInt(Integer::intValue).toArray();
    Steps.Expand e = new Steps.Expand(from.slot(), r.slot(), to.slot(), r.types(), dir, r.props(), relBound, toBound,
        to.labels(), to.props(), unique);
    if (r.varLength()) {
      steps.add(new Steps.VarExpand(e, r.min(), r.max(), reversed));
    } else {
      steps.add(e);
    }
    if (toBound) {
      if (!to.labels().isEmpty() || (to.props() != null && !to.props().isEmpty())) {
        steps.add(new Steps.Check(to.slot(), to.labels(), to.props()));
      }
    }
    relSlots.add(r.slot());
    bind(steps, pending, unbound, r.slot());
    bind(steps, pending, unbound, to.slot());
  }

  /** Marks a slot bound and adds the filters that can now run. */
  private static void bind(List<Step> steps, List<Conjunct> pending, BitSet unbound, int slot) {
    unbound.clear(slot);
    place(steps, pending, unbound);
  }

  private static void place(List<Step> steps, List<Conjunct> pending, BitSet unbound) {
    for (var it = pending.iterator(); it.hasNext(); ) {
      Conjunct c = it.next();
      if (!c.deps().intersects(unbound)) {
        steps.add(new Steps.Filter(c.ev(), c.text()));
        it.remove();
      }
    }
  }

  // ---- patterns inside expressions ---------------------------------------------------------------

  /** {@code (a)-[:T]->(b)} as an expression: the list of matching paths; where a boolean is wanted, whether there is one. */
  Ev patternExpression(RelationshipsPatternContext p) {
    Scope outer = cc.scope;
    cc.scope = outer.copy();
    BitSet outerDeps = cc.exprs.deps;
    try {
      int before = cc.slotCount();
      Part part = declarePattern(p, false);
      BitSet fresh = new BitSet();
      fresh.set(before, cc.slotCount());
      int pathSlot = cc.newSlot();
      Step[] steps = withPath(steps(List.of(part), List.of(), fresh), part, pathSlot);
      outerDeps.or(readsOutside(part, fresh));
      Ev paths = (row, c) -> {
        List<Object> out = new ArrayList<>();
        Object[] work = row.clone();
        new Steps.Runner(steps, m -> out.add(m[pathSlot]) || true).go(0, work, c);
        return out;
      };
      Ev exists = (row, c) -> {
        boolean[] found = {false};
        Object[] work = row.clone();
        new Steps.Runner(steps, m -> {
          found[0] = true;
          return false;
        }).go(0, work, c);
        return found[0];
      };
      return new Exprs.PatternEv(paths, exists);
    } finally {
      cc.scope = outer;
    }
  }

  private static BitSet readsOutside(Part part, BitSet fresh) {
    BitSet b = new BitSet();
    for (NodeSpec n : part.nodes()) {
      if (!fresh.get(n.slot())) {
        b.set(n.slot());
      }
    }
    return b;
  }

  private Part declarePattern(RelationshipsPatternContext p, boolean allowNew) {
    List<NodeSpec> nodes = new ArrayList<>();
    List<RelSpec> rels = new ArrayList<>();
    nodes.add(node(p.nodePattern(), allowNew));
    for (PatternElementChainContext ch : p.patternElementChain()) {
      rels.add(rel(ch.relationshipPattern(), allowNew, "MATCH"));
      nodes.add(node(ch.nodePattern(), allowNew));
    }
    return new Part(-1, nodes, rels, 0, null);
  }

  private static Step[] withPath(Step[] steps, Part part, int pathSlot) {
    Step[] out = java.util.Arrays.copyOf(steps, steps.length + 1);
    out[steps.length] = new Steps.BuildPath(pathSlot, part.nodes().stream().mapToInt(NodeSpec::slot).toArray(),
        part.rels().stream().mapToInt(RelSpec::slot).toArray());
    return out;
  }

  /** {@code [p = (a)-->(b) WHERE … | expr]}. */
  Ev patternComprehension(PatternComprehensionAtomContext x) {
    Scope outer = cc.scope;
    cc.scope = outer.copy();
    try {
      int before = cc.slotCount();
      Part part = declarePattern(x.relationshipsPattern(), true);
      BitSet fresh = new BitSet();
      fresh.set(before, cc.slotCount());
      int pathSlot = cc.newSlot();
      if (x.variable() != null) {
        cc.scope.put(new Scope.Var(Compiler.name(x.variable().symbolicName()), pathSlot, Kind.PATH, false));
      }
      List<Conjunct> where = new ArrayList<>();
      if (x.WHERE() != null) {
        where = conjuncts(x.expression(0));
      }
      Step[] steps = withPath(steps(List.of(part), where, fresh), part, pathSlot);
      Ev body = cc.exprs.expr(x.expression(x.expression().size() - 1));
      cc.exprs.deps.andNot(fresh);
      cc.exprs.deps.clear(pathSlot);
      return (row, c) -> {
        List<Object> out = new ArrayList<>();
        Object[] work = row.clone();
        new Steps.Runner(steps, m -> out.add(body.ev(m, c)) || true).go(0, work, c);
        return out;
      };
    } finally {
      cc.scope = outer;
    }
  }

  /** {@code shortestPath((a)-[*]-(b))} as an expression: a path or null. */
  Ev shortestPathExpression(ShortestPathAtomContext x) {
    Scope outer = cc.scope;
    cc.scope = outer.copy();
    try {
      PatternElementContext el = x.patternElement();
      while (el.nodePattern() == null) {
        el = el.patternElement();
      }
      List<NodeSpec> nodes = new ArrayList<>();
      List<RelSpec> rels = new ArrayList<>();
      nodes.add(node(el.nodePattern(), false));
      for (PatternElementChainContext ch : el.patternElementChain()) {
        rels.add(rel(ch.relationshipPattern(), false, "MATCH"));
        nodes.add(node(ch.nodePattern(), false));
      }
      if (rels.size() != 1) {
        throw QueryError.semantic(x, "shortestPath() takes a pattern of one relationship");
      }
      RelSpec r = rels.get(0);
      int pathSlot = cc.newSlot();
      boolean all = x.ALLSHORTESTPATHS() != null;
      Steps.Shortest s = new Steps.Shortest(nodes.get(0).slot(), nodes.get(1).slot(), r.slot(), pathSlot, r.types(), r.dir(),
          r.varLength() ? r.min() : 1, r.varLength() ? r.max() : 1, all);
      cc.exprs.deps.set(nodes.get(0).slot());
      cc.exprs.deps.set(nodes.get(1).slot());
      return (row, c) -> {
        List<Object> out = new ArrayList<>();
        Object[] work = row.clone();
        new Steps.Runner(new Step[] {s}, m -> out.add(m[pathSlot]) || true).go(0, work, c);
        return all ? out : out.isEmpty() ? null : out.get(0);
      };
    } finally {
      cc.scope = outer;
    }
  }
}
