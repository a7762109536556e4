package dev.ephemera.sql;

import static org.junit.jupiter.api.Assertions.*;

import dev.ephemera.Credentials;
import dev.ephemera.Session;
import dev.ephemera.SessionEngine;
import dev.ephemera.SessionState;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A seeded fuzz of the driver's URLs and connection properties, through {@code connect} as a tool
 * calls it: settings (user, password, namespace, database, level, timeouts, session tokens) with
 * fuzzed keys and values on a registered engine, and whole URLs after {@code jdbc:ephemera:}. Every
 * input connects or fails with an {@link SQLException} that has a SQLState, never another
 * exception; a connection that opens is closed; and no input changes a session it did not open.
 * The build runs {@value #DEFAULT_ROUNDS}; {@code -Dfuzz.rounds=1000000} is the full run,
 * {@code -Dfuzz.seed=N} repeats one. (URLs that would create an engine, {@code mem:} and
 * {@code file:}, are left out: each would be a new engine for the rest of the JVM.)
 */
class DriverUrlFuzzTest {
  static final int DEFAULT_ROUNDS = 3000;
  static final List<String> KEYS = List.of("user", "password", "namespace", "database", "level", "idleTimeout",
      "maxLifetime", "rootUser", "rootPassword", "session", "USER", " user", "x", "", "=", "timezone");
  static final List<String> VALUES = List.of("root", "secret", "acme", "sales", "alice", "pw", "root", "database",
      "namespace", "15m", "0s", "-1m", "1000000000000d", "PT5M", "", ";", "=", "'", "\"", "\u0000", "\ud800", "é",
      "engine:fuzz", "sess_AAAAAAAAAAAAAAAA", "%", "${x}");

  @Test
  void everyUrlConnectsOrFailsWithSqlExceptionAndLeavesOtherSessionsAlone() throws Exception {
    int rounds = Integer.getInteger("fuzz.rounds", DEFAULT_ROUNDS);
    long seed = Long.getLong("fuzz.seed", 20261206L);
    SplittableRandom random = new SplittableRandom(seed);
    EphemeraDriver driver = new EphemeraDriver();
    try (SessionEngine engine = SessionEngine.builder().rootUser("root", "secret").passwordHashIterations(1000)
        .signInLockout(Integer.MAX_VALUE, java.time.Duration.ofSeconds(1)).build()) {
      engine.users().create(Credentials.database("acme", "sales", "alice", "pw"));
      EphemeraDriver.register("fuzz", engine);
      try {
        Session witness = engine.open();
        witness.signIn(Credentials.database("acme", "sales", "alice", "pw"));
        witness.set("tenant_id", "t1");
        String witnessToken = witness.token();
        Map<String, Object> vars = witness.variables();
        int opened = 0;
        for (int i = 0; i < rounds; i++) {
          String url = url(random, witnessToken);
          Properties props = new Properties();
          if (random.nextInt(3) == 0) {
            props.setProperty(pick(random, KEYS), value(random, witnessToken));
          }
          String location = url.substring("jdbc:ephemera:".length());
          if (location.startsWith("mem:") || location.startsWith("file:")) {
            continue;
          }
          try (Connection c = driver.connect(url, props)) {
            opened++;
            assertFalse(c.isClosed());
          } catch (SQLException expected) {
            assertNotNull(expected.getSQLState(), () -> "seed " + seed + ": no SQLState for " + printable(url));
          } catch (RuntimeException e) {
            fail("seed " + seed + ", input #" + " " + i + " " + printable(url) + " " + props + " threw " + e, e);
          }
          if (witness.state() != SessionState.ACTIVE || !vars.equals(witness.variables())) {
            fail("seed " + seed + ": " + printable(url) + " changed the witness session");
          }
        }
        assertSame(witness, engine.resume(witnessToken));
        assertTrue(opened > 0, "no URL connected: the fuzz reaches only the parser");
        System.out.printf("driver URL fuzz: %,d inputs, %,d connected, seed %d%n", rounds, opened, seed);
      } finally {
        EphemeraDriver.unregister("fuzz");
      }
    }
  }

  private static String url(SplittableRandom r, String token) {
    StringBuilder b = new StringBuilder("jdbc:ephemera:");
    if (r.nextInt(5) == 0) { // a whole fuzzed location
      b.append(pick(r, List.of("engine:", "engine:fuzz", "engine:other", "mem", "redis://x", "", ":", "engine:fu;zz")));
      b.append(Chars.randomChars(r));
    } else {
      b.append("engine:fuzz");
    }
    int settings = r.nextInt(5);
    for (int i = 0; i < settings; i++) {
      b.append(';');
      if (r.nextInt(10) == 0) {
        b.append(Chars.randomChars(r));
      } else {
        b.append(pick(r, KEYS)).append('=').append(value(r, token));
      }
    }
    return b.toString();
  }

  private static String value(SplittableRandom r, String token) {
    return switch (r.nextInt(6)) {
      case 0 -> Chars.randomChars(r);
      case 1 -> token.substring(0, r.nextInt(token.length())) + Chars.randomChars(r);
      default -> pick(r, VALUES);
    };
  }

  private static String pick(SplittableRandom r, List<String> from) {
    return from.get(r.nextInt(from.size()));
  }

  private static String printable(String s) {
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) {
      b.append(c < 32 || c > 126 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
    }
    return b.toString();
  }

  /** Random characters, mostly printable ASCII, some from anywhere in the first 12,288 code units. */
  static final class Chars {
    private Chars() {}

    static String randomChars(SplittableRandom r) {
      char[] c = new char[r.nextInt(20)];
      for (int i = 0; i < c.length; i++) {
        c[i] = r.nextInt(10) == 0 ? (char) r.nextInt(0x3000) : (char) (32 + r.nextInt(95));
      }
      return new String(c);
    }
  }
}
