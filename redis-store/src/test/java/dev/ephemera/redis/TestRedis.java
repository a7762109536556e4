package dev.ephemera.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import redis.embedded.RedisExecProvider;

/**
 * A real redis-server for the tests: the binary the {@code org.signal:embedded-redis} jar ships,
 * started on a free port chosen at run time and bound to 127.0.0.1, without persistence.
 *
 * <p>It runs under a small {@code sh} watchdog that reads the JVM's pipe to it: when the JVM ends in
 * any way (even SIGKILL) the pipe closes and the watchdog kills redis-server, so a crashed test run
 * leaves no server behind. If the server cannot start here, {@link #startOrNull()} prints why to
 * stderr and {@link #assumeStarted} aborts each test (reported as skipped with the reason, never
 * silently passed).
 */
final class TestRedis implements AutoCloseable {
  private static final String WATCHDOG = String.join("\n",
      "exec 3<&0",
      "\"$1\" --port \"$2\" --bind 127.0.0.1 --save '' --appendonly no --dir \"$3\" </dev/null &",
      "pid=$!",
      "( cat <&3 >/dev/null; kill \"$pid\" 2>/dev/null ) &",
      "exec 3<&-",
      "wait \"$pid\"");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

  private final Process process;
  private final Path dir;
  private final int port;
  private final RedisClient rawClient;
  private final StatefulRedisConnection<String, byte[]> rawConnection;

  private TestRedis(Process process, Path dir, int port) {
    this.process = process;
    this.dir = dir;
    this.port = port;
    this.rawClient = RedisClient.create(uri());
    this.rawConnection = rawClient.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
  }

  /** Why the last start failed. */
  private static volatile String whyNot;

  /**
   * Starts a server, or returns {@code null} and prints why to stderr: the tests then call
   * {@link #assumeStarted} first, so that each is reported as skipped with the reason (an abort in
   * {@code @BeforeAll} would make surefire report no tests at all).
   */
  static TestRedis startOrNull() {
    try {
      return start();
    } catch (IOException | RuntimeException e) {
      whyNot = "redis-server could not start here: " + e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      whyNot = "interrupted while starting redis-server";
    }
    System.err.println("SKIPPING the Redis store tests: " + whyNot);
    return null;
  }

  /** Aborts the calling test (reported as skipped, with the reason) if {@code server} did not start. */
  static void assumeStarted(TestRedis server) {
    if (server == null) {
      Assumptions.abort(whyNot);
    }
  }

  private static TestRedis start() throws IOException, InterruptedException {
    File exe = RedisExecProvider.defaultProvider().get();
    if (!exe.canExecute() && !exe.setExecutable(true)) {
      throw new IOException("cannot make " + exe + " executable");
    }
    Path dir = Files.createTempDirectory("ephemera-redis-test");
    String lastLog = "";
    for (int attempt = 0; attempt < 3; attempt++) {
      int port = freePort();
      Path log = dir.resolve("redis-" + port + ".log");
      Process p = new ProcessBuilder("sh", "-c", WATCHDOG, "redis-watchdog", exe.getAbsolutePath(),
          Integer.toString(port), dir.toString())
          .redirectErrorStream(true)
          .redirectOutput(log.toFile())
          .start();
      long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
      while (System.nanoTime() < deadline) {
        lastLog = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        if (lastLog.contains("Ready to accept connections")) {
          return new TestRedis(p, dir, port);
        }
        if (!p.isAlive()) {
          break;
        }
        Thread.sleep(20);
      }
      stop(p);
      if (!lastLog.contains("Address already in use")) {
        break; // another port would not help
      }
    }
    deleteTree(dir);
    throw new IOException("it did not become ready; its log:\n" + lastLog.strip());
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** {@code redis://127.0.0.1:PORT}. */
  String uri() {
    return "redis://127.0.0.1:" + port;
  }

  int port() {
    return port;
  }

  /** A connection of the tests' own, to look at and tamper with what the store wrote. */
  RedisCommands<String, byte[]> raw() {
    return rawConnection.sync();
  }

  /** The number of clients connected to the server (the tests' raw connection included). */
  int clientCount() {
    return (int) raw().clientList().lines().filter(l -> !l.isBlank()).count();
  }

  @Override
  public void close() {
    try {
      rawConnection.close();
      rawClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    } finally {
      stop(process);
      deleteTree(dir);
    }
  }

  /** Closes the watchdog's pipe (it then kills redis-server) and waits; kills the lot if that hangs. */
  private static void stop(Process p) {
    try {
      p.getOutputStream().close();
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (IOException e) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException ignored) {
      // a temporary directory; the OS cleans it eventually
    }
  }
}
