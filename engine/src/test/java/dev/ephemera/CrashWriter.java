package dev.ephemera;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The child of {@link StoreCrashTest}: opens an engine on the store, creates sessions until there
 * are {@code sessions} of them (printing {@code NEW token} once each is stored), then changes random
 * ones in a loop, printing {@code ACK index n} after each change returned (write-through: it is
 * stored), until it is killed. Each line ends in {@code " ."}: a line the kill cut short is not an
 * acknowledgement. Arguments: {@code file|jdbc}, the location, the tokens file (the
 * sessions of earlier rounds, one per line), the number of sessions, the seed.
 */
public final class CrashWriter {
  private CrashWriter() {}

  /** The state the {@code n}th change of a session writes: mostly small, one in 40 past the file store's inline limit. */
  static Map<String, Object> state(long n) {
    int length = n % 40 == 0 ? 66_000 + (int) (n % 997) : (int) (n * 7919 % 3000);
    return Map.of("n", n, "payload", "x".repeat(length));
  }

  /** How many changes the session holds: 0 if its first one was lost (an H2 store may lose it to a kill). */
  static long storedN(Session s) {
    Map<?, ?> state = s.get("state", Map.class);
    return state == null ? 0 : ((Number) state.get("n")).longValue();
  }

  static int payloadLength(long n) {
    return ((String) state(n).get("payload")).length();
  }

  /**
   * The store. The file store is sized for a tenth of the sessions the run makes: it grows ten times
   * past its initial size (and stays within what it can hold with these records, about 1.5 KB on
   * average; a hundred times the size it was made for counts records of 512 bytes). The JDBC store's H2 database is kept open by one more connection while the store is in use
   * (without a pool, H2 would open and close the database, compacting it, for every operation),
   * until {@link #release()}.
   */
  static SessionStore store(String kind, String location, int sessions) {
    return switch (kind) {
      case "file" -> SessionStores.file(Path.of(location), Math.max(100, sessions / 10));
      case "jdbc" -> {
        org.h2.jdbcx.JdbcDataSource ds = new org.h2.jdbcx.JdbcDataSource();
        ds.setURL("jdbc:h2:file:" + location + ";WRITE_DELAY=0");
        try {
          keeper = ds.getConnection();
        } catch (java.sql.SQLException e) {
          throw new IllegalStateException(e);
        }
        yield SessionStores.jdbc(ds);
      }
      default -> throw new IllegalArgumentException(kind);
    };
  }

  private static java.sql.Connection keeper;

  /** Closes the connection that kept the JDBC store's database open (after the engine closed). */
  static void release() throws java.sql.SQLException {
    if (keeper != null) {
      keeper.close();
      keeper = null;
    }
  }

  static SessionEngine engine(String kind, String location, int sessions) {
    return SessionEngine.builder().warmUpGraphs(false).idleTimeout(Duration.ofDays(1))
        .store(store(kind, location, sessions)).build();
  }

  public static void main(String[] args) throws Exception {
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true);
    List<String> tokens = new ArrayList<>(Files.readAllLines(Path.of(args[2])));
    int sessions = Integer.parseInt(args[3]);
    Random random = new Random(Long.parseLong(args[4]));
    SessionEngine engine = engine(args[0], args[1], sessions);
    out.println("READY");
    while (true) {
      if (tokens.size() < sessions) {
        Session s = engine.open();
        s.set("state", state(1));
        tokens.add(s.token());
        out.println("NEW " + s.token() + " .");
      }
      int i = random.nextInt(tokens.size());
      Session s = engine.resume(tokens.get(i));
      long n = storedN(s) + 1;
      s.set("state", state(n));
      out.println("ACK " + i + " " + n + " .");
    }
  }
}
