package dev.ephemera;

import static org.junit.jupiter.api.Assertions.*;

import dev.ephemera.graph.TempGraph;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * A bounded, seeded fuzz of the public entry points that take text from users: variable names,
 * temp table and graph names, namespace/database names, credentials, tokens and ids, and the
 * configuration that takes text (store URIs, database locations). Every input gives success or a
 * typed exception of Ephemera's ({@link EphemeraException}, or one of the {@code dev.ephemera}
 * exceptions that are also {@link IllegalArgumentException}s, such as {@link
 * InvalidNameException}; configuration: the {@link IllegalArgumentException} or
 * {@link NullPointerException} the builder documents), never another exception; a refused input
 * changes nothing in the session it was given to, and no input changes a second session. The
 * seed is printed on failure; rerun with {@code -Dfuzz.seed=N}. The build runs
 * {@value #DEFAULT_ROUNDS} inputs; {@code -Dfuzz.rounds=1000000} is the full run.
 */
class InputFuzzTest {
  private static final int DEFAULT_ROUNDS = 3000;
  private static final int ROUNDS = Integer.getInteger("fuzz.rounds", DEFAULT_ROUNDS);
  private static final String[] PIECES = {
      "", " ", "a", "Z", "_", "x1", "1x", "tenant_id", "\"", "'", "`", ";", "--", "/*", "*/", "\\", "%", "$", "#", ".",
      ":", "-", "\u0000", "\n", "\t", "\u007f", "\u00e9", "\u0130", "\u212a", "\ud83d\ude00", "\ud800", "\u200b",
      "DROP TABLE t", "' OR '1'='1", "\"; DROP SCHEMA PUBLIC CASCADE; --", "PUBLIC", "INFORMATION_SCHEMA",
      "acme.hr", "EPH_DB:acme.hr", "sess_", "root", "sa", "${jndi:ldap://x}", "%s%n", "SELECT", "NULL"};

  private final long seed = Long.getLong("fuzz.seed", 20261124L);
  private final SplittableRandom random = new SplittableRandom(seed);

  private String text() {
    StringBuilder b = new StringBuilder();
    int parts = random.nextInt(5);
    for (int i = 0; i < parts; i++) {
      switch (random.nextInt(4)) {
        case 0 -> b.append(PIECES[random.nextInt(PIECES.length)]);
        case 1 -> b.append((char) random.nextInt(0x20, 0x7f));
        case 2 -> b.append((char) random.nextInt(0, 0xffff));
        default -> b.append("a".repeat(random.nextInt(1, 200)));
      }
    }
    return random.nextInt(40) == 0 ? null : b.toString();
  }

  /**
   * Runs one input: success or an EphemeraException (for configuration, also the builder's
   * IllegalArgumentException or NullPointerException); anything else fails the test with the seed.
   * Returns whether the input was refused.
   */
  private boolean attempt(String what, String input, Consumer<String> call) {
    try {
      call.accept(input);
      return false;
    } catch (RuntimeException e) {
      boolean ours = e.getClass().getPackageName().startsWith("dev.ephemera")
          && !e.getClass().getPackageName().contains("internal");
      boolean configuration = what.startsWith("config") && (e.getClass() == IllegalArgumentException.class
          || e.getClass() == NullPointerException.class);
      if (!ours && !configuration) {
        throw new AssertionError("seed " + seed + ": " + what + "(" + printable(input) + ") threw " + e, e);
      }
      assertNotNull(e.getMessage());
      return true;
    }
  }

  /** What a refused input must leave as it was in the session it was given to. */
  private static List<Object> stateOf(Session s) {
    SessionInfo i = s.info();
    return List.of(s.state(), s.variables(), String.valueOf(i.identity()), String.valueOf(i.namespace()),
        String.valueOf(i.database()), s.tempTables(), s.tempGraphs(), s.token());
  }

  private static String printable(String s) {
    if (s == null) {
      return "null";
    }
    StringBuilder b = new StringBuilder("\"");
    s.codePoints().limit(80).forEach(c -> b.append(c >= 0x20 && c < 0x7f ? Character.toString(c) : String.format("\\u%04x", c)));
    return b.append('"').toString();
  }

  @Test
  void everyUserTextGivesSuccessOrATypedErrorAndLeavesOtherSessionsAlone() {
    try (SessionEngine engine = SessionEngine.builder().ticker(new FakeTicker()).idleTimeout(Duration.ofHours(1))
        .rootUser("root", "secret").passwordHashIterations(1000).signInLockout(1_000_000, Duration.ofMinutes(1))
        .build()) {
      engine.users().create(Credentials.database("acme", "sales", "alice", "pw"));
      Session witness = engine.open();
      witness.signIn(Credentials.database("acme", "sales", "alice", "pw"));
      witness.set("tenant_id", "t1");
      witness.createTempTable("mine", "id INT");
      witness.execute("INSERT INTO mine VALUES (1)");
      TempGraph g = witness.createTempGraph("net");
      g.addEdge("a", "b", "KNOWS");
      String witnessToken = witness.token();
      Map<String, Object> vars = witness.variables();
      Identity identity = witness.info().identity();

      Session[] current = {engine.open()};
      List<Consumer<String>> calls = new ArrayList<>();
      List<String> names = new ArrayList<>();
      names.add("set"); calls.add(t -> current[0].set(t, "v"));
      names.add("get"); calls.add(t -> current[0].get(t));
      names.add("getTyped"); calls.add(t -> current[0].get(t, String.class));
      names.add("reset"); calls.add(t -> current[0].reset(t));
      names.add("flash"); calls.add(t -> current[0].flash(t, 1));
      names.add("takeFlash"); calls.add(t -> current[0].takeFlash(t));
      names.add("setValue"); calls.add(t -> current[0].set("v", t));
      names.add("createTempTable"); calls.add(t -> current[0].createTempTable(t, "id INT"));
      names.add("dropTempTable"); calls.add(t -> current[0].dropTempTable(t));
      names.add("live"); calls.add(t -> current[0].live(t, c -> { }));
      names.add("createTempGraph"); calls.add(t -> current[0].createTempGraph(t));
      names.add("tempGraph"); calls.add(t -> current[0].tempGraph(t));
      names.add("dropTempGraph"); calls.add(t -> current[0].dropTempGraph(t));
      names.add("useNamespace"); calls.add(t -> current[0].use(t, "sales"));
      names.add("useDatabase"); calls.add(t -> current[0].use("acme", t));
      names.add("signInRootUser"); calls.add(t -> current[0].signIn(Credentials.root(t, "secret")));
      names.add("signInPassword"); calls.add(t -> current[0].signIn(Credentials.database("acme", "sales", "alice", t == null ? "" : t))); // a typed form never gives null
      names.add("signInNamespace"); calls.add(t -> current[0].signIn(Credentials.namespace(t, "alice", "pw")));
      names.add("signInDatabase"); calls.add(t -> current[0].signIn(Credentials.database("acme", t, "alice", "pw")));
      names.add("resume"); calls.add(t -> engine.resume(t));
      names.add("resumeMutated"); calls.add(t -> engine.resume(t == null ? witnessToken : mutate(witnessToken, t)));
      names.add("sessionById"); calls.add(t -> engine.session(t));
      names.add("kill"); calls.add(t -> engine.kill(t));
      names.add("killUser"); calls.add(t -> engine.killUser(t));
      names.add("configStoreUri"); calls.add(t -> { // never a file: URI (it would make files here)
        if (t == null || !t.regionMatches(true, 0, "file:", 0, 5)) {
          SessionStores.open(t).close();
        }
      });
      names.add("configDatabase"); calls.add(t -> SessionEngine.builder().database(t));
      names.add("configRootUser"); calls.add(t -> SessionEngine.builder().rootUser(t, "pw"));

      long started = System.nanoTime();
      long refused = 0;
      for (int i = 0; i < ROUNDS; i++) {
        Session s = current[0];
        if (s.state() != SessionState.ACTIVE || i % 100 == 99) { // killed by a fuzzed killUser, or a new stretch
          s.close();
          s = current[0] = engine.open();
        }
        int k = random.nextInt(calls.size());
        String input = text();
        List<Object> before = stateOf(s);
        if (attempt(names.get(k), input, calls.get(k))) {
          refused++;
          if (s.state() == SessionState.ACTIVE) { // a refused input changed nothing
            assertEquals(before, stateOf(s), "seed " + seed + ": " + names.get(k) + "(" + printable(input) + ")");
          }
        }
        if (i > 0 && i % 100_000 == 0) {
          System.out.printf("fuzz: %,d inputs, %,d refused, %.0f s%n", i, refused, (System.nanoTime() - started) / 1e9);
        }
      }
      System.out.printf("fuzz: %,d inputs (%,d refused) in %.1f s, seed %d%n", ROUNDS, refused,
          (System.nanoTime() - started) / 1e9, seed);

      assertEquals(SessionState.ACTIVE, witness.state(), "seed " + seed);
      assertSame(witness, engine.resume(witnessToken), "seed " + seed);
      assertEquals(vars, witness.variables(), "seed " + seed);
      assertEquals(identity, witness.info().identity(), "seed " + seed);
      assertEquals(List.of("MINE"), witness.tempTables(), "seed " + seed);
      assertEquals(1L, witness.query("SELECT COUNT(*) FROM mine").single(), "seed " + seed);
      assertEquals(List.of("NET"), witness.tempGraphs(), "seed " + seed);
      assertEquals(1, g.edgeCount(), "seed " + seed);
    }
  }

  /** The token with a random stretch replaced by fuzz text (often the same length, so it reaches the lookup). */
  private String mutate(String token, String with) {
    int at = random.nextInt(token.length());
    String cut = with.length() > token.length() - at ? with.substring(0, token.length() - at) : with;
    return token.substring(0, at) + cut + token.substring(at + cut.length());
  }
}
