package dev.ephemera;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts a main class of the tests in a child JVM with this JVM's class path and Chronicle flags. */
final class ChildJvm {
  private ChildJvm() {}

  static Process start(Class<?> main, String... args) throws IOException {
    return start(main, List.of("-Xmx256m"), args);
  }

  /** {@link #start(Class, String...)} with these JVM options (a heap size, say) instead of {@code -Xmx256m}. */
  static Process start(Class<?> main, List<String> jvmOptions, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String a : ProcessHandle.current().info().arguments().orElse(new String[0])) {
      if (a.startsWith("--add-") || a.startsWith("--enable-native-access") || a.startsWith("--sun-misc")
          || a.startsWith("-Dchronicle.")) {
        cmd.add(a);
      }
    }
    if (!cmd.contains("-Dchronicle.analytics.disable=true")) {
      cmd.add("-Dchronicle.analytics.disable=true"); // never phone home, even if the parent was started oddly
    }
    cmd.addAll(jvmOptions);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(main.getName());
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }
}
