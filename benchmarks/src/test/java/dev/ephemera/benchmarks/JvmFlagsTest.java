package dev.ephemera.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;

/**
 * Every benchmark class forks JVMs with exactly {@link JvmFlags#ALL}, the parent POM's flags: one,
 * except {@link HotPathBenchmark}'s three (its few-nanosecond figures differ between forks).
 */
class JvmFlagsTest {

  @Test
  void everyBenchmarkClassForksWithAllFlags() throws Exception {
    List<Class<?>> benchmarks = benchmarkClasses();
    assertFalse(benchmarks.isEmpty(), "no benchmark classes found");
    for (Class<?> c : benchmarks) {
      Fork fork = c.getAnnotation(Fork.class);
      assertNotNull(fork, c.getSimpleName() + " has no @Fork");
      assertEquals(c == HotPathBenchmark.class ? 3 : 1, fork.value(), c.getSimpleName() + " @Fork value");
      assertEquals(JvmFlags.ALL, Arrays.asList(fork.jvmArgsAppend()), c.getSimpleName() + " @Fork jvmArgsAppend");
    }
  }

  @Test
  void flagsAreTheParentPomFlags() throws Exception {
    String pom = Files.readString(Path.of("..", "pom.xml"));
    Matcher m = Pattern.compile("<ephemera\\.jvm\\.flags>([^<]*)</ephemera\\.jvm\\.flags>").matcher(pom);
    assertTrue(m.find(), "ephemera.jvm.flags not found in the parent pom.xml");
    assertEquals(Arrays.asList(m.group(1).trim().split("\\s+")), JvmFlags.ALL);
  }

  /** The top-level classes of this package, beside JvmFlags, that declare a @Benchmark method. */
  private static List<Class<?>> benchmarkClasses() throws Exception {
    Path dir = Path.of(JvmFlags.class.getProtectionDomain().getCodeSource().getLocation().toURI())
        .resolve(JvmFlags.class.getPackageName().replace('.', '/'));
    List<Class<?>> found = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        String name = f.getFileName().toString();
        if (!name.endsWith(".class") || name.contains("$")) {
          continue;
        }
        Class<?> c = Class.forName(JvmFlags.class.getPackageName() + "." + name.replace(".class", ""));
        if (Arrays.stream(c.getDeclaredMethods()).anyMatch(m -> m.isAnnotationPresent(Benchmark.class))) {
          found.add(c);
        }
      }
    }
    return found;
  }
}
