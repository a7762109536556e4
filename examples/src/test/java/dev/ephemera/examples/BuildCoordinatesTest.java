package dev.ephemera.examples;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What README's "Add it to your build" promises: the BOM has the build's version, names every
 * module a user adds (each jar module but the benchmarks and examples) and nothing else, pins no
 * third-party version, and README's snippets name the BOM's version and only its artifacts. The
 * parent POM carries what a public repository wants (licence, developers, SCM).
 */
class BuildCoordinatesTest {
  private static String read(String path) throws Exception {
    return Files.readString(Path.of("..").resolve(path));
  }

  private static String first(String regex, String text) {
    Matcher m = Pattern.compile(regex, Pattern.DOTALL).matcher(text);
    assertTrue(m.find(), regex);
    return m.group(1);
  }

  private static List<String> all(String regex, String text) {
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile(regex).matcher(text);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  @Test
  void theBomHasTheBuildsVersionAndExactlyTheModulesAUserAdds() throws Exception {
    String parent = read("pom.xml");
    String bom = read("bom/pom.xml");
    String version = first("<artifactId>ephemera-parent</artifactId>\\s*<version>([^<]+)</version>", parent);
    assertEquals(version, first("<artifactId>ephemera-bom</artifactId>\\s*<version>([^<]+)</version>", bom));
    assertFalse(bom.contains("<parent>"), "the BOM must not inherit the parent's third-party pins");
    TreeSet<String> userModules = new TreeSet<>();
    for (String module : all("<module>([^<]+)</module>", parent)) {
      if (module.equals("bom") || module.equals("benchmarks") || module.equals("examples")) {
        continue;
      }
      userModules.add(first("</parent>.*?<artifactId>([^<]+)</artifactId>", read(module + "/pom.xml")));
    }
    assertEquals(userModules, new TreeSet<>(all("<artifactId>(ephemera-[^<]+)</artifactId>",
        bom.substring(bom.indexOf("<dependencyManagement>")))));
    assertTrue(all("<groupId>([^<]+)</groupId>", bom.substring(bom.indexOf("<dependencyManagement>"))).stream()
        .allMatch("dev.ephemera"::equals), "third-party pins in the BOM");
    for (String tag : List.of("<licenses>", "<developers>", "<scm>", "<url>")) {
      assertTrue(parent.contains(tag) && bom.contains(tag), tag);
    }
    assertTrue(Files.exists(Path.of("..", "LICENSE")));
  }

  @Test
  void readmesSnippetsNameTheBomsVersionAndItsArtifacts() throws Exception {
    String readme = read("README.md");
    String section = readme.substring(readme.indexOf("## Add it to your build"), readme.indexOf("## What exists today"));
    String bom = read("bom/pom.xml");
    String version = first("<artifactId>ephemera-bom</artifactId>\\s*<version>([^<]+)</version>", bom);
    assertEquals(version, first("ephemera-bom</artifactId>\\s*<version>([^<]+)</version>", section));
    assertEquals(version, first("ephemera-bom:([^\"]+)\"", section));
    for (String artifact : all("(ephemera-[a-z0-9-]+)", section)) {
      assertTrue(artifact.equals("ephemera-bom") || bom.contains("<artifactId>" + artifact + "</artifactId>"), artifact);
    }
  }
}
