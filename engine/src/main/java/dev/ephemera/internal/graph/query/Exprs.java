package dev.ephemera.internal.graph.query;

import dev.ephemera.graph.GraphQueryException.Kind;
import dev.ephemera.internal.graph.query.CypherParser.*;
import dev.ephemera.internal.graph.query.Refs.NodeRef;
import dev.ephemera.internal.graph.query.Refs.PathRef;
import dev.ephemera.internal.graph.query.Refs.RelRef;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.tree.ParseTree;
import org.antlr.v4.runtime.tree.TerminalNode;

/**
 * Compiles expressions of the parse tree into {@link Ev}s over row slots, in the compiler's
 * current scope. Records the slots each expression reads ({@link #deps}) so a filter can run as
 * soon as its variables are bound, and collects aggregate calls into {@link #aggs} where a
 * projection allows them.
 */
final class Exprs {
  /** An aggregate call of a projection: its function, argument and the slot of its result. */
  record AggDef(String fn, boolean distinct, Ev arg, Ev arg2, int slot, String text) {}

  /** An expression that is a pattern: a list of paths, or a predicate where a boolean is wanted. */
  record PatternEv(Ev paths, Ev exists) implements Ev {
    @Override
    public Object ev(Object[] row, Ctx c) {
      return paths.ev(row, c);
    }
  }

  private final Compiler cc;
  /** Where aggregate calls go, or {@code null} where none is allowed. */
  List<AggDef> aggs;
  /** The slots read by what was compiled since it was last reset. */
  BitSet deps = new BitSet();
  /** The slots read inside aggregate calls (not counted in {@link #deps}). */
  BitSet aggregateDeps = new BitSet();

  Exprs(Compiler cc) {
    this.cc = cc;
  }

  Ev expr(ExpressionContext e) {
    return or(e.orExpression());
  }

  /** An expression used as a condition: a pattern means "exists". */
  Ev predicate(ExpressionContext e) {
    return bool(expr(e));
  }

  private static Ev bool(Ev e) {
    return e instanceof PatternEv p ? p.exists() : e;
  }

  /** A literal operand of a boolean operator that is no boolean fails when the query is compiled. */
  private static void checkBooleanOperand(ParserRuleContext operand, String op) {
    String type = Literals.literalType(operand);
    if (type != null) {
      throw QueryError.semantic(operand, op + " expects booleans, got " + type);
    }
  }

  private static Boolean truth(Object v, String op) {
    if (v == null || v instanceof Boolean) {
      return (Boolean) v;
    }
    throw QueryError.type(op + " expects booleans, got " + Vals.typeName(v));
  }

  private Ev or(OrExpressionContext e) {
    List<XorExpressionContext> parts = e.xorExpression();
    if (parts.size() == 1) {
      return xor(parts.get(0));
    }
    Ev[] evs = new Ev[parts.size()];
    for (int i = 0; i < evs.length; i++) {
      checkBooleanOperand(parts.get(i), "OR");
      evs[i] = bool(xor(parts.get(i)));
    }
    return (row, c) -> {
      boolean unknown = false;
      for (Ev x : evs) {
        Boolean b = truth(x.ev(row, c), "OR");
        if (b == null) {
          unknown = true;
        } else if (b) {
          return true;
        }
      }
      return unknown ? null : false;
    };
  }

  private Ev xor(XorExpressionContext e) {
    List<AndExpressionContext> parts = e.andExpression();
    if (parts.size() == 1) {
      return and(parts.get(0));
    }
    Ev[] evs = new Ev[parts.size()];
    for (int i = 0; i < evs.length; i++) {
      checkBooleanOperand(parts.get(i), "XOR");
      evs[i] = bool(and(parts.get(i)));
    }
    return (row, c) -> {
      Boolean acc = truth(evs[0].ev(row, c), "XOR");
      for (int i = 1; i < evs.length; i++) {
        Boolean b = truth(evs[i].ev(row, c), "XOR");
        acc = acc == null || b == null ? null : acc ^ b;
      }
      return acc;
    };
  }

  private Ev and(AndExpressionContext e) {
    List<NotExpressionContext> parts = e.notExpression();
    if (parts.size() == 1) {
      return not(parts.get(0));
    }
    Ev[] evs = new Ev[parts.size()];
    for (int i = 0; i < evs.length; i++) {
      checkBooleanOperand(parts.get(i), "AND");
      evs[i] = bool(not(parts.get(i)));
    }
    return (row, c) -> {
      boolean unknown = false;
      for (Ev x : evs) {
        Boolean b = truth(x.ev(row, c), "AND");
        if (b == null) {
          unknown = true;
        } else if (!b) {
          return false;
        }
      }
      return unknown ? null : true;
    };
  }

  /** One conjunct of a WHERE (an operand of its top-level AND), as a condition. */
  Ev conjunct(NotExpressionContext e) {
    return bool(not(e));
  }

  /** One operand of a comparison. */
  Ev predicateOperand(PredicateExpressionContext e) {
    return predicateExpr(e);
  }

  private Ev not(NotExpressionContext e) {
    Ev inner = comparison(e.comparisonExpression());
    int nots = e.NOT().size();
    if (nots == 0) {
      return inner;
    }
    checkBooleanOperand(e.comparisonExpression(), "NOT");
    Ev b = bool(inner);
    boolean flip = nots % 2 == 1;
    return (row, c) -> {
      Boolean v = truth(b.ev(row, c), "NOT");
      return v == null ? null : flip != v;
    };
  }

  private Ev comparison(ComparisonExpressionContext e) {
    List<PredicateExpressionContext> parts = e.predicateExpression();
    if (parts.size() == 1) {
      return predicateExpr(parts.get(0));
    }
    Ev[] evs = new Ev[parts.size()];
    for (int i = 0; i < evs.length; i++) {
      evs[i] = predicateExpr(parts.get(i));
    }
    String[] ops = new String[parts.size() - 1];
    for (int i = 0; i < ops.length; i++) {
      ops[i] = e.comparisonOperator(i).getText();
    }
    return (row, c) -> {
      Object left = evs[0].ev(row, c);
      Boolean acc = true;
      for (int i = 0; i < ops.length; i++) {
        Object right = evs[i + 1].ev(row, c);
        Boolean r = compareOp(ops[i], left, right);
        if (r == null) {
          acc = acc == null || acc ? null : false;
        } else if (!r) {
          acc = false;
        }
        left = right;
      }
      return acc;
    };
  }

  static Boolean compareOp(String op, Object a, Object b) {
    switch (op) {
      case "=":
        return Vals.eq(a, b);
      case "<>":
      case "!=": {
        Boolean r = Vals.eq(a, b);
        return r == null ? null : !r;
      }
      default: {
        if ((a instanceof Double x && x.isNaN() && Vals.isNumber(b)) || (b instanceof Double y && y.isNaN() && Vals.isNumber(a))) {
          return false;
        }
        Integer s = Vals.compare(a, b);
        if (s == null) {
          return null;
        }
        switch (op) {
          case "<":
            return s < 0;
          case ">":
            return s > 0;
          case "<=":
            return s <= 0;
          default:
            return s >= 0;
        }
      }
    }
  }

  private Ev predicateExpr(PredicateExpressionContext e) {
    Ev acc = add(e.addExpression());
    for (PredicateSuffixContext s : e.predicateSuffix()) {
      Ev left = acc;
      if (s instanceof IsNullContext) {
        acc = (row, c) -> left.ev(row, c) == null;
      } else if (s instanceof IsNotNullContext) {
        acc = (row, c) -> left.ev(row, c) != null;
      } else if (s instanceof StartsWithContext x) {
        Ev right = add(x.addExpression());
        acc = (row, c) -> left.ev(row, c) instanceof String a && right.ev(row, c) instanceof String b ? a.startsWith(b) : null;
      } else if (s instanceof EndsWithContext x) {
        Ev right = add(x.addExpression());
        acc = (row, c) -> left.ev(row, c) instanceof String a && right.ev(row, c) instanceof String b ? a.endsWith(b) : null;
      } else if (s instanceof ContainsContext x) {
        Ev right = add(x.addExpression());
        acc = (row, c) -> left.ev(row, c) instanceof String a && right.ev(row, c) instanceof String b ? a.contains(b) : null;
      } else if (s instanceof RegexContext x) {
        Ev right = add(x.addExpression());
        acc = (row, c) -> {
          if (left.ev(row, c) instanceof String a && right.ev(row, c) instanceof String b) {
            try {
              return Pattern.compile(b).matcher(a).matches();
            } catch (PatternSyntaxException ex) {
              throw QueryError.runtime("invalid regular expression '" + b + "': " + ex.getDescription());
            }
          }
          return null;
        };
      } else if (s instanceof InListContext x) {
        Ev right = add(x.addExpression());
        acc = (row, c) -> in(left.ev(row, c), right.ev(row, c));
      }
    }
    return acc;
  }

  static Boolean in(Object v, Object list) {
    if (list == null) {
      return null;
    }
    if (!(list instanceof List<?> l)) {
      throw QueryError.type("IN expects a list, got " + Vals.typeName(list));
    }
    boolean unknown = false;
    for (Object x : l) {
      Boolean e = Vals.eq(v, x);
      if (e == null) {
        unknown = true;
      } else if (e) {
        return true;
      }
    }
    return unknown ? null : false;
  }

  private Ev add(AddExpressionContext e) {
    List<MultiplyExpressionContext> parts = e.multiplyExpression();
    Ev acc = multiply(parts.get(0));
    for (int i = 1; i < parts.size(); i++) {
      Ev left = acc;
      Ev right = multiply(parts.get(i));
      boolean plus = e.addOperator(i - 1).getText().equals("+");
      acc = plus ? (row, c) -> Arith.add(left.ev(row, c), right.ev(row, c))
          : (row, c) -> Arith.sub(left.ev(row, c), right.ev(row, c));
    }
    return acc;
  }

  private Ev multiply(MultiplyExpressionContext e) {
    List<PowerExpressionContext> parts = e.powerExpression();
    Ev acc = power(parts.get(0));
    for (int i = 1; i < parts.size(); i++) {
      Ev left = acc;
      Ev right = power(parts.get(i));
      String op = e.multiplyOperator(i - 1).getText();
      acc = (row, c) -> Arith.mul(op, left.ev(row, c), right.ev(row, c));
    }
    return acc;
  }

  private Ev power(PowerExpressionContext e) {
    List<UnaryExpressionContext> parts = e.unaryExpression();
    Ev acc = unary(parts.get(0));
    for (int i = 1; i < parts.size(); i++) {
      Ev left = acc;
      Ev right = unary(parts.get(i));
      acc = (row, c) -> Arith.pow(left.ev(row, c), right.ev(row, c));
    }
    return acc;
  }

  private Ev unary(UnaryExpressionContext e) {
    if (e.postfixExpression() != null) {
      return postfix(e.postfixExpression());
    }
    boolean minus = e.getChild(0).getText().equals("-");
    UnaryExpressionContext inner = e.unaryExpression();
    if (minus) {
      // -9223372036854775808 is an integer: the literal alone would overflow
      IntegerLiteralContext lit = integerLiteralOf(inner);
      if (lit != null) {
        long v = Literals.integer(lit, true);
        return (row, c) -> v;
      }
    }
    Ev x = unary(inner);
    return minus ? (row, c) -> Arith.neg(x.ev(row, c)) : (row, c) -> {
      Object v = x.ev(row, c);
      if (v != null && !Vals.isNumber(v)) {
        throw QueryError.type("unary + expects a number, got " + Vals.typeName(v));
      }
      return v;
    };
  }

  private static IntegerLiteralContext integerLiteralOf(UnaryExpressionContext u) {
    PostfixExpressionContext p = u.postfixExpression();
    if (p == null || !p.postfix().isEmpty() || !(p.atom() instanceof LiteralAtomContext la)) {
      return null;
    }
    NumberLiteralContext n = la.literal().numberLiteral();
    return n == null ? null : n.integerLiteral();
  }

  private Ev postfix(PostfixExpressionContext e) {
    Ev acc = atom(e.atom());
    for (PostfixContext p : e.postfix()) {
      Ev base = acc;
      if (p instanceof PropertyLookupContext x) {
        String name = Compiler.name(x.propertyKeyName());
        acc = property(base, name);
      } else if (p instanceof IndexLookupContext x) {
        Ev index = expr(x.expression());
        acc = (row, c) -> Lists.index(c, base.ev(row, c), index.ev(row, c));
      } else if (p instanceof SliceLookupContext x) {
        Ev from = x.from == null ? null : expr(x.from);
        Ev to = x.to == null ? null : expr(x.to);
        acc = (row, c) -> Lists.slice(base.ev(row, c), from == null ? 0L : from.ev(row, c), to == null ? Long.MAX_VALUE : to.ev(row, c),
            from == null, to == null);
      } else if (p instanceof LabelTestContext x) {
        Syms labels = cc.syms(Compiler.labels(x.nodeLabels()));
        acc = (row, c) -> {
          Object v = base.ev(row, c);
          if (v == null) {
            return null;
          }
          if (!(v instanceof NodeRef n)) {
            throw QueryError.type("a label test expects a node, got " + Vals.typeName(v));
          }
          int[] s = labels.resolve(c);
          return !Syms.anyUnknown(s) && c.graph().hasLabels(n.id(), s);
        };
      }
    }
    return acc;
  }

  /** {@code base.name}: a node's or an edge's property, a map's entry. */
  static Ev property(Ev base, String name) {
    byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
    return (row, c) -> {
      Object v = base.ev(row, c);
      if (v == null) {
        return null;
      }
      if (v instanceof NodeRef n) {
        if (c.deletedNodes.containsKey(n.id())) {
          throw QueryError.runtime("the node was deleted by this query: its properties are gone");
        }
        return c.graph().property(n.id(), name, utf8);
      }
      if (v instanceof RelRef r) {
        if (c.deletedEdges.containsKey(r.id())) {
          throw QueryError.runtime("the relationship was deleted by this query: its properties are gone");
        }
        return c.graph().edgeProperty(r.id(), utf8);
      }
      if (v instanceof Map<?, ?> m) {
        return m.get(name);
      }
      throw QueryError.type("cannot read property '" + name + "' of " + Vals.typeName(v));
    };
  }

  // ---- atoms ----------------------------------------------------------------------------------

  /** An atom on its own (the start of a SET's property expression). */
  Ev atomOf(AtomContext a) {
    return atom(a);
  }

  private Ev atom(AtomContext a) {
    if (a instanceof LiteralAtomContext x) {
      return literal(x.literal());
    }
    if (a instanceof ParameterAtomContext x) {
      return parameter(x.parameter());
    }
    if (a instanceof VariableAtomContext x) {
      return variable(x.variable());
    }
    if (a instanceof ParenthesizedAtomContext x) {
      return expr(x.expression());
    }
    if (a instanceof FunctionAtomContext x) {
      return function(x);
    }
    if (a instanceof CountStarAtomContext x) {
      return aggregate(x, "count", false, null, null);
    }
    if (a instanceof CaseAtomContext x) {
      return caseExpr(x);
    }
    if (a instanceof ListComprehensionAtomContext x) {
      return comprehension(x.filterExpression(), x.expression());
    }
    if (a instanceof QuantifierAtomContext x) {
      return quantifier(x);
    }
    if (a instanceof ReduceAtomContext x) {
      return reduce(x);
    }
    if (a instanceof MapProjectionAtomContext x) {
      return mapProjection(x);
    }
    if (a instanceof PatternAtomContext x) {
      return cc.match.patternExpression(x.relationshipsPattern());
    }
    if (a instanceof PatternComprehensionAtomContext x) {
      return cc.match.patternComprehension(x);
    }
    if (a instanceof ShortestPathAtomContext x) {
      return cc.match.shortestPathExpression(x);
    }
    throw QueryError.syntax(a, "unsupported expression: " + cc.text(a));
  }

  Ev variable(VariableContext v) {
    String name = Compiler.name(v.symbolicName());
    Scope.Var var = cc.scope.get(name);
    if (var == null) {
      throw QueryError.semantic(v, "variable `" + name + "` is not defined");
    }
    int slot = var.slot();
    deps.set(slot);
    return (row, c) -> row[slot];
  }

  private Ev parameter(ParameterContext p) {
    String name = p.symbolicName() != null ? Compiler.name(p.symbolicName()) : p.DecimalInteger().getText();
    return (row, c) -> {
      if (!c.params.containsKey(name)) {
        throw QueryError.at(Kind.SEMANTIC, p.getStart(), "parameter $" + name + " has no value");
      }
      return c.params.get(name);
    };
  }

  Ev literal(LiteralContext l) {
    if (l.numberLiteral() != null) {
      NumberLiteralContext n = l.numberLiteral();
      if (n.integerLiteral() != null) {
        long v = Literals.integer(n.integerLiteral(), false);
        return (row, c) -> v;
      }
      double d = Double.parseDouble(n.FloatLiteral().getText());
      if (Double.isInfinite(d)) {
        throw QueryError.syntax(l, "float literal out of range: " + n.getText());
      }
      return (row, c) -> d;
    }
    if (l.StringLiteral() != null) {
      String s = Literals.unescape(l, l.StringLiteral().getText());
      return (row, c) -> s;
    }
    if (l.TRUE() != null) {
      return (row, c) -> Boolean.TRUE;
    }
    if (l.FALSE() != null) {
      return (row, c) -> Boolean.FALSE;
    }
    if (l.NULL() != null) {
      return (row, c) -> null;
    }
    if (l.listLiteral() != null) {
      List<ExpressionContext> items = l.listLiteral().expression();
      Ev[] evs = new Ev[items.size()];
      for (int i = 0; i < evs.length; i++) {
        evs[i] = expr(items.get(i));
      }
      return (row, c) -> {
        List<Object> out = new ArrayList<>(evs.length);
        for (Ev x : evs) {
          out.add(x.ev(row, c));
        }
        return out;
      };
    }
    return map(l.mapLiteral());
  }

  Ev map(MapLiteralContext m) {
    List<PropertyKeyNameContext> keys = m.propertyKeyName();
    String[] names = new String[keys.size()];
    Ev[] evs = new Ev[keys.size()];
    for (int i = 0; i < names.length; i++) {
      names[i] = Compiler.name(keys.get(i));
      evs[i] = expr(m.expression(i));
    }
    return (row, c) -> {
      Map<String, Object> out = new LinkedHashMap<>();
      for (int i = 0; i < names.length; i++) {
        out.put(names[i], evs[i].ev(row, c));
      }
      return out;
    };
  }

  private static final java.util.Set<String> AGGREGATES = java.util.Set.of("count", "sum", "avg", "min", "max",
      "collect", "stdev", "stdevp", "percentiledisc", "percentilecont");

  private Ev function(FunctionAtomContext f) {
    String name = f.functionName().getText();
    String lower = name.toLowerCase(Locale.ROOT);
    List<ExpressionContext> args = f.expression();
    boolean distinct = f.DISTINCT() != null;
    if (AGGREGATES.contains(lower)) {
      int want = lower.startsWith("percentile") ? 2 : 1;
      if (args.size() != want) {
        throw QueryError.semantic(f, name + "() takes " + want + " argument" + (want == 1 ? "" : "s") + ", got " + args.size());
      }
      return aggregate(f, lower, distinct, args.get(0), want == 2 ? args.get(1) : null);
    }
    Functions.Fn fn = Functions.find(name);
    if (fn == null) {
      throw QueryError.semantic(f, "unknown function " + name + "()");
    }
    if (distinct) {
      throw QueryError.semantic(f, "DISTINCT is only for aggregate functions, not " + name + "()");
    }
    if (args.size() < fn.min() || args.size() > fn.max()) {
      throw QueryError.semantic(f, name + "() takes " + (fn.min() == fn.max() ? fn.min() + "" : fn.min() + " to " + fn.max())
          + " arguments, got " + args.size());
    }
    if (lower.equals("exists") && !isPropertyOrPattern(args.get(0))) {
      throw QueryError.semantic(f, "exists() expects a property (n.prop) or a pattern");
    }
    Ev[] evs = new Ev[args.size()];
    for (int i = 0; i < evs.length; i++) {
      evs[i] = expr(args.get(i));
      if (lower.equals("exists") && evs[i] instanceof PatternEv p) {
        evs[i] = p.exists();
        return evs[i];
      }
    }
    boolean nullIn = fn.nullIn();
    Functions.Body body = fn.body();
    return (row, c) -> {
      Object[] a = new Object[evs.length];
      for (int i = 0; i < a.length; i++) {
        a[i] = evs[i].ev(row, c);
      }
      if (nullIn && a.length > 0 && a[0] == null) {
        return null;
      }
      return body.apply(c, a);
    };
  }

  private boolean isPropertyOrPattern(ExpressionContext e) {
    String t = e.getText();
    return t.contains(".") || t.contains("-") || t.contains("[");
  }

  private Ev aggregate(ParserRuleContext at, String fn, boolean distinct, ExpressionContext arg, ExpressionContext arg2) {
    if (aggs == null) {
      throw QueryError.semantic(at, "aggregate " + cc.text(at) + " is not allowed here (only in RETURN and WITH)");
    }
    List<AggDef> outer = aggs;
    aggs = null;
    Ev a;
    Ev b;
    java.util.BitSet outerDeps = deps;
    deps = new java.util.BitSet();
    try {
      a = arg == null ? null : expr(arg);
      b = arg2 == null ? null : expr(arg2);
    } catch (QueryError e) {
      if (e.getMessage().startsWith("aggregate ")) {
        throw QueryError.semantic(at, "aggregates cannot be nested: " + cc.text(at));
      }
      throw e;
    } finally {
      aggs = outer;
      aggregateDeps.or(deps);
      deps = outerDeps;
    }
    int slot = cc.newSlot();
    aggs.add(new AggDef(fn, distinct, a, b, slot, cc.text(at)));
    return (row, c) -> row[slot];
  }

  private Ev caseExpr(CaseAtomContext x) {
    List<ExpressionContext> all = x.expression();
    boolean simple = x.getChild(1) instanceof ExpressionContext;
    Ev test = simple ? expr(all.get(0)) : null;
    List<CaseAlternativeContext> alts = x.caseAlternative();
    Ev[] whens = new Ev[alts.size()];
    Ev[] thens = new Ev[alts.size()];
    for (int i = 0; i < whens.length; i++) {
      whens[i] = simple ? expr(alts.get(i).expression(0)) : predicate(alts.get(i).expression(0));
      thens[i] = expr(alts.get(i).expression(1));
    }
    Ev otherwise = x.ELSE() != null ? expr(all.get(all.size() - 1)) : null;
    return (row, c) -> {
      Object t = simple ? test.ev(row, c) : null;
      for (int i = 0; i < whens.length; i++) {
        Object w = whens[i].ev(row, c);
        boolean hit = simple ? Boolean.TRUE.equals(Vals.eq(t, w)) : Boolean.TRUE.equals(w);
        if (hit) {
          return thens[i].ev(row, c);
        }
      }
      return otherwise == null ? null : otherwise.ev(row, c);
    };
  }

  /** A variable local to a comprehension, quantifier or reduce: a fresh slot in a nested scope. */
  private int local(VariableContext v, Scope.Kind kind) {
    String name = Compiler.name(v.symbolicName());
    int slot = cc.newSlot();
    cc.scope.put(new Scope.Var(name, slot, kind, false));
    return slot;
  }

  private Ev comprehension(FilterExpressionContext f, ExpressionContext map) {
    Ev list = expr(f.expression(0));
    Scope outer = cc.scope;
    cc.scope = outer.copy();
    try {
      int slot = local(f.variable(), Scope.Kind.VALUE);
      Ev where = f.expression().size() > 1 ? predicate(f.expression(1)) : null;
      Ev body = map == null ? null : expr(map);
      deps.clear(slot);
      return (row, c) -> {
        Object l = list.ev(row, c);
        if (l == null) {
          return null;
        }
        List<?> items = Functions.list("list comprehension", l);
        List<Object> out = new ArrayList<>();
        for (Object item : items) {
          row[slot] = item;
          if (where == null || Boolean.TRUE.equals(where.ev(row, c))) {
            out.add(body == null ? item : body.ev(row, c));
          }
        }
        return out;
      };
    } finally {
      cc.scope = outer;
    }
  }

  private Ev quantifier(QuantifierAtomContext x) {
    String q = x.getChild(0).getText().toLowerCase(Locale.ROOT);
    FilterExpressionContext f = x.filterExpression();
    if (f.expression().size() < 2) {
      throw QueryError.semantic(x, q + "(...) needs a WHERE predicate");
    }
    Ev list = expr(f.expression(0));
    Scope outer = cc.scope;
    cc.scope = outer.copy();
    try {
      int slot = local(f.variable(), Scope.Kind.VALUE);
      Ev where = predicate(f.expression(1));
      deps.clear(slot);
      return (row, c) -> {
        Object l = list.ev(row, c);
        if (l == null) {
          return null;
        }
        int yes = 0;
        int unknown = 0;
        List<?> items = Functions.list(q, l);
        for (Object item : items) {
          row[slot] = item;
          Boolean b = truth(where.ev(row, c), q);
          if (b == null) {
            unknown++;
          } else if (b) {
            yes++;
          }
        }
        int no = items.size() - yes - unknown;
        switch (q) {
          case "all":
            return no > 0 ? Boolean.FALSE : unknown > 0 ? null : Boolean.TRUE;
          case "any":
            return yes > 0 ? Boolean.TRUE : unknown > 0 ? null : Boolean.FALSE;
          case "none":
            return yes > 0 ? Boolean.FALSE : unknown > 0 ? null : Boolean.TRUE;
          default:
            return yes > 1 ? Boolean.FALSE : unknown > 0 ? null : Boolean.valueOf(yes == 1);
        }
      };
    } finally {
      cc.scope = outer;
    }
  }

  private Ev reduce(ReduceAtomContext x) {
    Ev init = expr(x.expression(0));
    Ev list = expr(x.expression(1));
    Scope outer = cc.scope;
    cc.scope = outer.copy();
    try {
      int acc = local(x.variable(0), Scope.Kind.VALUE);
      int item = local(x.variable(1), Scope.Kind.VALUE);
      Ev body = expr(x.expression(2));
      deps.clear(acc);
      deps.clear(item);
      return (row, c) -> {
        Object l = list.ev(row, c);
        if (l == null) {
          return null;
        }
        row[acc] = init.ev(row, c);
        for (Object i : Functions.list("reduce", l)) {
          row[item] = i;
          row[acc] = body.ev(row, c);
        }
        return row[acc];
      };
    } finally {
      cc.scope = outer;
    }
  }

  private Ev mapProjection(MapProjectionAtomContext x) {
    Ev base = variable(x.variable());
    List<Object[]> items = new ArrayList<>(); // {kind, name, ev}
    for (MapProjectionItemContext i : x.mapProjectionItem()) {
      if (i instanceof MapProjectionLiteralContext l) {
        items.add(new Object[] {"v", Compiler.name(l.propertyKeyName()), expr(l.expression())});
      } else if (i instanceof MapProjectionPropertyContext p) {
        String name = Compiler.name(p.propertyKeyName());
        items.add(new Object[] {"v", name, property(base, name)});
      } else if (i instanceof MapProjectionAllContext) {
        items.add(new Object[] {"*", null, base});
      } else if (i instanceof MapProjectionVariableContext v) {
        items.add(new Object[] {"v", Compiler.name(v.variable().symbolicName()), variable(v.variable())});
      }
    }
    return (row, c) -> {
      Object b = base.ev(row, c);
      if (b == null) {
        return null;
      }
      Map<String, Object> out = new LinkedHashMap<>();
      for (Object[] i : items) {
        if (i[0].equals("*")) {
          out.putAll(Graphs.properties(c, b, "map projection"));
        } else {
          out.put((String) i[1], ((Ev) i[2]).ev(row, c));
        }
      }
      return out;
    };
  }

  /** Whether the parse tree under {@code t} holds an aggregate call (for projections). */
  static boolean hasAggregate(ParseTree t) {
    if (t instanceof CountStarAtomContext) {
      return true;
    }
    if (t instanceof FunctionAtomContext f && AGGREGATES.contains(f.functionName().getText().toLowerCase(Locale.ROOT))) {
      return true;
    }
    if (t instanceof TerminalNode) {
      return false;
    }
    for (int i = 0; i < t.getChildCount(); i++) {
      if (hasAggregate(t.getChild(i))) {
        return true;
      }
    }
    return false;
  }

  /** The node a path value or a bare node yields, for functions on either. */
  static NodeRef firstNode(Object v) {
    return v instanceof PathRef p ? p.nodes()[0] : (NodeRef) v;
  }
}
