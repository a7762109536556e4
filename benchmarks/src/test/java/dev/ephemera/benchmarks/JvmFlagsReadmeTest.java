package dev.ephemera.benchmarks;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * README's JVM flags are exactly the build's ({@code ephemera.jvm.flags} in the parent POM), and
 * the runnable jars' manifests (examples, benchmarks) carry exactly their opens and exports, so
 * that the three cannot drift apart again.
 */
class JvmFlagsReadmeTest {
  private static String read(String path) throws Exception {
    return Files.readString(Path.of("..").resolve(path));
  }

  private static List<String> readmeFlags() throws Exception {
    String readme = read("README.md");
    int section = readme.indexOf("## JVM flags");
    assertTrue(section >= 0, "README has no JVM flags section");
    Matcher m = Pattern.compile("```\\n([^`]*)\\n```").matcher(readme.substring(section));
    assertTrue(m.find(), "README's JVM flags section has no code block");
    return Arrays.asList(m.group(1).trim().split("\\s+"));
  }

  @Test
  void readmeListsExactlyTheBuildsFlags() throws Exception {
    assertEquals(JvmFlags.ALL, readmeFlags(), "README vs the parent pom's ephemera.jvm.flags (JvmFlagsTest ties those)");
  }

  @Test
  void theRunnableJarsManifestsCarryExactlyTheOpensAndExports() throws Exception {
    List<String> expected = new ArrayList<>();
    for (String flag : readmeFlags()) {
      if (flag.startsWith("--add-opens=") || flag.startsWith("--add-exports=")) {
        expected.add(flag);
      }
    }
    for (String module : List.of("examples", "benchmarks")) {
      String pom = read(module + "/pom.xml");
      List<String> manifest = new ArrayList<>();
      for (String[] entry : List.of(new String[] {"Add-Opens", "--add-opens="}, new String[] {"Add-Exports", "--add-exports="})) {
        Matcher m = Pattern.compile("<" + entry[0] + ">([^<]*)</" + entry[0] + ">").matcher(pom);
        assertTrue(m.find(), module + "/pom.xml has no " + entry[0]);
        for (String target : m.group(1).trim().split("\\s+")) {
          manifest.add(entry[1] + target + "=ALL-UNNAMED");
        }
      }
      assertEquals(expected, manifest, module + "'s manifest entries");
    }
  }
}
