package dev.ephemera.examples;

import java.io.PrintStream;

/** {@code java -jar ephemera.jar <command>}: the entry point of the runnable jar. */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    String command = args.length == 0 ? "help" : args[0];
    switch (command) {
      case "tour" -> {
        new QuickTour(out).run();
        return 0;
      }
      case "help", "--help", "-h" -> {
        out.println("usage: java -jar ephemera.jar <command>");
        out.println();
        out.println("commands:");
        out.println("  tour    a quick tour of Ephemera's sessions, in about two seconds");
        out.println("  help    this text");
        return 0;
      }
      default -> {
        err.println("unknown command: " + command + " (try: java -jar ephemera.jar help)");
        return 2;
      }
    }
  }
}
