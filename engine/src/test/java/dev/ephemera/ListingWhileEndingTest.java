package dev.ephemera;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * An administrator's listing never fails because sessions end while it reads them: sessions are
 * opened and closed on two threads while a third lists them without pause. (Before the fix,
 * {@code SessionInfo} of a session ending under the listing read its end record before it was
 * there: an internal NullPointerException, seen in most runs of this size on 2 cores.)
 */
class ListingWhileEndingTest {
  @Test
  void listingSessionsWhileTheyEndNeverFails() throws Exception {
    try (SessionEngine engine = SessionEngine.builder().ticker(new FakeTicker()).build()) {
      AtomicReference<Throwable> failure = new AtomicReference<>();
      List<Thread> churn = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        Thread th = new Thread(() -> {
          try {
            for (int i = 0; i < 100_000 && failure.get() == null; i++) {
              engine.open().close();
            }
          } catch (Throwable e) {
            failure.compareAndSet(null, e);
          }
        });
        churn.add(th);
        th.start();
      }
      long listings = 0;
      try {
        while (churn.stream().anyMatch(Thread::isAlive) && failure.get() == null) {
          for (SessionInfo i : engine.sessions(SessionFilter.all())) {
            assertNotNull(i.state());
          }
          listings++;
        }
      } catch (Throwable e) {
        failure.compareAndSet(null, e);
      } finally {
        for (Thread th : churn) {
          th.join();
        }
      }
      assertNull(failure.get(), () -> "a listing or a session failed: " + failure.get());
      assertTrue(listings > 0);
    }
  }
}
