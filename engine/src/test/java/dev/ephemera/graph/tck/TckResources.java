package dev.ephemera.graph.tck;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The openCypher TCK's files, read from its jar ({@code org.opencypher:tck}) on the test class
 * path: the feature files under {@code features/} and the named graphs' scripts under
 * {@code graphs/}.
 */
final class TckResources {
  private TckResources() {}

  /** Every feature file of the TCK, read, in path order. */
  static List<Feature> features() {
    URL url = TckResources.class.getClassLoader().getResource("features/");
    if (url == null) {
      throw new IllegalStateException("the openCypher TCK jar (org.opencypher:tck) is not on the test class path");
    }
    try {
      URLConnection connection = url.openConnection();
      if (!(connection instanceof JarURLConnection jarConnection)) {
        throw new IllegalStateException("the TCK's features are not in a jar: " + url);
      }
      jarConnection.setUseCaches(false);
      try (JarFile jar = jarConnection.getJarFile()) {
        List<JarEntry> entries = new ArrayList<>(Collections.list(jar.entries()));
        entries.removeIf(e -> !e.getName().startsWith("features/") || !e.getName().endsWith(".feature"));
        entries.sort((a, b) -> a.getName().compareTo(b.getName()));
        List<Feature> features = new ArrayList<>();
        for (JarEntry entry : entries) {
          try (InputStream in = jar.getInputStream(entry)) {
            features.add(GherkinReader.read(entry.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8)));
          }
        }
        return features;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the TCK's features from " + url, e);
    }
  }

  /**
   * The query that builds the named graph: {@code graphs/<name>/<name>.cypher}, without the
   * semicolon that ends the script's one statement.
   *
   * @throws IllegalArgumentException if the TCK has no graph of that name
   */
  static String graphScript(String name) {
    String path = "graphs/" + name + "/" + name + ".cypher";
    try (InputStream in = TckResources.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalArgumentException("the TCK has no graph script " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip().replaceFirst(";$", "");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path, e);
    }
  }
}
