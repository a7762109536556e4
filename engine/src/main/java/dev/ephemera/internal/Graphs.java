package dev.ephemera.internal;

import dev.ephemera.EphemeraException;
import java.util.concurrent.CompletableFuture;

/**
 * JVM-wide set-up of temporary graphs. Chronicle Map is told not to phone home before any of its
 * classes load, its presence of {@code jdk.compiler} is checked (it compiles classes at run time),
 * and its first map — over a second of class generation — is made in the background when an engine
 * starts, so the first {@code createTempGraph} does not pay for it. No Chronicle class is touched
 * here directly.
 */
final class Graphs {
  static final boolean COMPILER_PRESENT = ModuleLayer.boot().findModule("jdk.compiler").isPresent();
  private static CompletableFuture<Void> warmUp;

  private Graphs() {}

  /** The flag check, made once: a JVM's opens and exports do not change while it runs. */
  private static final class Flags {
    static final String MISSING = missingFlags();
  }

  /**
   * The JVM flags Chronicle Map needs that this JVM lacks, or {@code null}: {@code java.lang} and
   * {@code java.lang.reflect} opened to Chronicle, {@code com.sun.tools.javac.file} exported to it.
   * Chronicle's class is loaded, not initialized.
   */
  static String missingFlags() {
    Module chronicle;
    try {
      chronicle = Class.forName("net.openhft.chronicle.map.ChronicleMap", false, Graphs.class.getClassLoader()).getModule();
    } catch (ClassNotFoundException e) {
      return "Chronicle Map itself (net.openhft:chronicle-map is not on the class path)";
    }
    StringBuilder out = new StringBuilder();
    Module base = Object.class.getModule();
    String target = chronicle.isNamed() ? chronicle.getName() : "ALL-UNNAMED";
    for (String pkg : new String[] {"java.lang", "java.lang.reflect"}) {
      if (!base.isOpen(pkg, chronicle)) {
        out.append(" --add-opens=java.base/").append(pkg).append('=').append(target);
      }
    }
    ModuleLayer.boot().findModule("jdk.compiler").ifPresent(javac -> {
      if (!javac.isExported("com.sun.tools.javac.file", chronicle)) {
        out.append(" --add-exports=jdk.compiler/com.sun.tools.javac.file=").append(target);
      }
    });
    return out.length() == 0 ? null : out.toString().trim();
  }

  /** Before Chronicle loads: no analytics, no banner (a caller's explicit setting wins). */
  static void configureChronicle() {
    if (System.getProperty("chronicle.analytics.disable") == null) {
      System.setProperty("chronicle.analytics.disable", "true");
    }
    if (System.getProperty("chronicle.announcer.disable") == null) {
      System.setProperty("chronicle.announcer.disable", "true");
    }
  }

  /** Starts the background warm-up once per JVM. */
  static synchronized void warmUpInBackground() {
    if (warmUp != null || !COMPILER_PRESENT || Flags.MISSING != null) {
      return;
    }
    configureChronicle();
    warmUp = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        new GraphStore(1024).close();
        warmUp.complete(null);
      } catch (RuntimeException | Error e) {
        warmUp.completeExceptionally(e);
      }
    }, "ephemera-graph-warm-up");
    t.setDaemon(true);
    t.start();
  }

  /**
   * Checks that graphs can be made here and waits for a warm-up in progress (making a map
   * meanwhile would only compete with it for the same class generation).
   */
  static void ready() {
    if (!COMPILER_PRESENT) {
      throw new EphemeraException("temporary graphs need the jdk.compiler module: Chronicle Map compiles classes"
          + " at run time; run on a full JDK (a JRE or a jlink image without jdk.compiler cannot hold graphs)");
    }
    configureChronicle();
    String missing = Flags.MISSING;
    if (missing != null) {
      throw new EphemeraException("temporary graphs need JVM flags that Chronicle Map requires on JDK 17+; missing: "
          + missing + " (see the README's \"JVM flags\")");
    }
    CompletableFuture<Void> w;
    synchronized (Graphs.class) {
      w = warmUp;
    }
    if (w != null) {
      try {
        w.join();
      } catch (RuntimeException e) {
        // the warm-up failed: the map this caller makes will fail the same way, with its own stack
      }
    }
  }
}
