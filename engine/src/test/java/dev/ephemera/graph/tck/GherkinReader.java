package dev.ephemera.graph.tck;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the Gherkin the openCypher TCK is written in: a feature with an optional background,
 * scenarios and scenario outlines with examples tables, tags, comments, and steps with a docstring
 * or a data table. Outlines are expanded here: one {@link Scenario} per example row, its
 * {@code <name>} placeholders replaced in the name, the step texts, the docstrings and the tables.
 *
 * <p>As in Gherkin, table cells are trimmed and then unescaped ({@code \|} is a bar, {@code \\} a
 * backslash, {@code \n} a newline; a backslash before anything else stays as written), and a
 * docstring loses the indentation of its opening delimiter. Free text is allowed only right after
 * a {@code Feature:}, {@code Background:}, {@code Scenario:} or {@code Examples:} line (a
 * description); any other line this reader does not know is an error, so nothing is skipped
 * silently.
 */
final class GherkinReader {
  private static final Pattern HEADER =
      Pattern.compile("^(Feature|Background|Scenario|Example|Scenario Outline|Scenario Template|Examples|Scenarios):(.*)$");
  private static final Pattern STEP = Pattern.compile("^(Given|When|Then|And|But|\\*) (.*)$");
  private static final Pattern PLACEHOLDER = Pattern.compile("<([^<>]+)>");

  private final String path;
  private final String[] lines;
  private String featureName;
  private final Set<String> featureTags = new LinkedHashSet<>();
  private final List<StepDraft> background = new ArrayList<>();
  private final List<ScenarioDraft> drafts = new ArrayList<>();
  private final Set<String> pendingTags = new LinkedHashSet<>();
  /** Where steps go: the background's list or the current scenario's. */
  private List<StepDraft> stepTarget;
  /** Where table rows go: the last step's table or the current examples block. */
  private List<Row> rowTarget;
  private StepDraft lastStep;
  private boolean descriptionAllowed;

  private GherkinReader(String path, String text) {
    this.path = path;
    this.lines = text.split("\r?\n|\r", -1);
  }

  /**
   * Reads one feature file.
   *
   * @param path the file's path, kept in the feature and its scenarios and named in errors
   * @throws IllegalArgumentException if the text is not Gherkin this reader understands
   */
  static Feature read(String path, String text) {
    return new GherkinReader(path, text).read();
  }

  private Feature read() {
    for (int i = 0; i < lines.length; i++) {
      i = readLine(i);
    }
    if (featureName == null) {
      throw error(lines.length, "no 'Feature:' line");
    }
    List<Scenario> scenarios = new ArrayList<>();
    for (ScenarioDraft d : drafts) {
      scenarios.addAll(d.expand());
    }
    return new Feature(path, featureName, scenarios);
  }

  /** Reads the line at {@code i}; returns the index of the last line consumed. */
  private int readLine(int i) {
    String t = lines[i].strip();
    if (t.isEmpty() || t.startsWith("#")) {
      return i;
    }
    if (t.startsWith("@")) {
      pendingTags.addAll(List.of(t.split("\\s+")));
      return i;
    }
    Matcher header = HEADER.matcher(t);
    if (header.matches()) {
      startBlock(header.group(1), header.group(2).strip(), i + 1);
      return i;
    }
    Matcher step = STEP.matcher(t);
    if (step.matches()) {
      if (stepTarget == null) {
        throw error(i + 1, "a step outside a scenario or background");
      }
      lastStep = new StepDraft(step.group(1), step.group(2).strip(), i + 1);
      stepTarget.add(lastStep);
      rowTarget = lastStep.table;
      descriptionAllowed = false;
      return i;
    }
    if (t.startsWith("\"\"\"") || t.startsWith("```")) {
      return readDocString(i);
    }
    if (t.startsWith("|")) {
      if (rowTarget == null) {
        throw error(i + 1, "a table row with no step or examples before it");
      }
      rowTarget.add(new Row(cells(t, i + 1), i + 1));
      descriptionAllowed = false;
      return i;
    }
    if (descriptionAllowed) {
      return i;
    }
    throw error(i + 1, "not a line of Gherkin this reader knows: " + t);
  }

  private void startBlock(String keyword, String name, int line) {
    descriptionAllowed = true;
    lastStep = null;
    rowTarget = null;
    switch (keyword) {
      case "Feature" -> {
        featureName = name;
        featureTags.addAll(pendingTags);
      }
      case "Background" -> stepTarget = background;
      case "Examples", "Scenarios" -> {
        ScenarioDraft outline = drafts.isEmpty() ? null : drafts.get(drafts.size() - 1);
        if (outline == null || !outline.isOutline) {
          throw error(line, "examples outside a scenario outline");
        }
        Examples examples = new Examples(new LinkedHashSet<>(pendingTags));
        outline.examples.add(examples);
        rowTarget = examples.rows;
      }
      default -> {
        boolean outline = keyword.equals("Scenario Outline") || keyword.equals("Scenario Template");
        Set<String> tags = new LinkedHashSet<>(featureTags);
        tags.addAll(pendingTags);
        ScenarioDraft draft = new ScenarioDraft(name, tags, line, outline);
        drafts.add(draft);
        stepTarget = draft.steps;
      }
    }
    pendingTags.clear();
  }

  /** Reads the docstring opening at line {@code open} into the last step; returns its closing line. */
  private int readDocString(int open) {
    if (lastStep == null || lastStep.docString != null || !lastStep.table.isEmpty()) {
      throw error(open + 1, "a docstring that belongs to no step");
    }
    String raw = lines[open];
    String stripped = raw.strip();
    String delimiter = stripped.substring(0, 3);
    String escapedDelimiter = delimiter.replace(delimiter.substring(0, 1), "\\" + delimiter.charAt(0));
    int indent = raw.indexOf(delimiter);
    StringBuilder text = new StringBuilder();
    for (int i = open + 1; i < lines.length; i++) {
      if (lines[i].strip().equals(delimiter)) {
        lastStep.docString = text.toString();
        rowTarget = null;
        return i;
      }
      if (i > open + 1) {
        text.append('\n');
      }
      text.append(unindent(lines[i], indent).replace(escapedDelimiter, delimiter));
    }
    throw error(open + 1, "a docstring that is never closed");
  }

  /** The line without up to {@code indent} leading whitespace characters. */
  private static String unindent(String line, int indent) {
    int i = 0;
    while (i < indent && i < line.length() && Character.isWhitespace(line.charAt(i))) {
      i++;
    }
    return line.substring(i);
  }

  /** The cells of a table row, trimmed and unescaped. */
  private List<String> cells(String row, int line) {
    if (row.equals("|")) {
      return List.of(); // a table of no columns (the TCK's procedures with no outputs)
    }
    if (!row.endsWith("|")) {
      throw error(line, "a table row that does not end with '|'");
    }
    List<String> cells = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    for (int i = 1; i < row.length(); i++) {
      char c = row.charAt(i);
      if (c == '\\' && i + 1 < row.length()) {
        cell.append(c).append(row.charAt(++i));
      } else if (c == '|') {
        cells.add(unescapeCell(cell.toString().strip()));
        cell.setLength(0);
      } else {
        cell.append(c);
      }
    }
    return cells;
  }

  private static String unescapeCell(String cell) {
    StringBuilder out = new StringBuilder(cell.length());
    for (int i = 0; i < cell.length(); i++) {
      char c = cell.charAt(i);
      char n = i + 1 < cell.length() ? cell.charAt(i + 1) : 0;
      if (c == '\\' && (n == '|' || n == '\\')) {
        out.append(n);
        i++;
      } else if (c == '\\' && n == 'n') {
        out.append('\n');
        i++;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private IllegalArgumentException error(int line, String message) {
    return new IllegalArgumentException(path + ":" + line + ": " + message);
  }

  /** Replaces each {@code <name>} whose name is a key of {@code values}; leaves other text as is. */
  private static String fill(String text, Map<String, String> values) {
    if (text == null || values.isEmpty()) {
      return text;
    }
    return PLACEHOLDER.matcher(text).replaceAll(m -> {
      String value = values.get(m.group(1));
      return Matcher.quoteReplacement(value == null ? m.group() : value);
    });
  }

  /** A table row as read, with its line. */
  private record Row(List<String> cells, int line) {}

  /** A step being read: its docstring and table arrive on the lines after it. */
  private static final class StepDraft {
    final String keyword;
    final String text;
    final int line;
    String docString;
    final List<Row> table = new ArrayList<>();

    StepDraft(String keyword, String text, int line) {
      this.keyword = keyword;
      this.text = text;
      this.line = line;
    }

    Step build(Map<String, String> values) {
      List<List<String>> rows = new ArrayList<>();
      for (Row r : table) {
        rows.add(r.cells().stream().map(c -> fill(c, values)).toList());
      }
      return new Step(keyword, fill(text, values), fill(docString, values), rows, line);
    }
  }

  /** One examples block of an outline: its tags, then its header row and value rows. */
  private record Examples(Set<String> tags, List<Row> rows) {
    Examples(Set<String> tags) {
      this(tags, new ArrayList<>());
    }
  }

  /** A scenario or outline being read. */
  private final class ScenarioDraft {
    final String name;
    final Set<String> tags;
    final int line;
    final boolean isOutline;
    final List<StepDraft> steps = new ArrayList<>();
    final List<Examples> examples = new ArrayList<>();

    ScenarioDraft(String name, Set<String> tags, int line, boolean isOutline) {
      this.name = name;
      this.tags = tags;
      this.line = line;
      this.isOutline = isOutline;
    }

    List<Scenario> expand() {
      if (!isOutline) {
        return List.of(new Scenario(path, name, tags, build(Map.of()), line));
      }
      List<Scenario> out = new ArrayList<>();
      int n = 0;
      for (Examples block : examples) {
        if (block.rows().isEmpty()) {
          continue;
        }
        List<String> header = block.rows().get(0).cells();
        for (Row row : block.rows().subList(1, block.rows().size())) {
          if (row.cells().size() != header.size()) {
            throw error(row.line(), "an example row of " + row.cells().size() + " cells under a header of " + header.size());
          }
          Map<String, String> values = new LinkedHashMap<>();
          for (int i = 0; i < header.size(); i++) {
            values.put(header.get(i), row.cells().get(i));
          }
          Set<String> allTags = new LinkedHashSet<>(tags);
          allTags.addAll(block.tags());
          String exampleName = fill(name, values) + " (example " + ++n + ": | " + String.join(" | ", row.cells()) + " |)";
          out.add(new Scenario(path, exampleName, allTags, build(values), row.line()));
        }
      }
      if (out.isEmpty()) {
        throw error(line, "a scenario outline without example rows");
      }
      return out;
    }

    private List<Step> build(Map<String, String> values) {
      List<Step> built = new ArrayList<>();
      for (StepDraft s : background) {
        built.add(s.build(Map.of())); // as in Gherkin, a background has no placeholders
      }
      for (StepDraft s : steps) {
        built.add(s.build(values));
      }
      return built;
    }
  }
}
