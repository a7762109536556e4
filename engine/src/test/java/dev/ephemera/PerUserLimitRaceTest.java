package dev.ephemera;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * README: "at most n sessions signed in as one user". Sign-ins race (four threads sign one user in
 * again and again, TERMINATE_OLDEST evicting the oldest) while an administrator lists the
 * sessions without pause: no listing shows more than n of them active. (Before, a listing read
 * one session early and another that evicted it later, and showed 4 of a user limited to 3.)
 */
class PerUserLimitRaceTest {
  @Test
  void aListingNeverShowsMoreSessionsOfAUserThanItsLimitWhileSignInsRace() throws Exception {
    try (SessionEngine engine = SessionEngine.builder().ticker(new FakeTicker()).rootUser("root", "pw")
        .passwordHashIterations(1000).maxSessionsPerUser(3, ExceedPolicy.TERMINATE_OLDEST).build()) {
      engine.users().create(Credentials.database("ns", "db", "u", "pw"));
      AtomicReference<Throwable> failure = new AtomicReference<>();
      AtomicInteger maxSeen = new AtomicInteger();
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        Thread th = new Thread(() -> {
          try {
            for (int i = 0; i < 1500; i++) {
              Session s = engine.open();
              try {
                s.signIn(Credentials.database("ns", "db", "u", "pw"));
              } catch (SessionClosedException e) {
                // evicted while signing in
              }
            }
          } catch (Throwable e) {
            failure.compareAndSet(null, e);
          }
        });
        threads.add(th);
        th.start();
      }
      while (threads.stream().anyMatch(Thread::isAlive)) {
        long n = engine.sessions(SessionFilter.all()).stream()
            .filter(i -> i.identity() != null && i.state() == SessionState.ACTIVE).count();
        maxSeen.accumulateAndGet((int) n, Math::max);
      }
      for (Thread th : threads) {
        th.join();
      }
      assertNull(failure.get());
      assertTrue(maxSeen.get() <= 3, "seen " + maxSeen.get() + " active sessions of a user limited to 3");
    }
  }
}
