package dev.ephemera.examples;

import dev.ephemera.Session;
import dev.ephemera.SessionEngine;
import dev.ephemera.SessionNotFoundException;
import dev.ephemera.SessionStores;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Persistent sessions across a restart with the file store. Run it twice with the same directory:
 * the first run opens a session, sets a variable and keeps the token in {@code DIR/token} (as a
 * client would keep a cookie); the second run resumes the session by that token in a new engine
 * (a new process) and finds its variable. ({@code java -jar ephemera.jar example restart DIR})
 */
final class RestartExample {
  private RestartExample() {}

  static void run(Path dir, PrintStream out) throws IOException {
    Files.createDirectories(dir);
    Path tokenFile = dir.resolve("token");
    try (SessionEngine engine = SessionEngine.builder().store(SessionStores.file(dir.resolve("sessions.db")))
        .build()) {
      if (Files.exists(tokenFile)) {
        String token = Files.readString(tokenFile).strip();
        try {
          Session s = engine.resume(token);
          long visits = s.get("visits", Long.class) + 1;
          s.set("visits", visits);
          out.printf("resumed %s after a restart: visit %d, opened %s%n", s.id(), visits, s.info().createdAt());
        } catch (SessionNotFoundException e) {
          out.println("the stored token no longer resumes a session (it expired or was ended): starting over");
          Files.delete(tokenFile);
        }
      } else {
        Session s = engine.open();
        s.set("visits", 1L);
        Files.writeString(tokenFile, s.token());
        out.printf("opened %s, visit 1; its token is in %s: run again to resume it%n", s.id(), tokenFile);
      }
    } // closing the engine keeps the session's record: the next run resumes it
  }
}
