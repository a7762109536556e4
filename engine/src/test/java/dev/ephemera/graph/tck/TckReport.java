package dev.ephemera.graph.tck;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The tally of a TCK run: scenarios, passed, failed and skipped per folder and in total, as a text
 * table for the console and as a Markdown report with every failure (its query, and what was
 * expected and what came, first lines only) and every skip with its reason.
 */
final class TckReport {
  private static final int SHOWN_LINES = 12;
  private static final int SHOWN_LINE_LENGTH = 240;

  private final Map<String, Tally> folders = new LinkedHashMap<>();
  private final Tally total = new Tally();
  private final List<String> failures = new ArrayList<>();
  private final List<String> skips = new ArrayList<>();

  /** @param folders the folders to tally, in the order the table lists them */
  TckReport(List<String> folders) {
    for (String f : folders) {
      this.folders.put(f, new Tally());
    }
  }

  /** Counts a scenario's verdict under its folder. */
  void add(Scenario scenario, Verdict verdict) {
    Tally tally = folders.get(scenario.folder());
    if (tally == null) {
      throw new IllegalArgumentException("a scenario of a folder the report does not tally: " + scenario);
    }
    tally.add(verdict.status());
    total.add(verdict.status());
    switch (verdict.status()) {
      case FAILED -> failures.add(describe(scenario, verdict));
      case SKIPPED -> skips.add("- `" + scenario.featurePath() + ":" + scenario.line() + "` " + scenario.name() + ": "
          + verdict.reason());
      case PASSED -> {
        // counted only
      }
    }
  }

  /** The share of the scenarios run (not skipped) that passed; 0 if none ran. */
  double passRate() {
    return total.passRate();
  }

  /** The counts as a fixed-width text table, a line per folder and one for the total. */
  String table() {
    StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-30s %9s %7s %7s %8s %7s%n",
        "folder", "scenarios", "passed", "failed", "skipped", "pass %"));
    folders.forEach((name, t) -> out.append(t.line(name)));
    return out.append(total.line("TOTAL")).toString();
  }

  /** The whole report in Markdown: the table, then the failures, then the skips. */
  String markdown(Duration elapsed) {
    StringBuilder out = new StringBuilder("# openCypher TCK report\n\n");
    out.append(String.format(Locale.ROOT, "%d scenarios in %.1f s; skipped: out of scope (procedures) or tagged @ignore.%n%n",
        total.scenarios, elapsed.toMillis() / 1000.0));
    out.append("| folder | scenarios | passed | failed | skipped | pass % |\n|---|---:|---:|---:|---:|---:|\n");
    folders.forEach((name, t) -> out.append(t.markdownRow(name)));
    out.append(total.markdownRow("**total**"));
    out.append("\n## Failures (").append(failures.size()).append(")\n\n");
    failures.forEach(out::append);
    out.append("\n## Skipped (").append(skips.size()).append(")\n\n");
    skips.forEach(s -> out.append(s).append('\n'));
    return out.toString();
  }

  /** One failure in Markdown: where, why, the query, expected and actual. */
  static String describe(Scenario scenario, Verdict verdict) {
    StringBuilder out = new StringBuilder("### `").append(scenario.featurePath()).append(':').append(scenario.line())
        .append("` ").append(scenario.name()).append("\n\n").append(verdict.reason()).append("\n\n");
    block(out, "Query", verdict.query());
    block(out, "Expected", verdict.expected());
    block(out, "Actual", verdict.actual());
    return out.toString();
  }

  private static void block(StringBuilder out, String title, String text) {
    if (text.isEmpty()) {
      return;
    }
    List<String> lines = text.lines().toList();
    String shown = lines.stream().limit(SHOWN_LINES)
        .map(l -> l.length() > SHOWN_LINE_LENGTH ? l.substring(0, SHOWN_LINE_LENGTH) + " …" : l)
        .collect(Collectors.joining("\n"));
    String more = lines.size() > SHOWN_LINES ? "\n… (" + (lines.size() - SHOWN_LINES) + " more lines)" : "";
    out.append(title).append(":\n```\n").append(shown).append(more).append("\n```\n\n");
  }

  /** The counts of one folder or of the total. */
  private static final class Tally {
    int scenarios;
    int passed;
    int failed;
    int skipped;

    void add(Verdict.Status status) {
      scenarios++;
      switch (status) {
        case PASSED -> passed++;
        case FAILED -> failed++;
        case SKIPPED -> skipped++;
      }
    }

    double passRate() {
      int run = scenarios - skipped;
      return run == 0 ? 0 : (double) passed / run;
    }

    String line(String name) {
      return String.format(Locale.ROOT, "%-30s %9d %7d %7d %8d %6.1f%%%n", name, scenarios, passed, failed, skipped,
          100 * passRate());
    }

    String markdownRow(String name) {
      return String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %.1f |%n", name, scenarios, passed, failed, skipped,
          100 * passRate());
    }
  }
}
