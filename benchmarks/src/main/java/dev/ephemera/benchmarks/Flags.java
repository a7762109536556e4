package dev.ephemera.benchmarks;

/** The JVM flags every forked benchmark JVM gets (Chronicle Map's, and no phoning home). */
final class Flags {
  static final String A1 = "--add-opens=java.base/java.lang=ALL-UNNAMED";
  static final String A2 = "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED";
  static final String A3 = "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED";
  static final String A4 = "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED";
  static final String A5 = "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED";
  static final String A6 = "-Dchronicle.analytics.disable=true";
  static final String A7 = "-Dchronicle.announcer.disable=true";

  private Flags() {}
}
