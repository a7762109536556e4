package dev.ephemera.internal.graph.query;

import dev.ephemera.internal.graph.query.Exprs.AggDef;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stages of a plan and the sinks they open for a run. Rows are pushed down the pipeline;
 * {@link Sink#push} answers {@code false} once no more rows are wanted, and {@link Sink#end}
 * lets the stages that hold rows (sorting, aggregation, updates) pass them on.
 */
final class Stages {
  private Stages() {}

  abstract static class Sink {
    abstract boolean push(Object[] row);

    void end() {}

    /**
     * Whether this sink may keep a row it is pushed after {@code push} returns (sorting, a
     * result): if not, the caller may reuse the array, so a match need not copy its working row.
     */
    boolean retains() {
      return true;
    }
  }

  /** A step of the plan: opens a sink that feeds {@code down}. */
  interface Stage {
    Sink open(Sink down, Ctx c);

    String describe();
  }

  /** Counts the rows a stage passes on, for PROFILE. */
  static Sink counted(Sink s, Ctx c, int index) {
    return new Sink() {
      @Override
      boolean push(Object[] row) {
        c.rows[index]++;
        return s.push(row);
      }

      @Override
      void end() {
        s.end();
      }

      @Override
      boolean retains() {
        return s.retains();
      }
    };
  }

  /** MATCH and OPTIONAL MATCH: every match of the pattern, per row in. */
  static Stage match(Steps.Step[] steps, int[] newSlots, boolean optional, String text) {
    return new Stage() {
      @Override
      public Sink open(Sink down, Ctx c) {
        boolean copy = down.retains();
        return new Sink() {
          boolean found;

          @Override
          boolean push(Object[] row) {
            found = false;
            Steps.Runner r = new Steps.Runner(steps, m -> {
              found = true;
              return down.push(copy ? m.clone() : m);
            });
            if (!r.go(0, row.clone(), c)) {
              return false;
            }
            if (optional && !found) {
              Object[] out = row.clone();
              for (int s : newSlots) {
                out[s] = null;
              }
              return down.push(out);
            }
            return true;
          }

          @Override
          void end() {
            down.end();
          }
        };
      }

      @Override
      public String describe() {
        StringBuilder b = new StringBuilder(optional ? "OptionalMatch " : "Match ");
        for (int i = 0; i < steps.length; i++) {
          b.append(i == 0 ? "" : " | ").append(steps[i].describe());
        }
        return b.toString();
      }
    };
  }

  static Stage filter(Ev predicate, String text) {
    return new Stage() {
      @Override
      public Sink open(Sink down, Ctx c) {
        return new Sink() {
          @Override
          boolean push(Object[] row) {
            Object v = predicate.ev(row, c);
            if (v != null && !(v instanceof Boolean)) {
              throw QueryError.type("WHERE expects a boolean, got " + Vals.typeName(v));
            }
            return !Boolean.TRUE.equals(v) || down.push(row);
          }

          @Override
          void end() {
            down.end();
          }

          @Override
          boolean retains() {
            return down.retains();
          }
        };
      }

      @Override
      public String describe() {
        return "Filter " + text;
      }
    };
  }

  static Stage unwind(Ev list, int slot, String text) {
    return new Stage() {
      @Override
      public Sink open(Sink down, Ctx c) {
        return new Sink() {
          @Override
          boolean push(Object[] row) {
            Object v = list.ev(row, c);
            if (v == null) {
              return true;
            }
            if (!(v instanceof List<?> l)) {
              Object[] out = row.clone();
              out[slot] = v;
              return down.push(out);
            }
            for (Object e : l) {
              c.tick();
              Object[] out = row.clone();
              out[slot] = e;
              if (!down.push(out)) {
                return false;
              }
            }
            return true;
          }

          @Override
          void end() {
            down.end();
          }

          @Override
          boolean retains() {
            return false;
          }
        };
      }

      @Override
      public String describe() {
        return "Unwind " + text;
      }
    };
  }

  /** A projection without aggregates: each item's value into its slot. */
  static Stage project(Ev[] items, int[] slots, String text) {
    return new Stage() {
      @Override
      public Sink open(Sink down, Ctx c) {
        return new Sink() {
          @Override
          boolean push(Object[] row) {
            Object[] out = row.clone();
            for (int i = 0; i < items.length; i++) {
              out[slots[i]] = items[i].ev(row, c);
            }
            return down.push(out);
          }

          @Override
          void end() {
            down.end();
          }

          @Override
          boolean retains() {
            return false;
          }
        };
      }

      @Override
      public String describe() {
        return "Projection " + text;
      }
    };
  }

  /**
   * A projection with aggregates: rows grouped by the values of the items without aggregates
   * ({@code keys}); at the end each group's aggregate results go into their slots and the items
   * are computed over the group's first row.
   */
  static Stage aggregate(Ev[] items, int[] slots, boolean[] isKey, List<AggDef> aggs, String text) {
    return new Stage() {
      @Override
      public Sink open(Sink down, Ctx c) {
        return new Sink() {
          final LinkedHashMap<Vals.Key, Object[]> groups = new LinkedHashMap<>();
          final Map<Vals.Key, Aggregator[]> states = new java.util.HashMap<>();
          final int nk = keyCount();
          /** The one group when there are no grouping keys (no key to build per row). */
          final Vals.Key none = new Vals.Key(new Object[0]);
          Object[] onlyFirst;
          Aggregator[] onlyStates;

          private int keyCount() {
            int n = 0;
            for (boolean k : isKey) {
              if (k) {
                n++;
              }
            }
            return n;
          }

          @Override
          boolean push(Object[] row) {
            if (nk == 0 && onlyStates != null) {
              accumulate(onlyStates, row);
              return true;
            }
            Object[] key = new Object[nk];
            for (int i = 0, j = 0; i < items.length; i++) {
              if (isKey[i]) {
                key[j++] = items[i].ev(row, c);
              }
            }
            Vals.Key k = nk == 0 ? none : new Vals.Key(key);
            Object[] first = groups.get(k);
            Aggregator[] st;
            if (first == null) {
              first = row.clone();
              for (int i = 0, j = 0; i < items.length; i++) {
                if (isKey[i]) {
                  first[slots[i]] = key[j++];
                }
              }
              groups.put(k, first);
              st = new Aggregator[aggs.size()];
              for (int i = 0; i < st.length; i++) {
                st[i] = Aggregator.of(aggs.get(i));
              }
              states.put(k, st);
              if (nk == 0) {
                onlyFirst = first;
                onlyStates = st;
              }
            } else {
              st = states.get(k);
            }
            accumulate(st, row);
            return true;
          }

          @Override
          boolean retains() {
            return false;
          }

          private void accumulate(Aggregator[] st, Object[] row) {
            for (int i = 0; i < st.length; i++) {
              AggDef d = aggs.get(i);
              st[i].add(d.arg() == null ? Boolean.TRUE : d.arg().ev(row, c), d.arg2() == null ? null : d.arg2().ev(row, c));
            }
          }

          @Override
          void end() {
            if (groups.isEmpty() && !anyKey()) {
              Object[] row = new Object[c.rowWidth];
              Aggregator[] st = new Aggregator[aggs.size()];
              for (int i = 0; i < st.length; i++) {
                st[i] = Aggregator.of(aggs.get(i));
              }
              groups.put(new Vals.Key(new Object[0]), row);
              states.put(new Vals.Key(new Object[0]), st);
            }
            for (Map.Entry<Vals.Key, Object[]> g : groups.entrySet()) {
              Object[] out = g.getValue();
              Aggregator[] st = states.get(g.getKey());
              for (int i = 0; i < st.length; i++) {
                out[aggs.get(i).slot()] = st[i].result();
              }
              for (int i = 0; i < items.length; i++) {
                if (!isKey[i]) {
                  out[slots[i]] = items[i].ev(out, c);
                }
              }
              if (!down.push(out)) {
                break;
              }
            }
            down.end();
          }

          private boolean anyKey() {
            for (boolean k : isKey) {
              if (k) {
                return true;
              }
            }
            return false;
          }
        };
      }

      @Override
      public String describe() {
        return "Aggregation " + text;
      }
    };
  }

  static Stage distinct(int[] slots) {
    return new Stage() {
      @Override
      public Sink open(Sink down, Ctx c) {
        return new Sink() {
          final HashSet<Vals.Key> seen = new HashSet<>();

          @Override
          boolean push(Object[] row) {
            Object[] key = new Object[slots.length];
            for (int i = 0; i < slots.length; i++) {
              key[i] = row[slots[i]];
            }
            return !seen.add(new Vals.Key(key)) || down.push(row);
          }

          @Override
          void end() {
            down.end();
          }

          @Override
          boolean retains() {
            return down.retains();
          }
        };
      }

      @Override
      public String describe() {
        return "Distinct";
      }
    };
  }

  static Stage sort(Ev[] keys, boolean[] descending, String text) {
    return new Stage() {
      @Override
      public Sink open(Sink down, Ctx c) {
        return new Sink() {
          final List<Object[]> rows = new ArrayList<>();
          final List<Object[]> sortKeys = new ArrayList<>();

          @Override
          boolean push(Object[] row) {
            Object[] k = new Object[keys.length];
            for (int i = 0; i < k.length; i++) {
              k[i] = keys[i].ev(row, c);
            }
            rows.add(row);
            sortKeys.add(k);
            return true;
          }

          @Override
          void end() {
            Integer[] order = new Integer[rows.size()];
            for (int i = 0; i < order.length; i++) {
              order[i] = i;
            }
            Comparator<Integer> cmp = (a, b) -> {
              Object[] x = sortKeys.get(a);
              Object[] y = sortKeys.get(b);
              for (int i = 0; i < x.length; i++) {
                int r = Vals.order(x[i], y[i]);
                if (r != 0) {
                  return descending[i] ? -r : r;
                }
              }
              return 0;
            };
            java.util.Arrays.sort(order, cmp);
            for (int i : order) {
              if (!down.push(rows.get(i))) {
                break;
              }
            }
            down.end();
          }
        };
      }

      @Override
      public String describe() {
        return "Sort " + text;
      }
    };
  }

  /** SKIP and LIMIT: their expressions are evaluated once, when the run starts. */
  static Stage skipLimit(Ev skip, Ev limit, String text) {
    return new Stage() {
      @Override
      public Sink open(Sink down, Ctx c) {
        long s = skip == null ? 0 : count(skip, c, "SKIP");
        long l = limit == null ? Long.MAX_VALUE : count(limit, c, "LIMIT");
        return new Sink() {
          long seen;
          long passed;

          @Override
          boolean push(Object[] row) {
            if (passed >= l) {
              return false;
            }
            if (seen++ < s) {
              return true;
            }
            passed++;
            return down.push(row) && passed < l;
          }

          @Override
          void end() {
            down.end();
          }

          @Override
          boolean retains() {
            return down.retains();
          }
        };
      }

      @Override
      public String describe() {
        return "SkipLimit " + text;
      }
    };
  }

  private static long count(Ev e, Ctx c, String what) {
    Object v = e.ev(new Object[c.rowWidth], c);
    if (v instanceof Long n && n >= 0) {
      return n;
    }
    if (v instanceof Double d && d >= 0 && d == Math.rint(d)) {
      throw QueryError.semantic(null, what + " expects an integer, got " + d);
    }
    throw QueryError.semantic(null, what + " expects a non-negative integer, got " + (v instanceof Long ? v : Vals.typeName(v)));
  }
}
