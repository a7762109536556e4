package dev.ephemera.internal.graph.query;

import dev.ephemera.graph.GraphQueryException.Kind;
import dev.ephemera.internal.graph.query.CypherParser.*;
import dev.ephemera.internal.graph.query.Exprs.AggDef;
import dev.ephemera.internal.graph.query.Match.NodeSpec;
import dev.ephemera.internal.graph.query.Match.Part;
import dev.ephemera.internal.graph.query.Match.RelSpec;
import dev.ephemera.internal.graph.query.Stages.Stage;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.atn.PredictionMode;

/**
 * Turns a query's text into a {@link Plan}: parses it (ANTLR, {@code Cypher.g4}), checks what
 * the grammar cannot (undefined and conflicting variables, aggregates out of place, clause order)
 * and compiles each clause into stages, variables into row slots.
 */
final class Compiler {
  final String query;
  Scope scope = new Scope();
  final Exprs exprs = new Exprs(this);
  final Match match = new Match(this);
  private int slots;
  private int symbolSets;
  private boolean writes;

  /** INSERT INTO copies the edges a pattern matched: every matched edge stays bound in the rows. */
  private final boolean keepEdges;

  private Compiler(String query, boolean keepEdges) {
    this.query = query;
    this.keepEdges = keepEdges;
  }

  static Plan compile(String query) {
    return compile(query, false);
  }

  /** {@code keepEdges}: for INSERT INTO, whose rows must hold every edge the pattern matched. */
  static Plan compile(String query, boolean keepEdges) {
    CypherLexer lexer = new CypherLexer(CharStreams.fromString(query));
    lexer.removeErrorListeners();
    CypherParser parser = new CypherParser(new CommonTokenStream(lexer));
    parser.removeErrorListeners();
    parser.addErrorListener(new BaseErrorListener() {
      @Override
      public void syntaxError(Recognizer<?, ?> r, Object symbol, int line, int col, String msg, RecognitionException e) {
        String near = symbol instanceof Token t ? (t.getType() == Token.EOF ? "the end of the query" : "'" + t.getText() + "'") : "here";
        throw new QueryError(Kind.SYNTAX, "invalid query near " + near + ": " + msg, line, col + 1);
      }
    });
    parser.getInterpreter().setPredictionMode(PredictionMode.SLL);
    StatementContext st;
    try {
      st = parser.statement();
    } catch (QueryError e) {
      // SLL is fast and almost always enough; a failure may be SLL's own, so retry with full LL
      CypherLexer again = new CypherLexer(CharStreams.fromString(query));
      again.removeErrorListeners();
      CypherParser full = new CypherParser(new CommonTokenStream(again));
      full.removeErrorListeners();
      full.addErrorListener(parser.getErrorListeners().get(0));
      full.getInterpreter().setPredictionMode(PredictionMode.LL);
      st = full.statement();
    }
    return new Compiler(query, keepEdges).plan(st);
  }

  // ---- helpers ----------------------------------------------------------------------------------

  int newSlot() {
    return slots++;
  }

  int slotCount() {
    return slots;
  }

  Syms syms(List<String> names) {
    return new Syms(names, symbolSets++);
  }

  String text(ParserRuleContext c) {
    return query.substring(c.getStart().getStartIndex(), c.getStop().getStopIndex() + 1);
  }

  static String name(SymbolicNameContext s) {
    String t = s.getText();
    if (s.EscapedSymbolicName() != null) {
      return t.substring(1, t.length() - 1).replace("``", "`");
    }
    return t;
  }

  static String name(SchemaNameContext s) {
    return s.symbolicName() != null ? name(s.symbolicName()) : s.getText();
  }

  static String name(PropertyKeyNameContext p) {
    return name(p.schemaName());
  }

  static List<String> labels(NodeLabelsContext l) {
    List<String> out = new ArrayList<>();
    for (LabelNameContext n : l.labelName()) {
      String name = name(n.schemaName());
      if (!out.contains(name)) {
        out.add(name);
      }
    }
    return out;
  }

  /** The variable an expression is, if it is nothing but a variable. */
  static String bareVariable(ExpressionContext e) {
    ParserRuleContext at = e;
    String t = e.getText();
    while (at != null) {
      if (at instanceof VariableAtomContext v) {
        return v.getText().equals(t) ? name(v.variable().symbolicName()) : null;
      }
      if (at.getChildCount() != 1 || !(at.getChild(0) instanceof ParserRuleContext next)) {
        return null;
      }
      at = next;
    }
    return null;
  }

  // ---- queries ------------------------------------------------------------------------------------

  private Plan plan(StatementContext st) {
    Plan.Mode mode = st.EXPLAIN() != null ? Plan.Mode.EXPLAIN : st.PROFILE() != null ? Plan.Mode.PROFILE : Plan.Mode.RUN;
    QueryContext q = st.query();
    List<Plan.Branch> branches = new ArrayList<>();
    branches.add(branch(q.singleQuery()));
    Boolean all = null;
    for (UnionContext u : q.union()) {
      boolean isAll = u.ALL() != null;
      if (all != null && all != isAll) {
        throw QueryError.semantic(u, "UNION and UNION ALL cannot be mixed in one query");
      }
      all = isAll;
      Plan.Branch b = branch(u.singleQuery());
      if (!b.columns().equals(branches.get(0).columns())) {
        throw QueryError.semantic(u, "all parts of a UNION must return the same columns: " + branches.get(0).columns()
            + " and " + b.columns());
      }
      branches.add(b);
    }
    return new Plan(branches, all == null || all, symbolSets, writes, mode);
  }

  private Plan.Branch branch(SingleQueryContext sq) {
    scope = new Scope();
    slots = 0;
    List<Stage> stages = new ArrayList<>();
    List<String> columns = List.of();
    int[] colSlots = new int[0];
    List<ClauseContext> clauses = sq.clause();
    boolean updated = false;
    for (int i = 0; i < clauses.size(); i++) {
      ClauseContext cl = clauses.get(i);
      boolean last = i == clauses.size() - 1;
      if (cl.returnClause() != null) {
        if (!last) {
          throw QueryError.semantic(clauses.get(i + 1), "RETURN must be the last clause");
        }
        Projection p = projection(stages, cl.returnClause().projectionBody(), null, true);
        columns = p.names;
        colSlots = p.slots;
      } else if (cl.withClause() != null) {
        projection(stages, cl.withClause().projectionBody(), cl.withClause().where(), false);
        updated = false;
      } else if (cl.matchClause() != null) {
        if (updated) {
          throw QueryError.semantic(cl, "a MATCH cannot follow an update without WITH between them");
        }
        matchClause(stages, cl.matchClause(), i + 1 < clauses.size() ? clauses.get(i + 1) : null);
      } else if (cl.unwindClause() != null) {
        unwind(stages, cl.unwindClause());
      } else {
        writes = true;
        updated = true;
        update(stages, cl);
      }
      if (last && cl.returnClause() == null && !updated) {
        throw QueryError.semantic(cl, "a query cannot end with " + cl.getStart().getText().toUpperCase(java.util.Locale.ROOT)
            + ": end it with RETURN or an update");
      }
    }
    return new Plan.Branch(stages, slots, columns, colSlots);
  }

  // ---- reading clauses ----------------------------------------------------------------------------

  private void matchClause(List<Stage> stages, MatchClauseContext m, ClauseContext next) {
    int before = slots;
    List<Part> parts = match.declare(m.pattern().patternPart(), true, "MATCH");
    BitSet fresh = new BitSet();
    fresh.set(before, slots);
    List<Match.Conjunct> where = match.conjuncts(m.where() == null ? null : m.where().expression());
    boolean distinctEnds = m.OPTIONAL() == null && parts.size() == 1 && parts.get(0).nodes().size() == 2
        && parts.get(0).nodes().get(1).name() != null && onlyDistinct(next, parts.get(0).nodes().get(1).name());
    Steps.Step[] steps = match.steps(parts, where, fresh, distinctEnds, !keepEdges);
    stages.add(Stages.match(steps, fresh.stream().toArray(), m.OPTIONAL() != null, text(m)));
  }

  /**
   * Whether the clause after a MATCH uses its end node {@code b} only as distinct values: {@code
   * RETURN|WITH DISTINCT} of bare variables, or items that are {@code count(DISTINCT b)},
   * {@code collect(DISTINCT b)} or bare variables other than {@code b} (grouping keys). Then how
   * many paths lead to each {@code b} cannot change the result.
   */
  private boolean onlyDistinct(ClauseContext next, String b) {
    if (next == null || (next.returnClause() == null && next.withClause() == null)) {
      return false;
    }
    ProjectionBodyContext body = next.returnClause() != null ? next.returnClause().projectionBody()
        : next.withClause().projectionBody();
    if (body.projectionItems().STAR() != null) {
      return false;
    }
    boolean distinct = body.DISTINCT() != null;
    String lower = b.toLowerCase(java.util.Locale.ROOT);
    for (ProjectionItemContext item : body.projectionItems().projectionItem()) {
      String bare = bareVariable(item.expression());
      if (bare != null && scope.get(bare) != null && (distinct || !bare.equals(b))) {
        continue;
      }
      String t = item.expression().getText().toLowerCase(java.util.Locale.ROOT);
      if (!distinct && (t.equals("count(distinct" + lower + ")") || t.equals("collect(distinct" + lower + ")"))) {
        continue;
      }
      return false;
    }
    return true;
  }

  private void unwind(List<Stage> stages, UnwindClauseContext u) {
    Ev list = exprs.expr(u.expression());
    String name = name(u.variable().symbolicName());
    if (scope.get(name) != null) {
      throw QueryError.semantic(u.variable(), "variable `" + name + "` is already defined");
    }
    int slot = newSlot();
    scope.put(new Scope.Var(name, slot, Scope.Kind.VALUE, false));
    stages.add(Stages.unwind(list, slot, text(u)));
  }

  /** A RETURN's or WITH's columns. */
  private record Projection(List<String> names, int[] slots) {}

  private Projection projection(List<Stage> stages, ProjectionBodyContext body, WhereContext where, boolean isReturn) {
    ProjectionItemsContext items = body.projectionItems();
    List<String> names = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    List<Ev> evs = new ArrayList<>();
    List<Boolean> keys = new ArrayList<>();
    List<Scope.Kind> kinds = new ArrayList<>();
    List<AggDef> aggs = new ArrayList<>();
    if (items.STAR() != null) {
      List<Scope.Var> vars = new ArrayList<>(scope.vars.values());
      vars.sort((a, b) -> a.name().compareTo(b.name()));
      if (vars.isEmpty() && items.projectionItem().isEmpty() && isReturn) {
        throw QueryError.semantic(items, (isReturn ? "RETURN" : "WITH") + " * has no variables to return");
      }
      for (Scope.Var v : vars) {
        int slot = v.slot();
        names.add(v.name());
        texts.add(v.name());
        evs.add((row, c) -> row[slot]);
        keys.add(true);
        kinds.add(v.kind());
      }
    }
    BitSet keyReads = new BitSet();
    List<BitSet> aggregateItemReads = new ArrayList<>();
    for (ProjectionItemContext item : items.projectionItem()) {
      exprs.aggs = aggs;
      int had = aggs.size();
      Ev ev;
      BitSet savedDeps = exprs.deps;
      exprs.deps = new BitSet();
      try {
        ev = exprs.expr(item.expression());
      } finally {
        exprs.aggs = null;
        if (aggs.size() == had) {
          keyReads.or(exprs.deps);
        } else {
          aggregateItemReads.add(exprs.deps);
        }
        savedDeps.or(exprs.deps);
        exprs.deps = savedDeps;
      }
      String bare = bareVariable(item.expression());
      if (!isReturn && item.variable() == null && bare == null) {
        throw QueryError.semantic(item, "an expression in WITH must be aliased (use AS): " + text(item.expression()));
      }
      names.add(item.variable() != null ? name(item.variable().symbolicName()) : text(item.expression()));
      texts.add(text(item.expression()));
      evs.add(ev);
      keys.add(aggs.size() == had);
      kinds.add(bare != null ? scope.get(bare).kind()
          : Literals.literalType(item.expression()) != null ? Scope.Kind.LITERAL : Scope.Kind.VALUE);
    }
    for (BitSet reads : aggregateItemReads) {
      BitSet outside = (BitSet) reads.clone();
      outside.andNot(keyReads);
      if (!outside.isEmpty()) {
        throw QueryError.semantic(items, "an expression that mixes an aggregate with other variables must group by"
            + " them: return the variables (or their properties) as columns of their own too");
      }
    }
    for (int i = 0; i < names.size(); i++) {
      if (names.indexOf(names.get(i)) != i) {
        throw QueryError.semantic(items, "two columns are named `" + names.get(i) + "`");
      }
    }
    int[] out = new int[names.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = newSlot();
    }
    boolean aggregating = !aggs.isEmpty();
    boolean distinct = body.DISTINCT() != null;
    String text = text(body);
    Scope projected = new Scope();
    for (int i = 0; i < out.length; i++) {
      projected.put(new Scope.Var(names.get(i), out[i], kinds.get(i), false));
    }
    // ORDER BY and WITH's WHERE see the columns and, where rows are not merged, the variables before them
    Scope both = scope.copy();
    projected.vars.values().forEach(both::put);
    Ev[] sortEvs = null;
    boolean[] desc = null;
    if (body.order() != null) {
      Scope saved = scope;
      scope = distinct && !aggregating ? projected : both;
      try {
        List<SortItemContext> sorts = body.order().sortItem();
        sortEvs = new Ev[sorts.size()];
        desc = new boolean[sorts.size()];
        for (int i = 0; i < sortEvs.length; i++) {
          SortItemContext s = sorts.get(i);
          int same = texts.indexOf(text(s.expression()));
          if (same >= 0 && (aggregating || distinct)) {
            int slot = out[same];
            sortEvs[i] = (row, c) -> row[slot];
          } else {
            exprs.aggs = aggregating ? aggs : null;
            try {
              sortEvs[i] = exprs.expr(s.expression());
            } catch (QueryError e) {
              if (distinct) {
                throw QueryError.semantic(s, "ORDER BY after DISTINCT can only use what is returned: " + e.getMessage());
              }
              throw e;
            } finally {
              exprs.aggs = null;
            }
          }
          desc[i] = s.DESC() != null || s.DESCENDING() != null;
        }
      } finally {
        scope = saved;
      }
    }
    if (aggregating) {
      boolean[] isKey = new boolean[keys.size()];
      for (int i = 0; i < isKey.length; i++) {
        isKey[i] = keys.get(i);
      }
      stages.add(Stages.aggregate(evs.toArray(new Ev[0]), out, isKey, aggs, text));
    } else {
      stages.add(Stages.project(evs.toArray(new Ev[0]), out, text));
    }
    if (distinct) {
      stages.add(Stages.distinct(out));
    }
    if (sortEvs != null) {
      stages.add(Stages.sort(sortEvs, desc, text(body.order())));
    }
    if (body.skip() != null || body.limit() != null) {
      Scope saved = scope;
      scope = new Scope();
      try {
        Ev skip = body.skip() == null ? null : exprs.expr(body.skip().expression());
        Ev limit = body.limit() == null ? null : exprs.expr(body.limit().expression());
        stages.add(Stages.skipLimit(skip, limit, (body.skip() == null ? "" : text(body.skip())) + " "
            + (body.limit() == null ? "" : text(body.limit()))));
      } catch (QueryError e) {
        throw QueryError.semantic(body.skip() != null ? body.skip() : body.limit(),
            "SKIP and LIMIT take a constant or a parameter, not a variable");
      } finally {
        scope = saved;
      }
    }
    if (where != null) {
      scope = aggregating ? projected : both;
      stages.add(Stages.filter(exprs.predicate(where.expression()), text(where)));
    }
    scope = projected;
    return new Projection(names, out);
  }

  // ---- updating clauses ---------------------------------------------------------------------------

  private void update(List<Stage> stages, ClauseContext cl) {
    if (cl.createClause() != null) {
      createStart = slots;
      List<Part> parts = match.declare(cl.createClause().pattern().patternPart(), true, "CREATE");
      checkCreatable(parts, "CREATE");
      stages.add(Updates.eager((row, c, down) -> {
        Updates.create(parts, row, c);
        return down.push(row);
      }, "Create " + text(cl)));
    } else if (cl.mergeClause() != null) {
      merge(stages, cl.mergeClause());
    } else if (cl.setClause() != null) {
      List<SetAction> actions = setItems(cl.setClause().setItem());
      stages.add(Updates.eager((row, c, down) -> {
        for (SetAction a : actions) {
          a.apply(row, c);
        }
        return down.push(row);
      }, "Set " + text(cl)));
    } else if (cl.removeClause() != null) {
      List<SetAction> actions = new ArrayList<>();
      for (RemoveItemContext r : cl.removeClause().removeItem()) {
        if (r instanceof RemoveLabelsContext l) {
          Ev target = exprs.variable(l.variable());
          String[] names = labels(l.nodeLabels()).toArray(new String[0]);
          actions.add((row, c) -> Updates.labels(c, target.ev(row, c), names, false));
        } else {
          PropertyExpressionContext p = ((RemovePropertyContext) r).propertyExpression();
          Ev target = propertyTarget(p);
          String name = name(p.propertyKeyName(p.propertyKeyName().size() - 1));
          actions.add((row, c) -> Updates.setProperty(c, target.ev(row, c), name, null));
        }
      }
      stages.add(Updates.eager((row, c, down) -> {
        for (SetAction a : actions) {
          a.apply(row, c);
        }
        return down.push(row);
      }, "Remove " + text(cl)));
    } else {
      DeleteClauseContext d = cl.deleteClause();
      boolean detach = d.DETACH() != null;
      List<Ev> targets = new ArrayList<>();
      for (ExpressionContext e : d.expression()) {
        if (Exprs.hasAggregate(e)) {
          throw QueryError.semantic(e, "DELETE cannot take an aggregate");
        }
        Ev ev = exprs.expr(e);
        String bare = bareVariable(e);
        if (bare == null && !text(e).contains(".") && !text(e).contains("[") && !text(e).contains("(")) {
          throw QueryError.semantic(e, "DELETE expects a node, a relationship or a path: " + text(e));
        }
        targets.add(ev);
      }
      stages.add(Updates.eager((row, c, down) -> {
        for (Ev t : targets) {
          Updates.delete(c, t.ev(row, c), detach);
        }
        return down.push(row);
      }, (detach ? "DetachDelete " : "Delete ") + text(cl)));
    }
  }

  private void checkCreatable(List<Part> parts, String clause) {
    for (Part p : parts) {
      if (p.shortest() > 0) {
        throw QueryError.semantic(p.at(), clause + " cannot create a shortest path");
      }
      for (NodeSpec n : p.nodes()) {
        if (n.bound() && (!n.labels().isEmpty() || n.props() != null)) {
          throw QueryError.semantic(n.at(), "variable `" + n.name() + "` is already defined: " + clause
              + " cannot give it labels or properties");
        }
      }
      if (p.rels().isEmpty() && p.nodes().size() == 1 && p.nodes().get(0).bound() && clause.equals("CREATE")
          && scopeHadBefore(p.nodes().get(0))) {
        throw QueryError.semantic(p.nodes().get(0).at(), "variable `" + p.nodes().get(0).name() + "` is already defined");
      }
      for (RelSpec r : p.rels()) {
        if (r.types().names.length != 1) {
          throw QueryError.semantic(r.at(), clause + " needs exactly one relationship type, like [:KNOWS]");
        }
        if (r.dir() == 0 && clause.equals("CREATE")) {
          throw QueryError.semantic(r.at(), "CREATE needs a direction for each relationship: -> or <-");
        }
        if (r.varLength()) {
          throw QueryError.semantic(r.at(), clause + " cannot create a variable-length relationship");
        }
      }
    }
  }

  /** Whether a bound node of a CREATE pattern was bound before the clause (not earlier in the same pattern). */
  private boolean scopeHadBefore(NodeSpec n) {
    return n.slot() < createStart;
  }

  private int createStart;

  private void merge(List<Stage> stages, MergeClauseContext m) {
    createStart = slots;
    int before = slots;
    List<Part> parts = match.declare(List.of(m.patternPart()), true, "MERGE");
    checkCreatable(parts, "MERGE");
    BitSet fresh = new BitSet();
    fresh.set(before, slots);
    if (fresh.isEmpty() && parts.get(0).rels().isEmpty()) {
      throw QueryError.semantic(m, "variable `" + parts.get(0).nodes().get(0).name() + "` is already defined");
    }
    Steps.Step[] steps = match.steps(parts, List.of(), fresh);
    List<SetAction> onCreate = new ArrayList<>();
    List<SetAction> onMatch = new ArrayList<>();
    for (MergeActionContext a : m.mergeAction()) {
      (a.CREATE() != null ? onCreate : onMatch).addAll(setItems(a.setItem()));
    }
    stages.add(Updates.eager((row, c, down) -> {
      List<Object[]> found = new ArrayList<>();
      new Steps.Runner(steps, x -> found.add(x.clone())).go(0, row.clone(), c);
      if (!found.isEmpty()) {
        boolean more = true;
        for (Object[] x : found) {
          for (SetAction s : onMatch) {
            s.apply(x, c);
          }
          more = more && down.push(x);
        }
        return more;
      }
      checkMergeValues(parts, row, c);
      Updates.create(parts, row, c);
      for (SetAction s : onCreate) {
        s.apply(row, c);
      }
      return down.push(row);
    }, "Merge " + text(m)));
  }

  private static void checkMergeValues(List<Part> parts, Object[] row, Ctx c) {
    for (Part p : parts) {
      for (NodeSpec n : p.nodes()) {
        checkNotNull(n.props(), row, c);
      }
      for (RelSpec r : p.rels()) {
        checkNotNull(r.props(), row, c);
      }
    }
  }

  private static void checkNotNull(Steps.Props props, Object[] row, Ctx c) {
    if (props == null) {
      return;
    }
    for (int i = 0; i < props.names.length; i++) {
      if (props.values[i].ev(row, c) == null) {
        throw QueryError.semantic(null, "MERGE cannot use a null property value (property '" + props.names[i] + "')");
      }
    }
  }

  /** One item of a SET (or ON CREATE / ON MATCH SET). */
  @FunctionalInterface
  private interface SetAction {
    void apply(Object[] row, Ctx c);
  }

  private List<SetAction> setItems(List<SetItemContext> items) {
    List<SetAction> out = new ArrayList<>();
    for (SetItemContext item : items) {
      if (item instanceof SetPropertyContext p) {
        PropertyExpressionContext pe = p.propertyExpression();
        Ev target = propertyTarget(pe);
        String name = name(pe.propertyKeyName(pe.propertyKeyName().size() - 1));
        Ev value = exprs.expr(p.expression());
        out.add((row, c) -> Updates.setProperty(c, target.ev(row, c), name, value.ev(row, c)));
      } else if (item instanceof SetAllContext a) {
        Ev target = exprs.variable(a.variable());
        Ev value = exprs.expr(a.expression());
        out.add((row, c) -> Updates.setAll(c, target.ev(row, c), value.ev(row, c), true));
      } else if (item instanceof SetMergeContext a) {
        Ev target = exprs.variable(a.variable());
        Ev value = exprs.expr(a.expression());
        out.add((row, c) -> Updates.setAll(c, target.ev(row, c), value.ev(row, c), false));
      } else {
        SetLabelsContext l = (SetLabelsContext) item;
        Ev target = exprs.variable(l.variable());
        String[] names = labels(l.nodeLabels()).toArray(new String[0]);
        out.add((row, c) -> Updates.labels(c, target.ev(row, c), names, true));
      }
    }
    return out;
  }

  /** The element whose property a {@code a.b.c} names: {@code a.b}. */
  private Ev propertyTarget(PropertyExpressionContext p) {
    Ev target = exprs.atomOf(p.atom());
    List<PropertyKeyNameContext> keys = p.propertyKeyName();
    for (int i = 0; i < keys.size() - 1; i++) {
      target = Exprs.property(target, name(keys.get(i)));
    }
    return target;
  }
}
