package dev.ephemera.internal.graph.query;

import dev.ephemera.QueryResult;
import dev.ephemera.internal.graph.query.Stages.Sink;
import dev.ephemera.internal.graph.query.Stages.Stage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * A compiled query: one branch of stages per part of a {@code UNION}, the result's columns, and
 * whether it changes the graph. Immutable and shared by every run of the same text (the plan
 * cache); each run opens its own sinks.
 */
final class Plan {
  enum Mode {
    RUN, EXPLAIN, PROFILE
  }

  record Branch(List<Stage> stages, int width, List<String> columns, int[] colSlots) {}

  /** What a run produced: the column values of each row, and the whole row (for INSERT INTO). */
  record Rows(List<Object[]> values, List<Object[]> full) {}

  final List<Branch> branches;
  final boolean unionAll;
  final int symbolSets;
  final boolean writes;
  final Mode mode;

  Plan(List<Branch> branches, boolean unionAll, int symbolSets, boolean writes, Mode mode) {
    this.branches = branches;
    this.unionAll = unionAll;
    this.symbolSets = symbolSets;
    this.writes = writes;
    this.mode = mode;
  }

  List<String> columns() {
    return branches.get(0).columns();
  }

  /** Runs the plan in {@code c} (under the graph's lock, when it has a graph). */
  Rows run(Ctx c, boolean keepFull) {
    int stages = 0;
    for (Branch b : branches) {
      stages += b.stages().size();
    }
    if (mode == Mode.PROFILE) {
      c.rows = new long[stages];
    }
    List<Object[]> values = new ArrayList<>();
    List<Object[]> full = keepFull ? new ArrayList<>() : null;
    HashSet<Vals.Key> seen = branches.size() > 1 && !unionAll ? new HashSet<>() : null;
    int index = 0;
    for (Branch b : branches) {
      c.rowWidth = b.width();
      int[] cols = b.colSlots();
      Sink sink = new Sink() {
        @Override
        boolean push(Object[] row) {
          Object[] v = new Object[cols.length];
          for (int i = 0; i < cols.length; i++) {
            v[i] = row[cols[i]];
          }
          if (cols.length > 0 && (seen == null || seen.add(new Vals.Key(v)))) {
            values.add(v);
            if (full != null) {
              full.add(row);
            }
          }
          return true;
        }
      };
      List<Stage> list = b.stages();
      for (int i = list.size() - 1; i >= 0; i--) {
        sink = list.get(i).open(c.rows == null ? sink : Stages.counted(sink, c, index + i), c);
      }
      index += list.size();
      sink.push(new Object[b.width()]);
      sink.end();
    }
    if (writes) {
      Updates.finishDeletes(c);
    }
    return new Rows(values, full);
  }

  /** The plan as rows of (operator, details), and the rows each passed on for PROFILE. */
  QueryResult describe(Ctx c) {
    List<List<Object>> rows = new ArrayList<>();
    int index = 0;
    for (int b = 0; b < branches.size(); b++) {
      if (b > 0) {
        rows.add(mode == Mode.PROFILE ? List.of(unionAll ? "UnionAll" : "Union", "", 0L)
            : List.of(unionAll ? "UnionAll" : "Union", ""));
      }
      for (Stage s : branches.get(b).stages()) {
        String d = s.describe();
        int sp = d.indexOf(' ');
        String op = sp < 0 ? d : d.substring(0, sp);
        String detail = sp < 0 ? "" : d.substring(sp + 1);
        if (mode == Mode.PROFILE) {
          rows.add(List.of(op, detail, c.rows[index]));
        } else {
          rows.add(List.of(op, detail));
        }
        index++;
      }
    }
    return new QueryResult(mode == Mode.PROFILE ? List.of("operator", "details", "rows") : List.of("operator", "details"), rows);
  }
}
