package dev.ephemera;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rules of ARCHITECTURE.md that the compiler does not check, read from the engine's sources:
 * the internal packages form no cycle, leaf packages never import the core package, the module
 * exports and opens only what it must, and a class over {@value #MAX_LINES} lines is one that says
 * why in its Javadoc (listed here).
 */
class ArchitectureTest {
  private static final Path MAIN = Path.of("src/main/java");
  private static final String INTERNAL = "dev.ephemera.internal";
  private static final int MAX_LINES = 850;
  /** The classes allowed over {@link #MAX_LINES} lines: each holds one concern and says why. */
  private static final Set<String> ONE_CONCERN = Set.of("dev/ephemera/internal/SessionImpl.java");

  private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
  private static final Pattern IMPORT = Pattern.compile("^import (?:static )?([\\w.]+);", Pattern.MULTILINE);
  /** A qualified name written in code: its lower-case segments are the package. */
  private static final Pattern QUALIFIED = Pattern.compile("(?<![\\w.])(dev\\.ephemera(?:\\.[a-z]\\w*)*)\\.[A-Z]");

  /** Each internal package's dependencies on other internal packages, with the files that make them. */
  private static Map<String, Map<String, Set<String>>> deps;

  @BeforeAll
  static void read() throws IOException {
    deps = new TreeMap<>();
    for (Path f : sources()) {
      String text = Files.readString(f);
      Matcher p = PACKAGE.matcher(text);
      if (!p.find() || !p.group(1).startsWith(INTERNAL)) {
        continue;
      }
      String pkg = p.group(1);
      Map<String, Set<String>> mine = deps.computeIfAbsent(pkg, k -> new TreeMap<>());
      Matcher i = IMPORT.matcher(text);
      while (i.find()) {
        String target = packageOf(i.group(1));
        if (target.startsWith(INTERNAL) && !target.equals(pkg)) {
          mine.computeIfAbsent(target, k -> new TreeSet<>()).add(f.getFileName().toString());
        }
      }
      Matcher q = QUALIFIED.matcher(withoutComments(text));
      while (q.find()) {
        String target = q.group(1);
        if (target.startsWith(INTERNAL) && !target.equals(pkg)) {
          mine.computeIfAbsent(target, k -> new TreeSet<>()).add(f.getFileName().toString());
        }
      }
    }
  }

  private static List<Path> sources() throws IOException {
    try (Stream<Path> s = Files.walk(MAIN)) {
      return s.filter(f -> f.toString().endsWith(".java")).sorted().collect(Collectors.toList());
    }
  }

  /** The package of an imported name: its segments up to the first that starts upper case. */
  private static String packageOf(String name) {
    StringBuilder out = new StringBuilder();
    for (String part : name.split("\\.")) {
      if (!part.isEmpty() && Character.isUpperCase(part.charAt(0))) {
        break;
      }
      out.append(out.length() == 0 ? "" : ".").append(part);
    }
    return out.toString();
  }

  private static String withoutComments(String text) {
    return text.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\\n]*", "").replaceAll("\"(?:\\\\.|[^\"\\\\\\n])*\"", "\"\"");
  }

  @Test
  void theSourcesAreFoundAndSplitIntoPackages() {
    assertTrue(deps.keySet().containsAll(List.of(INTERNAL, INTERNAL + ".sql", INTERNAL + ".graph", INTERNAL + ".store",
        INTERNAL + ".auth", INTERNAL + ".audit", INTERNAL + ".util", INTERNAL + ".spi")), deps.keySet().toString());
    assertTrue(deps.get(INTERNAL).containsKey(INTERNAL + ".sql"), "the core uses the SQL package: " + deps.get(INTERNAL));
  }

  @Test
  void internalPackagesFormNoCycle() {
    List<String> cycles = new ArrayList<>();
    for (String start : deps.keySet()) {
      findCycle(start, start, new ArrayList<>(List.of(start)), new TreeSet<>(), cycles);
    }
    assertEquals(List.of(), cycles, "package cycles (with the files that make each step): " + deps);
  }

  private static void findCycle(String start, String at, List<String> path, Set<String> seen, List<String> out) {
    for (String next : deps.getOrDefault(at, Map.of()).keySet()) {
      if (next.equals(start)) {
        out.add(String.join(" -> ", path) + " -> " + start);
      } else if (seen.add(next)) {
        path.add(next);
        findCycle(start, next, path, seen, out);
        path.remove(path.size() - 1);
      }
    }
  }

  @Test
  void leafPackagesNeverImportTheCore() {
    Map<String, Set<String>> offenders = new TreeMap<>();
    deps.forEach((pkg, targets) -> {
      if (!pkg.equals(INTERNAL) && targets.containsKey(INTERNAL)) {
        offenders.put(pkg, targets.get(INTERNAL));
      }
    });
    assertEquals(Map.of(), offenders, "leaf packages that import dev.ephemera.internal (the core)");
  }

  @Test
  void utilDependsOnNoOtherInternalPackage() {
    assertEquals(Map.of(), deps.getOrDefault(INTERNAL + ".util", Map.of()));
  }

  @Test
  void theModuleExportsOnlyTheApiAndTheSqlSpiAndOpensOnlyTheTrigger() throws IOException {
    String module = withoutComments(Files.readString(MAIN.resolve("module-info.java")));
    List<String> exports = new ArrayList<>();
    Matcher e = Pattern.compile("exports ([\\w.]+)( to [\\w.]+)?;").matcher(module);
    while (e.find()) {
      exports.add(e.group(1) + (e.group(2) == null ? "" : e.group(2)));
    }
    assertEquals(List.of("dev.ephemera", "dev.ephemera.graph", "dev.ephemera.internal.spi to dev.ephemera.sql"), exports);
    List<String> opens = new ArrayList<>();
    Matcher o = Pattern.compile("opens ([\\w.]+)( to [\\w.]+)?;").matcher(module);
    while (o.find()) {
      opens.add(o.group(1) + (o.group(2) == null ? "" : o.group(2)));
    }
    assertEquals(List.of("dev.ephemera.internal.sql.trigger to com.h2database"), opens);
  }

  /**
   * The API creates the implementation at a few entry points (the builder, the store factories,
   * a record's and an audit event's text forms) and the implementation implements the API: those
   * two depend on each other by design, and nowhere else may the API reach into the internals.
   */
  @Test
  void theApiReachesTheImplementationOnlyAtItsEntryPoints() throws IOException {
    Map<String, Set<String>> uses = new TreeMap<>();
    for (Path f : sources()) {
      String text = Files.readString(f);
      Matcher p = PACKAGE.matcher(text);
      if (!p.find() || p.group(1).startsWith(INTERNAL)) {
        continue;
      }
      Matcher q = Pattern.compile("(?<![\\w.])(dev\\.ephemera\\.internal(?:\\.[a-z]\\w*)*\\.[A-Z]\\w*)")
          .matcher(withoutComments(text));
      while (q.find()) {
        uses.computeIfAbsent(f.getFileName().toString(), k -> new TreeSet<>()).add(q.group(1));
      }
    }
    assertEquals(Map.of(
        "AuditEvent.java", Set.of("dev.ephemera.internal.util.Json"),
        "SessionEngine.java", Set.of("dev.ephemera.internal.EngineConfig", "dev.ephemera.internal.EngineImpl"),
        "SessionRecord.java", Set.of("dev.ephemera.internal.store.RecordCodec"),
        "SessionStores.java", Set.of("dev.ephemera.internal.store.FileSessionStore",
            "dev.ephemera.internal.store.JdbcSessionStore", "dev.ephemera.internal.store.NoStore")), uses);
  }

  @Test
  void aClassOverTheLimitHoldsOneConcernAndSaysWhy() throws IOException {
    List<String> over = new ArrayList<>();
    for (Path f : sources()) {
      long lines;
      try (Stream<String> s = Files.lines(f)) {
        lines = s.count();
      }
      String name = MAIN.relativize(f).toString().replace('\\', '/');
      if (lines > MAX_LINES && !ONE_CONCERN.contains(name)) {
        over.add(name + " (" + lines + " lines)");
      }
      if (ONE_CONCERN.contains(name)) {
        assertTrue(Files.readString(f).contains("Why one class of this size"), name + " must say in its Javadoc why it is one class");
      }
    }
    assertEquals(List.of(), over, "classes over " + MAX_LINES + " lines");
  }
}
