package dev.ephemera.internal.util;

/**
 * What Chronicle Map needs from the JVM, checked and set before any of its classes load: no
 * analytics (it phones home otherwise), no banner, the {@code jdk.compiler} module (it compiles
 * classes at run time) and the opens and exports it needs on JDK 17+. Used by temporary graphs and
 * the file store; no Chronicle class is touched here.
 */
public final class Chronicle {
  public static final boolean COMPILER_PRESENT = ModuleLayer.boot().findModule("jdk.compiler").isPresent();

  private Chronicle() {}

  /** The flag check, made once: a JVM's opens and exports do not change while it runs. */
  private static final class Flags {
    static final String MISSING = missingFlags();
  }

  /** The JVM flags Chronicle Map needs that this JVM lacks (see {@link #missingFlags()}), checked once. */
  public static String missing() {
    return Flags.MISSING;
  }

  /**
   * The JVM flags Chronicle Map needs that this JVM lacks, or {@code null}: {@code java.lang} and
   * {@code java.lang.reflect} opened to Chronicle, {@code com.sun.tools.javac.file} exported to it.
   * Chronicle's class is loaded, not initialized.
   */
  static String missingFlags() {
    Module chronicle;
    try {
      chronicle = Class.forName("net.openhft.chronicle.map.ChronicleMap", false, Chronicle.class.getClassLoader()).getModule();
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
  public static void configure() {
    if (System.getProperty("chronicle.analytics.disable") == null) {
      System.setProperty("chronicle.analytics.disable", "true");
    }
    if (System.getProperty("chronicle.announcer.disable") == null) {
      System.setProperty("chronicle.announcer.disable", "true");
    }
  }
}
