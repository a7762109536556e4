package dev.ephemera;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The README's code, compiled and run, so that the manual cannot rot. Keep the two in step. */
class ReadmeExamplesTest {
  @Test
  void theShortExample() {
    try (SessionEngine engine = SessionEngine.builder()
        .idleTimeout(Duration.ofMinutes(15))
        .maxLifetime(Duration.ofHours(24))
        .maxSessionsPerUser(5, ExceedPolicy.TERMINATE_OLDEST)
        .rootUser("root", "secret")
        .passwordHashIterations(1000) // not in the README: keeps the test fast
        .build()) {

      engine.users().create(Credentials.database("my_ns", "my_db", "user1", "pass1"));

      Session s = engine.open(new ClientInfo("203.0.113.7", "my-app/1.0", "linux"));
      s.signIn(Credentials.database("my_ns", "my_db", "user1", "pass1")); // selects my_ns/my_db
      s.set("tenant_id", "tenant_123");
      String tenant = s.get("tenant_id", String.class);

      String token = s.token();             // secret: hand it to the client
      Session again = engine.resume(token); // the same session, or SessionNotFoundException

      Session copy = s.fork();              // same sign-in, selection and variables; new id and token
      List<SessionInfo> idle = engine.sessions(
          SessionFilter.all().idleLongerThan(Duration.ofMinutes(30)));
      engine.kill(copy.id());

      assertEquals("tenant_123", tenant);
      assertSame(s, again);
      assertEquals(List.of(), idle);
      assertEquals(SessionState.KILLED, copy.state());
      assertEquals("my_db", s.info().database());
    }
  }

  @Test
  void virtualTime() {
    AtomicLong nanos = new AtomicLong();
    SessionEngine engine = SessionEngine.builder().ticker(nanos::get)
        .idleTimeout(Duration.ofMinutes(15)).build();
    Session s = engine.open();
    nanos.addAndGet(Duration.ofMinutes(16).toNanos());
    engine.runMaintenance();
    assertEquals(SessionState.EXPIRED, s.state());
    engine.close();
  }
}
