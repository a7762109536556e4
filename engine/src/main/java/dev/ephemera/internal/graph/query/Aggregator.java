package dev.ephemera.internal.graph.query;

import dev.ephemera.internal.graph.query.Exprs.AggDef;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/** The running state of one aggregate call for one group. Nulls are skipped by every aggregate. */
abstract class Aggregator {
  private HashSet<Object> seen;
  /** The distinct nodes seen, a bit per node id: most DISTINCT aggregates are of nodes, and ids are dense. */
  private java.util.BitSet seenNodes;

  static Aggregator of(AggDef d) {
    Aggregator a = switch (d.fn()) {
      case "count" -> new Count();
      case "sum" -> new Sum();
      case "avg" -> new Avg();
      case "min" -> new Extreme(true);
      case "max" -> new Extreme(false);
      case "collect" -> new Collect();
      case "stdev" -> new StDev(true);
      case "stdevp" -> new StDev(false);
      case "percentiledisc" -> new Percentile(true);
      default -> new Percentile(false);
    };
    if (d.distinct()) {
      a.seen = new HashSet<>();
    }
    return a;
  }

  final void add(Object v, Object arg2) {
    if (v == null) {
      return;
    }
    if (seen != null) {
      if (v instanceof Refs.NodeRef n) {
        if (seenNodes == null) {
          seenNodes = new java.util.BitSet();
        }
        if (seenNodes.get(n.id())) {
          return;
        }
        seenNodes.set(n.id());
      } else if (!seen.add(distinctKey(v))) {
        return;
      }
    }
    accept(v, arg2);
  }

  /**
   * What DISTINCT compares: nodes, edges, strings and booleans as they are (their equals is
   * openCypher's equivalence), an integral number as a Long (1 and 1.0 are the same), other
   * values by equivalence.
   */
  private static Object distinctKey(Object v) {
    if (v instanceof Refs.NodeRef || v instanceof Refs.RelRef || v instanceof String || v instanceof Boolean
        || v instanceof Long) {
      return v;
    }
    if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 9e15) {
      return (long) d.doubleValue();
    }
    return new Vals.Key(new Object[] {v});
  }

  abstract void accept(Object v, Object arg2);

  abstract Object result();

  static final class Count extends Aggregator {
    long n;

    @Override
    void accept(Object v, Object arg2) {
      n++;
    }

    @Override
    Object result() {
      return n;
    }
  }

  static final class Sum extends Aggregator {
    long l;
    double d;
    boolean isDouble;

    @Override
    void accept(Object v, Object arg2) {
      if (v instanceof Long x && !isDouble) {
        try {
          l = Math.addExact(l, x);
        } catch (ArithmeticException e) {
          throw QueryError.runtime("integer overflow in sum()");
        }
      } else if (Vals.isNumber(v)) {
        if (!isDouble) {
          isDouble = true;
          d = l;
        }
        d += Vals.dbl(v);
      } else {
        throw QueryError.type("sum() expects numbers, got " + Vals.typeName(v));
      }
    }

    @Override
    Object result() {
      return isDouble ? (Object) d : (Object) l;
    }
  }

  static final class Avg extends Aggregator {
    double sum;
    long n;

    @Override
    void accept(Object v, Object arg2) {
      if (!Vals.isNumber(v)) {
        throw QueryError.type("avg() expects numbers, got " + Vals.typeName(v));
      }
      sum += Vals.dbl(v);
      n++;
    }

    @Override
    Object result() {
      return n == 0 ? null : sum / n;
    }
  }

  static final class Extreme extends Aggregator {
    final boolean min;
    Object best;

    Extreme(boolean min) {
      this.min = min;
    }

    @Override
    void accept(Object v, Object arg2) {
      if (best == null) {
        best = v;
        return;
      }
      int c = Vals.order(v, best);
      if (min ? c < 0 : c > 0) {
        best = v;
      }
    }

    @Override
    Object result() {
      return best;
    }
  }

  static final class Collect extends Aggregator {
    final List<Object> items = new ArrayList<>();

    @Override
    void accept(Object v, Object arg2) {
      items.add(v);
    }

    @Override
    Object result() {
      return new ArrayList<>(items);
    }
  }

  static final class StDev extends Aggregator {
    final boolean sample;
    final List<Double> xs = new ArrayList<>();

    StDev(boolean sample) {
      this.sample = sample;
    }

    @Override
    void accept(Object v, Object arg2) {
      if (!Vals.isNumber(v)) {
        throw QueryError.type("stDev() expects numbers, got " + Vals.typeName(v));
      }
      xs.add(Vals.dbl(v));
    }

    @Override
    Object result() {
      int n = xs.size();
      if (n < (sample ? 2 : 1)) {
        return 0.0;
      }
      double mean = xs.stream().mapToDouble(Double::doubleValue).average().orElse(0);
      double ss = xs.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum();
      return Math.sqrt(ss / (sample ? n - 1 : n));
    }
  }

  static final class Percentile extends Aggregator {
    final boolean disc;
    final List<Object> xs = new ArrayList<>();
    Double p;

    Percentile(boolean disc) {
      this.disc = disc;
    }

    @Override
    void accept(Object v, Object arg2) {
      if (!Vals.isNumber(v)) {
        throw QueryError.type("percentile expects numbers, got " + Vals.typeName(v));
      }
      if (!Vals.isNumber(arg2) || Vals.dbl(arg2) < 0 || Vals.dbl(arg2) > 1) {
        throw QueryError.runtime("the percentile must be a number between 0.0 and 1.0, got " + arg2);
      }
      p = Vals.dbl(arg2);
      xs.add(v);
    }

    @Override
    Object result() {
      if (xs.isEmpty()) {
        return null;
      }
      xs.sort(Vals::order);
      int n = xs.size();
      if (disc) {
        int i = (int) Math.max(0, Math.ceil(p * n) - 1);
        return xs.get(Math.min(i, n - 1));
      }
      double pos = p * (n - 1);
      int lo = (int) Math.floor(pos);
      int hi = (int) Math.ceil(pos);
      double a = Vals.dbl(xs.get(lo));
      double b = Vals.dbl(xs.get(hi));
      return a + (b - a) * (pos - lo);
    }
  }
}
