package dev.ephemera.examples;

import dev.ephemera.Credentials;
import dev.ephemera.Session;
import dev.ephemera.SessionEngine;
import dev.ephemera.SessionFilter;
import dev.ephemera.SessionInfo;
import dev.ephemera.SessionStores;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * The {@code shell} and {@code sessions} commands of {@code ephemera.jar}: argument parsing, the
 * engine they run on (a store from {@code --store}, else in memory), and the session listings.
 */
final class Cli {
  private Cli() {}

  /** Thrown for a bad command line: the message goes to stderr, the exit code is 2. */
  static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  /** The engine of a command: root signs in with a password made for this run. */
  record Engine(SessionEngine engine, String rootPassword) {
    static Engine open(String store) {
      byte[] b = new byte[18];
      new SecureRandom().nextBytes(b);
      String password = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
      SessionEngine.Builder builder = SessionEngine.builder().rootUser("root", password).passwordHashIterations(10_000);
      if (store != null) {
        builder.store(SessionStores.open(store));
      }
      return new Engine(builder.build(), password);
    }

    Session rootSession() {
      Session s = engine.open();
      s.signIn(Credentials.root("root", rootPassword));
      return s;
    }
  }

  /** {@code shell [--store URI] [-c SQL | -f FILE]}. */
  static int shell(List<String> args, InputStream in, OutputStream terminalOut, PrintStream out, PrintStream err)
      throws Exception {
    String store = null;
    String command = null;
    Path file = null;
    for (int i = 0; i < args.size(); i++) {
      switch (args.get(i)) {
        case "--store" -> store = value(args, ++i, "--store");
        case "-c" -> command = value(args, ++i, "-c");
        case "-f" -> file = Path.of(value(args, ++i, "-f"));
        default -> throw new UsageException("unknown shell option: " + args.get(i));
      }
    }
    if (command != null && file != null) {
      throw new UsageException("give -c or -f, not both");
    }
    String script = command != null ? command : file != null ? readScript(file) : null;
    Engine e = Engine.open(store);
    try {
      Session s = e.rootSession();
      try {
        try (Shell shell = new Shell(s, out, err)) {
          return script != null ? shell.runScript(script) : shell.interactive(in, terminalOut);
        }
      } finally {
        s.close(); // the shell's own session never outlives it, also with a persistent store
      }
    } finally {
      e.engine().close();
    }
  }

  private static String readScript(Path file) throws UsageException, java.io.IOException {
    if (!Files.isReadable(file)) {
      throw new UsageException("cannot read script " + file);
    }
    return Files.readString(file, StandardCharsets.UTF_8);
  }

  /**
   * {@code sessions list|kill|cleanup --store URI ...}: the sessions a persistent store holds.
   * Options take their value after a space or an {@code =} (the Geode seed writes
   * {@code --user=alice}); the seed's spellings are accepted: {@code --session-id},
   * {@code --sort-by}, {@code --limit}, {@code --min-duration}, {@code kill --user},
   * {@code cleanup --idle-timeout SECONDS}, {@code cleanup --force}.
   */
  static int sessions(List<String> rawArgs, PrintStream out, PrintStream err) throws Exception {
    if (rawArgs.isEmpty()) {
      throw new UsageException("sessions needs a command: list, kill ID or cleanup");
    }
    List<String> args = new java.util.ArrayList<>();
    for (String a : rawArgs) { // --name=value as --name value
      int eq = a.indexOf('=');
      if (a.startsWith("--") && eq > 2) {
        args.add(a.substring(0, eq));
        args.add(a.substring(eq + 1));
      } else {
        args.add(a);
      }
    }
    String command = args.get(0);
    String store = null;
    String user = null;
    Duration idle = null;
    Duration minDuration = null;
    int limit = -1;
    SessionFilter.Order order = SessionFilter.Order.ID;
    boolean dryRun = false;
    boolean force = false;
    boolean graceful = false;
    Duration warning = Duration.ofSeconds(60);
    String id = null;
    for (int i = 1; i < args.size(); i++) {
      switch (args.get(i)) {
        case "--store" -> store = value(args, ++i, "--store");
        case "--user" -> user = value(args, ++i, "--user");
        case "--idle-longer-than" -> idle = duration(value(args, ++i, "--idle-longer-than"));
        case "--idle-timeout" -> idle = seconds(value(args, ++i, "--idle-timeout"), "--idle-timeout");
        case "--min-duration" -> minDuration = duration(value(args, ++i, "--min-duration"));
        case "--sort", "--sort-by" -> order = order(value(args, ++i, args.get(i - 1)));
        case "--limit" -> limit = (int) Math.min(Integer.MAX_VALUE, seconds(value(args, ++i, "--limit"), "--limit")
            .toSeconds());
        case "--session-id" -> id = value(args, ++i, "--session-id");
        case "--dry-run" -> dryRun = true;
        case "--force" -> force = true;
        case "--graceful" -> graceful = true;
        case "--warning-seconds" -> warning = seconds(value(args, ++i, "--warning-seconds"), "--warning-seconds");
        default -> {
          if (command.equals("kill") && id == null && !args.get(i).startsWith("-")) {
            id = args.get(i);
          } else {
            throw new UsageException("unknown sessions option: " + args.get(i));
          }
        }
      }
    }
    if (store == null) {
      throw new UsageException("sessions " + command + " needs --store URI (for example --store file:sessions.db):"
          + " it reads the sessions a persistent store keeps");
    }
    if (graceful && !command.equals("kill")) {
      throw new UsageException("--graceful belongs to sessions kill");
    }
    Engine e = Engine.open(store);
    try {
      SessionEngine engine = e.engine();
      switch (command) {
        case "list" -> {
          SessionFilter f = SessionFilter.all().sortedBy(order);
          if (user != null) {
            f = f.user(user);
          }
          if (idle != null) {
            f = f.idleLongerThan(idle);
          }
          if (minDuration != null) {
            f = f.openLongerThan(minDuration);
          }
          if (limit >= 0) {
            f = f.limit(limit);
          }
          print(engine.sessions(f), out);
          return 0;
        }
        case "kill" -> {
          if (id == null && user == null) {
            throw new UsageException("sessions kill needs a session id (or --session-id ID, or --user NAME)");
          }
          if (id == null) {
            List<SessionInfo> theirs = engine.sessions(SessionFilter.all().user(user));
            int n = 0;
            for (SessionInfo i : theirs) {
              n += engine.kill(i.id()) ? 1 : 0;
            }
            out.println("killed " + n + " session" + (n == 1 ? "" : "s") + " of " + user);
            return 0;
          }
          if (graceful) {
            if (!engine.kill(id, warning)) { // its listeners are warned now; it ends after the warning time
              err.println("no live session " + id + " in " + store);
              return 1;
            }
            out.println("warned " + id + "; it ends in " + warning.toSeconds() + " s");
            while (engine.session(id).isPresent()) { // a command-line tool: it waits in real time
              engine.runMaintenance();
              Thread.sleep(50);
            }
            out.println("killed " + id);
            return 0;
          }
          if (engine.kill(id)) {
            out.println("killed " + id);
            return 0;
          }
          err.println("no live session " + id + " in " + store);
          return 1;
        }
        case "cleanup" -> {
          if (idle == null && !force) {
            throw new UsageException("sessions cleanup needs --idle-longer-than DURATION (for example 30m),"
                + " --idle-timeout SECONDS, or --force (every session the store keeps)");
          }
          Duration cut = idle == null ? Duration.ZERO : idle;
          List<SessionInfo> old = engine.sessions(SessionFilter.all().idleLongerThan(cut).sortedBy(order));
          if (dryRun) {
            print(old, out);
            out.println("would end " + old.size() + " session" + (old.size() == 1 ? "" : "s") + " (dry run)");
            return 0;
          }
          int n = engine.cleanup(cut);
          out.println("ended " + n + " session" + (n == 1 ? "" : "s")
              + (idle == null ? " (forced: all)" : " idle longer than " + idle));
          return 0;
        }
        default -> throw new UsageException("unknown sessions command: " + command + " (list, kill, cleanup)");
      }
    } finally {
      e.engine().close();
    }
  }

  /** A whole number of seconds (or a count), 0 or more. */
  private static Duration seconds(String text, String option) throws UsageException {
    try {
      long n = Long.parseLong(text);
      if (n >= 0) {
        return Duration.ofSeconds(n);
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new UsageException(option + " takes a whole number, 0 or more: '" + text + "'");
  }

  static void print(List<SessionInfo> sessions, PrintStream out) {
    out.printf(Locale.ROOT, "%-22s %-12s %-20s %-24s %10s %8s%n", "id", "user", "namespace/database", "created",
        "idle", "ops");
    for (SessionInfo i : sessions) {
      String where = i.namespace() == null ? "" : i.namespace() + (i.database() == null ? "" : "/" + i.database());
      out.printf(Locale.ROOT, "%-22s %-12s %-20s %-24s %10s %8d%n", i.id(), i.user() == null ? "" : i.user(), where,
          i.createdAt().toString(), human(i.idle()), i.operations());
    }
    out.println("(" + sessions.size() + " session" + (sessions.size() == 1 ? "" : "s") + ")");
  }

  private static String human(Duration d) {
    long s = d.toSeconds();
    return s < 120 ? s + "s" : s < 7200 ? (s / 60) + "m" : (s / 3600) + "h";
  }

  private static String value(List<String> args, int i, String option) throws UsageException {
    if (i >= args.size()) {
      throw new UsageException(option + " needs a value");
    }
    return args.get(i);
  }

  /** {@code 45s}, {@code 30m}, {@code 2h}, {@code 1d} or ISO-8601 ({@code PT30M}). */
  static Duration duration(String text) throws UsageException {
    try {
      if (text.matches("\\d+[smhd]")) {
        long n = Long.parseLong(text.substring(0, text.length() - 1));
        return switch (text.charAt(text.length() - 1)) {
          case 's' -> Duration.ofSeconds(n);
          case 'm' -> Duration.ofMinutes(n);
          case 'h' -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        };
      }
      return Duration.parse(text);
    } catch (DateTimeParseException | ArithmeticException e) {
      throw new UsageException("not a duration: '" + text + "' (use 45s, 30m, 2h, 1d or PT30M)");
    }
  }

  private static SessionFilter.Order order(String text) throws UsageException {
    return switch (text) {
      case "age" -> SessionFilter.Order.AGE;
      case "idle" -> SessionFilter.Order.IDLE;
      case "id" -> SessionFilter.Order.ID;
      default -> throw new UsageException("unknown sort: " + text + " (age, idle or id)");
    };
  }
}
