package dev.ephemera.examples;

import java.io.PrintStream;

/** {@code java -jar ephemera.jar <command>}: the entry point of the runnable jar. */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    System.exit(run(args, null, System.out, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    return run(args, null, out, out, err);
  }

  private static int example(java.util.List<String> args, PrintStream out) throws Exception {
    String name = args.isEmpty() ? "" : args.get(0);
    switch (name) {
      case "tenants" -> TenantsExample.run(out);
      case "graph" -> GraphExample.run(out);
      case "restart" -> {
        if (args.size() < 2) {
          throw new Cli.UsageException("example restart needs a directory (the same one on each run)");
        }
        RestartExample.run(java.nio.file.Path.of(args.get(1)), out);
      }
      default -> throw new Cli.UsageException("unknown example: '" + name + "' (tenants, graph, restart DIR)");
    }
    return 0;
  }

  /**
   * Runs a command. {@code in}/{@code terminalOut}: the shell's terminal ({@code null} in: the
   * system terminal); {@code out}/{@code err}: results and errors.
   */
  static int run(String[] args, java.io.InputStream in, java.io.OutputStream terminalOut, PrintStream out,
      PrintStream err) throws Exception {
    String command = args.length == 0 ? "help" : args[0];
    java.util.List<String> rest = java.util.List.of(args).subList(Math.min(1, args.length), args.length);
    try {
      switch (command) {
        case "shell":
          return Cli.shell(rest, in, terminalOut, out, err);
        case "sessions":
          return Cli.sessions(rest, out, err);
        case "example":
          return example(rest, out);
        default:
          break;
      }
    } catch (Cli.UsageException e) {
      err.println(e.getMessage() + " (try: java -jar ephemera.jar help)");
      return 2;
    } catch (dev.ephemera.EphemeraException | IllegalArgumentException e) { // a store in use, a bad URI, ...
      err.println("error: " + e.getMessage());
      return 1;
    }
    switch (command) {
      case "tour" -> {
        new QuickTour(out).run();
        return 0;
      }
      case "help", "--help", "-h" -> {
        out.println("usage: java -jar ephemera.jar <command>");
        out.println();
        out.println("commands:");
        out.println("  tour                          a quick tour of Ephemera's sessions, in a few seconds");
        out.println("  shell [--store URI]           an interactive SQL shell (one session, signed in as root)");
        out.println("  shell [--store URI] -c SQL    run statements and exit (non-zero at the first error)");
        out.println("  shell [--store URI] -f FILE   run a script and exit (non-zero at the first error)");
        out.println("  sessions list --store URI [--user U] [--idle-longer-than 30m] [--sort age|idle|id]");
        out.println("  sessions kill ID --store URI");
        out.println("  sessions cleanup --store URI --idle-longer-than 30m [--dry-run]");
        out.println("  example tenants               three tenants, one shared table, a view over CURRENT_SESSION_VAR");
        out.println("  example graph                 a temporary graph from SQL: paths, components, export");
        out.println("  example restart DIR           a session that survives a restart (run it twice)");
        out.println("  help                          this text");
        out.println();
        out.println("URI: file:PATH (a session file store), memory:, or redis://host:port with the Redis module");
        return 0;
      }
      default -> {
        err.println("unknown command: " + command + " (try: java -jar ephemera.jar help)");
        return 2;
      }
    }
  }
}
