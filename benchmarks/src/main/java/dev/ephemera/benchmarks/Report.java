package dev.ephemera.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a JMH JSON result file into the table people read (benchmark, Ephemera, each peer, the
 * ratio) and an SVG bar chart of the ratios. It is the script behind the README's chart: the chart
 * is generated from the JSON, never drawn by hand.
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar dev.ephemera.benchmarks.Report target/jmh.json [chart.svg]
 * }</pre>
 *
 * <p>In each benchmark the results that differ only in the implementation parameter ({@code impl},
 * {@code store}, {@code via}, {@code tenantFrom}) form a group. The subject is {@code EPHEMERA}
 * where there is one; in the store benchmark each store is compared with {@code MEMORY}; in the
 * dialect benchmark the dialect's forms with the plain ones ({@code PARAMETER}, {@code JAVA_API},
 * {@code SESSION_JDBC}). A ratio is the subject's time ÷ the peer's: below 1, Ephemera is faster.
 */
public final class Report {
  /** The implementation parameters: results differing only in one of these are compared. */
  static final List<String> IMPL_PARAMS = List.of("impl", "store", "via", "tenantFrom");
  /** Peers a non-EPHEMERA group is measured against (the first one present wins). */
  static final List<String> BASELINES = List.of("MEMORY", "PARAMETER", "JAVA_API", "SESSION_JDBC");

  private Report() {}

  /** One result: a benchmark, its non-implementation parameters, an implementation and its score. */
  record Row(String benchmark, String params, String impl, double score, double error, String unit) {}

  /** One comparison: subject ÷ peer. */
  record Ratio(String benchmark, String params, String subject, double subjectScore, String peer, double peerScore,
      String unit) {
    double value() {
      return subjectScore / peerScore;
    }

    String label() {
      return benchmark + (params.isEmpty() ? "" : " " + params) + ": " + subject + " vs " + peer;
    }
  }

  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: Report <jmh-result.json> [chart.svg]");
      System.exit(2);
    }
    List<Row> rows = read(Path.of(args[0]));
    List<Ratio> ratios = ratios(rows);
    print(rows, ratios, System.out);
    if (args.length > 1) {
      Files.writeString(Path.of(args[1]), svg(ratios, "Ephemera's time ÷ the peer's (log scale; below 1 is faster)"),
          StandardCharsets.UTF_8);
      System.out.println("chart: " + args[1]);
    }
  }

  // ---- reading ---------------------------------------------------------------------------------

  static List<Row> read(Path json) throws IOException {
    Object root = new JsonReader(Files.readString(json, StandardCharsets.UTF_8)).value();
    List<Row> rows = new ArrayList<>();
    for (Object o : (List<?>) root) {
      Map<?, ?> r = (Map<?, ?>) o;
      String name = (String) r.get("benchmark");
      String benchmark = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
      Map<String, String> params = new TreeMap<>();
      String impl = "";
      Object p = r.get("params");
      if (p instanceof Map<?, ?> pm) {
        for (Map.Entry<?, ?> e : pm.entrySet()) {
          if (IMPL_PARAMS.contains((String) e.getKey())) {
            impl = (String) e.getValue();
          } else {
            params.put((String) e.getKey(), (String) e.getValue());
          }
        }
      }
      int threads = ((Number) r.get("threads")).intValue();
      if (threads > 1) {
        params.put("threads", Integer.toString(threads));
      }
      Map<?, ?> m = (Map<?, ?>) r.get("primaryMetric");
      double error = m.get("scoreError") instanceof Number n ? n.doubleValue() : Double.NaN;
      rows.add(new Row(benchmark, params.isEmpty() ? "" : params.toString(), impl, ((Number) m.get("score")).doubleValue(),
          error, (String) m.get("scoreUnit")));
    }
    return rows;
  }

  static List<Ratio> ratios(List<Row> rows) {
    Map<String, List<Row>> groups = new LinkedHashMap<>();
    for (Row r : rows) {
      groups.computeIfAbsent(r.benchmark() + "|" + r.params(), k -> new ArrayList<>()).add(r);
    }
    List<Ratio> out = new ArrayList<>();
    for (List<Row> g : groups.values()) {
      Row ephemera = g.stream().filter(r -> r.impl().equals("EPHEMERA")).findFirst().orElse(null);
      if (ephemera != null) {
        for (Row peer : g) {
          if (peer != ephemera && !peer.impl().startsWith("EPHEMERA")) {
            out.add(new Ratio(ephemera.benchmark(), ephemera.params(), "EPHEMERA", ephemera.score(), peer.impl(),
                peer.score(), ephemera.unit()));
          }
        }
        continue;
      }
      Row base = null;
      for (String b : BASELINES) {
        for (Row r : g) {
          if (base == null && r.impl().equals(b)) {
            base = r;
          }
        }
      }
      if (base == null) {
        continue; // nothing to compare with (a single result)
      }
      for (Row r : g) {
        if (r != base) {
          out.add(new Ratio(r.benchmark(), r.params(), r.impl(), r.score(), base.impl(), base.score(), r.unit()));
        }
      }
    }
    return out;
  }

  // ---- the table -------------------------------------------------------------------------------

  static void print(List<Row> rows, List<Ratio> ratios, PrintStream out) {
    out.printf(Locale.ROOT, "%-62s %16s %-16s %16s %9s%n", "benchmark", "Ephemera", "peer", "peer's", "ratio");
    for (Ratio r : ratios) {
      out.printf(Locale.ROOT, "%-62s %16s %-16s %16s %9s%n", trim(r.benchmark() + (r.params().isEmpty() ? "" : " "
          + r.params()) + " [" + r.subject() + "]", 62), fmt(r.subjectScore(), r.unit()), r.peer(),
          fmt(r.peerScore(), r.unit()), String.format(Locale.ROOT, "%.2f", r.value()));
    }
    List<Row> alone = new ArrayList<>();
    for (Row row : rows) {
      boolean compared = ratios.stream().anyMatch(x -> x.benchmark().equals(row.benchmark())
          && x.params().equals(row.params()) && (x.subject().equals(row.impl()) || x.peer().equals(row.impl())));
      if (!compared) {
        alone.add(row);
      }
    }
    if (!alone.isEmpty()) {
      out.println();
      out.println("without a peer:");
      for (Row row : alone) {
        out.printf(Locale.ROOT, "%-62s %16s%n", trim(row.benchmark() + (row.params().isEmpty() ? "" : " "
            + row.params()) + (row.impl().isEmpty() ? "" : " [" + row.impl() + "]"), 62), fmt(row.score(), row.unit()));
      }
    }
  }

  private static String trim(String s, int n) {
    return s.length() <= n ? s : s.substring(0, n - 1) + "…";
  }

  static String fmt(double score, String unit) {
    String u = unit.replace("/op", "");
    if (u.equals("ns") && score >= 10_000) {
      return String.format(Locale.ROOT, "%.1f µs", score / 1000);
    }
    if (u.equals("us")) {
      u = "µs";
    }
    return String.format(Locale.ROOT, score >= 100 ? "%.0f %s" : "%.2f %s", score, u);
  }

  // ---- the chart -------------------------------------------------------------------------------

  static String svg(List<Ratio> ratios, String title) {
    int rowHeight = 22;
    int left = 470;
    int width = 420;
    int top = 48;
    int height = top + ratios.size() * rowHeight + 40;
    double min = 0.1;
    double max = 10;
    for (Ratio r : ratios) {
      min = Math.min(min, r.value());
      max = Math.max(max, r.value());
    }
    double lo = Math.floor(Math.log10(min));
    double hi = Math.ceil(Math.log10(max));
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
        + "font-family=\"sans-serif\" font-size=\"12\">%n", left + width + 80, height));
    s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    s.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"20\" font-size=\"14\" font-weight=\"bold\">%s</text>%n",
        escape(title)));
    for (double d = lo; d <= hi; d++) {
      double x = left + (d - lo) / (hi - lo) * width;
      s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\"/>%n", x,
          top - 6, x, height - 30, d == 0 ? "black" : "#ddd"));
      s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", x,
          height - 14, d >= 0 ? String.format(Locale.ROOT, "%.0f×", Math.pow(10, d)) : String.format(Locale.ROOT,
              "%s×", Math.pow(10, d))));
    }
    double zero = left + (0 - lo) / (hi - lo) * width;
    int y = top;
    for (Ratio r : ratios) {
      double x = left + (Math.log10(r.value()) - lo) / (hi - lo) * width;
      double from = Math.min(zero, x);
      double w = Math.max(1, Math.abs(x - zero));
      s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n", left - 8,
          y + 14, escape(trim(r.label(), 70))));
      s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"16\" fill=\"%s\"/>%n",
          from, y + 2, w, r.value() <= 1 ? "#3a7d44" : "#c0504d"));
      s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%s</text>%n", Math.max(x, zero) + 4, y + 14,
          String.format(Locale.ROOT, r.value() >= 10 ? "%.0f" : "%.2f", r.value())));
      y += rowHeight;
    }
    s.append("</svg>\n");
    return s.toString();
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  /** Just enough JSON for JMH's result files: objects, arrays, strings, numbers, true/false/null. */
  static final class JsonReader {
    private final String s;
    private int i;

    JsonReader(String s) {
      this.s = s;
    }

    Object value() {
      skip();
      char c = s.charAt(i);
      switch (c) {
        case '{': {
          i++;
          Map<String, Object> m = new LinkedHashMap<>();
          skip();
          if (s.charAt(i) == '}') {
            i++;
            return m;
          }
          for (;;) {
            skip();
            String k = string();
            skip();
            expect(':');
            m.put(k, value());
            skip();
            if (s.charAt(i++) == '}') {
              return m;
            }
          }
        }
        case '[': {
          i++;
          List<Object> l = new ArrayList<>();
          skip();
          if (s.charAt(i) == ']') {
            i++;
            return l;
          }
          for (;;) {
            l.add(value());
            skip();
            if (s.charAt(i++) == ']') {
              return l;
            }
          }
        }
        case '"':
          return string();
        default: {
          int start = i;
          while (i < s.length() && ",}] \n\r\t".indexOf(s.charAt(i)) < 0) {
            i++;
          }
          String t = s.substring(start, i);
          switch (t) {
            case "true":
              return Boolean.TRUE;
            case "false":
              return Boolean.FALSE;
            case "null":
              return null;
            case "NaN":
              return Double.NaN;
            default:
              return Double.parseDouble(t);
          }
        }
      }
    }

    private String string() {
      expect('"');
      StringBuilder b = new StringBuilder();
      for (;;) {
        char c = s.charAt(i++);
        if (c == '"') {
          return b.toString();
        }
        if (c == '\\') {
          char e = s.charAt(i++);
          switch (e) {
            case 'n' -> b.append('\n');
            case 't' -> b.append('\t');
            case 'r' -> b.append('\r');
            case 'b' -> b.append('\b');
            case 'f' -> b.append('\f');
            case 'u' -> {
              b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
              i += 4;
            }
            default -> b.append(e);
          }
        } else {
          b.append(c);
        }
      }
    }

    private void expect(char c) {
      if (s.charAt(i) != c) {
        throw new IllegalArgumentException("JSON: expected '" + c + "' at " + i + ", found '" + s.charAt(i) + "'");
      }
      i++;
    }

    private void skip() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
    }
  }
}
