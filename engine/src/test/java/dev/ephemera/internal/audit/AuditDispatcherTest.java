package dev.ephemera.internal.audit;

import dev.ephemera.AuditEvent;
import dev.ephemera.AuditEventType;
import dev.ephemera.AuditSink;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The asynchronous audit writer. No test waits by sleeping: a sink blocks on a latch where the
 * test needs the writer held, and {@code assertTimeoutPreemptively} only guards against a hang.
 */
class AuditDispatcherTest {
  static final Duration HANG_GUARD = Duration.ofSeconds(30);

  final RecordingSink sink = new RecordingSink();
  final List<AuditDispatcher> dispatchers = new ArrayList<>();
  String threadName;

  @BeforeEach
  void name(TestInfo test) {
    threadName = "audit-test-" + test.getTestMethod().orElseThrow().getName();
  }

  @AfterEach
  void closeAll() {
    dispatchers.forEach(AuditDispatcher::close);
    assertFalse(threadAlive(threadName), threadName + " still runs");
  }

  AuditDispatcher dispatcher(AuditSink sink, int capacity) {
    AuditDispatcher d = new AuditDispatcher(sink, capacity, threadName);
    dispatchers.add(d);
    return d;
  }

  static AuditEvent event(int n) {
    return new AuditEvent(AuditEventType.VARIABLE_CHANGED, Instant.EPOCH, "sess_" + n, null, null, null,
        Map.of("n", Integer.toString(n)));
  }

  static int n(AuditEvent e) {
    return Integer.parseInt(e.details().get("n"));
  }

  static boolean threadAlive(String name) {
    return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
  }

  /** Records what it is given; {@link #write} may be overridden to block or fail. */
  static class RecordingSink implements AuditSink {
    final List<AuditEvent> events = new CopyOnWriteArrayList<>();
    final AtomicInteger flushes = new AtomicInteger();
    final AtomicInteger closes = new AtomicInteger();
    final List<String> threads = new CopyOnWriteArrayList<>();

    @Override
    public void write(AuditEvent event) throws IOException {
      threads.add(Thread.currentThread().getName());
      events.add(event);
    }

    @Override
    public void flush() {
      flushes.incrementAndGet();
    }

    @Override
    public void close() {
      closes.incrementAndGet();
    }

    List<Integer> numbers() {
      return events.stream().map(AuditDispatcherTest::n).toList();
    }
  }

  @Test
  void everyEventOfferedBeforeCloseIsWrittenInOrderByTheDispatcherThread() {
    AuditDispatcher d = dispatcher(sink, 1000);
    List<Integer> offered = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      assertTrue(d.offer(event(i)));
      offered.add(i);
    }
    d.close();
    assertEquals(offered, sink.numbers());
    assertEquals(1000, d.written());
    assertEquals(0, d.dropped());
    assertTrue(sink.threads.stream().allMatch(threadName::equals), sink.threads.toString());
    assertTrue(sink.flushes.get() >= 1);
    assertEquals(1, sink.closes.get());
    assertFalse(threadAlive(threadName));
  }

  @Test
  void whenTheSinkIsHeldThenOfferDropsExactlyTheOverflowWithoutBlocking() {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    RecordingSink held = new RecordingSink() {
      @Override
      public void write(AuditEvent event) throws IOException {
        super.write(event);
        entered.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          throw new IOException(e);
        }
      }
    };
    AuditDispatcher d = dispatcher(held, 4);
    try {
      assertTimeoutPreemptively(HANG_GUARD, () -> {
        assertTrue(d.offer(event(0)));
        entered.await(); // the thread holds event 0 in write(); the queue is empty
        for (int i = 1; i <= 4; i++) {
          assertTrue(d.offer(event(i)), "event " + i + " fits");
        }
        for (int i = 5; i <= 7; i++) {
          assertFalse(d.offer(event(i)), "event " + i + " overflows");
        }
        assertEquals(3, d.dropped());
        assertEquals(List.of(0), held.numbers());
      });
    } finally {
      release.countDown();
    }
    d.close();
    assertEquals(List.of(0, 1, 2, 3, 4), held.numbers());
    assertEquals(5, d.written());
    assertEquals(3, d.dropped());
  }

  @Test
  void whenTheSinkThrowsThenTheEventIsCountedAsDroppedAndTheNextOneWritten() {
    RecordingSink failing = new RecordingSink() {
      @Override
      public void write(AuditEvent event) throws IOException {
        switch (n(event)) {
          case 3 -> throw new IOException("disk full");
          case 5 -> throw new IllegalStateException("sink bug");
          default -> super.write(event);
        }
      }

      @Override
      public void flush() {
        super.flush();
        if (flushes.get() == 1) {
          throw new IllegalStateException("flush bug");
        }
      }
    };
    AuditDispatcher d = dispatcher(failing, 64);
    for (int i = 0; i < 10; i++) {
      assertTrue(d.offer(event(i)));
    }
    d.close();
    assertEquals(List.of(0, 1, 2, 4, 6, 7, 8, 9), failing.numbers());
    assertEquals(8, d.written());
    assertEquals(2, d.dropped());
    assertEquals(1, failing.closes.get());
  }

  @Test
  void afterCloseTheThreadHasEndedAndOfferReturnsFalseAndCountsTheDrop() {
    AuditDispatcher d = dispatcher(sink, 8);
    assertTrue(threadAlive(threadName));
    assertTrue(d.offer(event(1)));
    d.close();
    assertFalse(threadAlive(threadName));
    assertFalse(d.offer(event(2)));
    assertEquals(1, d.dropped());
    assertEquals(1, d.written());
    d.close(); // again: nothing happens
    assertEquals(1, sink.closes.get());
    assertEquals(List.of(1), sink.numbers());
  }

  @Test
  void aSinkMayCloseItsOwnDispatcher() {
    AtomicReference<AuditDispatcher> self = new AtomicReference<>();
    RecordingSink closing = new RecordingSink() {
      @Override
      public void write(AuditEvent event) throws IOException {
        super.write(event);
        if (n(event) == 0) {
          self.get().close(); // on the dispatcher thread: must not wait for itself
        }
      }
    };
    CountDownLatch closed = new CountDownLatch(1);
    AuditDispatcher d = dispatcher(new AuditSink() {
      @Override
      public void write(AuditEvent event) throws IOException {
        closing.write(event);
      }

      @Override
      public void close() {
        closing.close();
        closed.countDown();
      }
    }, 8);
    self.set(d);
    assertTimeoutPreemptively(HANG_GUARD, () -> {
      assertTrue(d.offer(event(0)));
      closed.await();
    });
    assertFalse(d.offer(event(1)));
    d.close();
    assertFalse(threadAlive(threadName));
    assertEquals(List.of(0), closing.numbers());
    assertEquals(1, closing.closes.get());
  }

  @Test
  void concurrentOffersAreEachEitherWrittenOrCountedAsDropped() {
    int producers = 4;
    int each = 20_000;
    AuditDispatcher d = dispatcher(sink, 32);
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int p = 0; p < producers; p++) {
      int base = p * each;
      Thread t = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < each; i++) {
          d.offer(event(base + i));
        }
      }, threadName + "-producer-" + p);
      threads.add(t);
      t.start();
    }
    assertTimeoutPreemptively(HANG_GUARD, () -> {
      start.countDown();
      for (Thread t : threads) {
        t.join();
      }
      d.close();
    });
    assertEquals((long) producers * each, d.written() + d.dropped());
    assertEquals(d.written(), sink.events.size());
    // each producer's events arrive in the order it offered them
    int[] last = new int[producers];
    Arrays.fill(last, -1);
    for (int n : sink.numbers()) {
      int p = n / each;
      assertTrue(n > last[p], "event " + n + " after " + last[p]);
      last[p] = n;
    }
  }

  @Test
  void badArgumentsAreRefusedBeforeAThreadStarts() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new AuditDispatcher(sink, 0, threadName));
    assertTrue(e.getMessage().contains("0"), e.getMessage());
    assertThrows(NullPointerException.class, () -> new AuditDispatcher(null, 1, threadName));
    assertThrows(NullPointerException.class, () -> new AuditDispatcher(sink, 1, null));
    assertFalse(threadAlive(threadName));
  }
}
