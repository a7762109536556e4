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
 * temp table and graph names, namespace/database names, credentials and tokens. Every input
 * gives success or a typed exception of Ephemera's ({@link EphemeraException}, or one of the
 * {@code dev.ephemera} exceptions that are also {@link IllegalArgumentException}s, such as {@link
 * InvalidNameException}), never another exception, and no input changes a second session. The seed is printed on failure; rerun with {@code -Dfuzz.seed=N}.
 */
class InputFuzzTest {
  private static final int ROUNDS = 1500;
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

  /** Runs one input: success or an EphemeraException; anything else fails the test with the seed. */
  private void attempt(String what, String input, Consumer<String> call) {
    try {
      call.accept(input);
    } catch (RuntimeException e) {
      if (!e.getClass().getPackageName().startsWith("dev.ephemera") || e.getClass().getPackageName().contains("internal")) {
        throw new AssertionError("seed " + seed + ": " + what + "(" + printable(input) + ") threw " + e, e);
      }
      assertNotNull(e.getMessage());
    }
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

      Session s = engine.open();
      List<Consumer<String>> calls = new ArrayList<>();
      List<String> names = new ArrayList<>();
      names.add("set"); calls.add(t -> s.set(t, "v"));
      names.add("get"); calls.add(t -> s.get(t));
      names.add("getTyped"); calls.add(t -> s.get(t, String.class));
      names.add("reset"); calls.add(t -> s.reset(t));
      names.add("flash"); calls.add(t -> s.flash(t, 1));
      names.add("takeFlash"); calls.add(t -> s.takeFlash(t));
      names.add("setValue"); calls.add(t -> s.set("v", t));
      names.add("createTempTable"); calls.add(t -> s.createTempTable(t, "id INT"));
      names.add("dropTempTable"); calls.add(t -> s.dropTempTable(t));
      names.add("live"); calls.add(t -> s.live(t, c -> { }));
      names.add("createTempGraph"); calls.add(t -> s.createTempGraph(t));
      names.add("tempGraph"); calls.add(t -> s.tempGraph(t));
      names.add("dropTempGraph"); calls.add(t -> s.dropTempGraph(t));
      names.add("useNamespace"); calls.add(t -> s.use(t, "sales"));
      names.add("useDatabase"); calls.add(t -> s.use("acme", t));
      names.add("signInRootUser"); calls.add(t -> s.signIn(Credentials.root(t, "secret")));
      names.add("signInPassword"); calls.add(t -> s.signIn(Credentials.database("acme", "sales", "alice", t == null ? "" : t))); // a typed form never gives null
      names.add("signInNamespace"); calls.add(t -> s.signIn(Credentials.namespace(t, "alice", "pw")));
      names.add("signInDatabase"); calls.add(t -> s.signIn(Credentials.database("acme", t, "alice", "pw")));
      names.add("resume"); calls.add(t -> engine.resume(t));
      names.add("resumeMutated"); calls.add(t -> engine.resume(t == null ? witnessToken : mutate(witnessToken, t)));
      names.add("sessionById"); calls.add(t -> engine.session(t));
      names.add("kill"); calls.add(t -> engine.kill(t));
      names.add("killUser"); calls.add(t -> engine.killUser(t));

      for (int i = 0; i < ROUNDS; i++) {
        int k = random.nextInt(calls.size());
        attempt(names.get(k), text(), calls.get(k));
        if (i % 100 == 99) {
          s.signOut(); // start each stretch signed out again
        }
      }

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
