package dev.ephemera.redis;

import static org.junit.jupiter.api.Assertions.*;

import dev.ephemera.Session;
import dev.ephemera.SessionEngine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two JVMs on one Redis server: a session opened here is resumed by {@link ChildEngine} in a child
 * JVM, and what the child set is seen here at the next resume.
 */
class TwoProcessesOnRedisTest {
  /** The flags the parent pom gives every forked JVM, if surefire did not pass them on (an IDE run). */
  static final String DEFAULT_FLAGS = "--add-opens=java.base/java.lang=ALL-UNNAMED"
      + " --add-opens=java.base/java.lang.reflect=ALL-UNNAMED"
      + " --add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED"
      + " --add-exports=java.base/jdk.internal.ref=ALL-UNNAMED --add-exports=java.base/sun.nio.ch=ALL-UNNAMED"
      + " -Dchronicle.analytics.disable=true -Dchronicle.announcer.disable=true";
  static TestRedis server;

  @BeforeAll
  static void startServer() {
    server = TestRedis.startOrNull();
  }

  @BeforeEach
  void needsTheServer() {
    TestRedis.assumeStarted(server);
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  /** The child's command line: this JVM's java, the Chronicle flags, this test's class path. */
  static List<String> javaCommand(Class<?> main, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    String flags = System.getProperty("ephemera.jvm.flags", "").strip();
    cmd.addAll(Arrays.asList((flags.isEmpty() ? DEFAULT_FLAGS : flags).split("\\s+")));
    if (!cmd.contains("-Dchronicle.analytics.disable=true")) {
      cmd.add("-Dchronicle.analytics.disable=true"); // never phone home, even if the flags were lost
    }
    cmd.add("-Xmx256m");
    cmd.add("-cp");
    // surefire runs tests from a manifest-only jar; it names the real class path in this property
    cmd.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
    cmd.add(main.getName());
    cmd.addAll(Arrays.asList(args));
    return cmd;
  }

  @Test
  void aSessionOpenedHereIsResumedInAnotherJvmAndItsChangesComeBack(@TempDir Path dir)
      throws IOException, InterruptedException {
    SessionEngine a = SessionEngine.builder()
        .store(RedisSessionStore.open(server.uri()))
        .warmUpGraphs(false)
        .build();
    Process child = null;
    try {
      Session s = a.open();
      s.set("cart", 3);
      Path out = dir.resolve("child.out");
      Path err = dir.resolve("child.err");
      child = new ProcessBuilder(javaCommand(ChildEngine.class, server.uri(), s.token()))
          .redirectOutput(out.toFile())
          .redirectError(err.toFile())
          .start();
      child.getOutputStream().close();
      boolean ended = child.waitFor(60, TimeUnit.SECONDS);
      String stdout = Files.readString(out, StandardCharsets.UTF_8);
      String report = "child stdout:\n" + stdout + "\nchild stderr:\n" + Files.readString(err, StandardCharsets.UTF_8);
      assertTrue(ended, "the child JVM did not end within 60 s; " + report);
      assertEquals(0, child.exitValue(), report);
      assertTrue(stdout.contains("child read cart=3 in " + s.id()), report);
      assertTrue(stdout.contains("child done"), report);

      assertNull(s.get("fromChild"), "this engine's copy is as it was until it resumes the session");
      Object fromChild = a.resume(s.token()).get("fromChild");
      assertEquals("hello from pid " + child.pid(), fromChild);
    } finally {
      if (child != null && child.isAlive()) {
        child.destroyForcibly();
      }
      a.close();
    }
  }
}
