package dev.ephemera.benchmarks;

import java.util.List;

/**
 * The JVM flags every forked benchmark JVM gets: the opens and exports Chronicle Map needs on JDK
 * 17+, and the properties that keep it from phoning home (the same set as the parent POM's
 * {@code ephemera.jvm.flags}).
 *
 * <p>Each benchmark class lists the constants below in its {@code @Fork(jvmArgsAppend = {...})}:
 * Java accepts only an array initializer of constant expressions there, never a {@code String[]}
 * field, so {@link #ALL} cannot be named in the annotation itself. {@code JvmFlagsTest} checks
 * that every benchmark class lists exactly {@link #ALL}.
 */
final class JvmFlags {
  static final String OPENS_LANG = "--add-opens=java.base/java.lang=ALL-UNNAMED";
  static final String OPENS_REFLECT = "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED";
  static final String EXPORTS_JAVAC_FILE = "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED";
  static final String EXPORTS_REF = "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED";
  static final String EXPORTS_NIO_CH = "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED";
  static final String NO_ANALYTICS = "-Dchronicle.analytics.disable=true";
  static final String NO_ANNOUNCER = "-Dchronicle.announcer.disable=true";

  /** All seven flags, in the order the benchmark classes list them. */
  static final List<String> ALL = List.of(
      OPENS_LANG, OPENS_REFLECT, EXPORTS_JAVAC_FILE, EXPORTS_REF, EXPORTS_NIO_CH, NO_ANALYTICS, NO_ANNOUNCER);

  private JvmFlags() {}
}
