package dev.ephemera;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The exceptions the public API's Javadoc promises ({@code @throws X} in {@code dev.ephemera} and
 * {@code dev.ephemera.graph}) exist, and each of the engine's own is thrown somewhere in the
 * engine: a Javadoc naming a type the code never throws (as {@code createTempGraph} once named
 * {@code IllegalArgumentException} for what is a {@code GraphExistsException}) fails here when
 * the type is the engine's, and the behaviour tests beside each API ({@code TempGraphTest},
 * {@code TenancyTest}, …) assert the types for the cases the Javadoc names.
 */
class DocumentedExceptionsTest {
  private static final Path MAIN = Path.of("src", "main", "java");

  private static List<Path> apiSources() throws Exception {
    List<Path> out = new ArrayList<>();
    for (String pkg : List.of("dev/ephemera", "dev/ephemera/graph")) {
      try (Stream<Path> files = Files.list(MAIN.resolve(pkg))) {
        files.filter(f -> f.toString().endsWith(".java")).forEach(out::add);
      }
    }
    return out;
  }

  private static String allMainSources() throws Exception {
    StringBuilder b = new StringBuilder();
    try (Stream<Path> files = Files.walk(MAIN)) {
      for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
        b.append(Files.readString(f)).append('\n');
      }
    }
    return b.toString();
  }

  private static Class<?> resolve(String name) {
    for (String prefix : List.of("", "dev.ephemera.", "dev.ephemera.graph.", "java.lang.", "java.io.", "java.sql.")) {
      try {
        return Class.forName(prefix + name);
      } catch (ClassNotFoundException e) {
        // the next prefix
      }
    }
    return null;
  }

  @Test
  void everyDocumentedExceptionExistsAndTheEnginesOwnAreThrownSomewhere() throws Exception {
    Pattern throwsTag = Pattern.compile("@throws\\s+([A-Za-z_.]+)");
    String code = allMainSources();
    List<String> problems = new ArrayList<>();
    int seen = 0;
    for (Path source : apiSources()) {
      Matcher m = throwsTag.matcher(Files.readString(source));
      while (m.find()) {
        seen++;
        String name = m.group(1);
        Class<?> type = resolve(name);
        if (type == null || !Throwable.class.isAssignableFrom(type)) {
          problems.add(source.getFileName() + ": @throws " + name + " is no exception type");
          continue;
        }
        if (type.getPackageName().startsWith("dev.ephemera") && type != EphemeraException.class
            && !Pattern.compile("new\\s+" + type.getSimpleName() + "\\s*\\(|" + type.getSimpleName() + "::new")
                .matcher(code).find()) {
          problems.add(source.getFileName() + ": @throws " + name + " but the engine never throws one");
        }
      }
    }
    assertTrue(seen > 50, "the @throws tags were read: " + seen);
    assertEquals(List.of(), problems);
  }
}
