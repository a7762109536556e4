package dev.ephemera.internal.audit;

import dev.ephemera.AuditEvent;
import dev.ephemera.AuditEventType;
import dev.ephemera.AuditSink;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.StampedLock;

/**
 * Writes audit events to an {@link AuditSink} on a thread of its own, so that the threads that
 * cause events never wait for the sink. Events wait in a bounded queue; when it is full,
 * {@link #offer} drops the event and counts it rather than block. The thread writes whatever
 * the queue holds as one batch, then flushes the sink once.
 *
 * <p>A sink that throws does not stop the thread: the event is counted as dropped, the failure
 * logged (the first as a warning, later ones at debug level) and the next event written.
 *
 * <p>{@link #close()} refuses new events, lets the thread write those already queued, flushes and
 * closes the sink and waits (up to {@value #CLOSE_WAIT_SECONDS} s) for the thread to end.
 * {@link #offer} is safe to call from any number of threads.
 */
public final class AuditDispatcher implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger("dev.ephemera");
  static final long CLOSE_WAIT_SECONDS = 10;
  /** Wakes the thread when it waits on an empty queue at close; never written. */
  private static final AuditEvent WAKE_UP =
      new AuditEvent(AuditEventType.SESSION_CLOSED, Instant.EPOCH, null, null, null, null, null);

  private final AuditSink sink;
  private final int capacity;
  private final ArrayBlockingQueue<AuditEvent> queue;
  private final Thread thread;
  /**
   * {@link #offer} enqueues under a read lock and {@link #refuseNew()} sets {@link #closed} under
   * the write lock, so no event can slip into the queue after the thread saw it closed and empty.
   */
  private final StampedLock gate = new StampedLock();
  private volatile boolean closed;
  private final AtomicBoolean dropWarned = new AtomicBoolean();
  private boolean sinkFailureWarned; // dispatcher thread only
  private final AtomicLong written = new AtomicLong();
  private final LongAdder dropped = new LongAdder();

  /**
   * Starts the dispatcher's daemon thread.
   *
   * @param sink where the events go; called from the dispatcher's thread only
   * @param capacity how many events may wait to be written, at least 1
   * @param threadName the name of the dispatcher's thread
   * @throws IllegalArgumentException if {@code capacity} is less than 1
   */
  public AuditDispatcher(AuditSink sink, int capacity, String threadName) {
    this.sink = Objects.requireNonNull(sink, "sink");
    Objects.requireNonNull(threadName, "threadName");
    if (capacity < 1) {
      throw new IllegalArgumentException("audit buffer capacity is " + capacity + "; it must be at least 1");
    }
    this.capacity = capacity;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.thread = new Thread(this::run, threadName);
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Queues an event for writing, without ever blocking.
   *
   * @return {@code true} if the event was queued; {@code false} if it was dropped (and counted)
   *     because the queue is full or the dispatcher is closed
   */
  public boolean offer(AuditEvent event) {
    Objects.requireNonNull(event, "event");
    long stamp = gate.tryReadLock(); // fails only while close() sets the flag
    if (stamp != 0) {
      try {
        if (!closed && queue.offer(event)) {
          return true;
        }
      } finally {
        gate.unlockRead(stamp);
      }
    }
    dropped.increment();
    if (dropWarned.compareAndSet(false, true)) {
      LOG.log(System.Logger.Level.WARNING, closed
          ? "audit dispatcher " + thread.getName() + " is closed: audit events are being dropped and counted in the stats"
          : "audit buffer full (" + capacity + " events waiting for " + sink + "): audit events are being dropped"
              + " and counted in the stats; this warning is not repeated");
    }
    return false;
  }

  /** How many events were dropped: refused by {@link #offer} or failed in the sink. */
  public long dropped() {
    return dropped.sum();
  }

  /** How many events the sink accepted. */
  public long written() {
    return written.get();
  }

  /**
   * Refuses further events, waits until the thread has written the queued ones, flushed and
   * closed the sink, and ended; but waits at most {@value #CLOSE_WAIT_SECONDS} seconds, and not at
   * all when called from the dispatcher's thread (from the sink). Idempotent.
   */
  @Override
  public void close() {
    refuseNew();
    if (Thread.currentThread() == thread) {
      return; // the thread finishes the queue when the sink returns
    }
    try {
      thread.join(TimeUnit.SECONDS.toMillis(CLOSE_WAIT_SECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    if (thread.isAlive()) {
      LOG.log(System.Logger.Level.WARNING, "audit dispatcher " + thread.getName() + " did not finish within "
          + CLOSE_WAIT_SECONDS + " s; " + queue.size() + " events are still waiting for " + sink);
    }
  }

  private void refuseNew() {
    long stamp = gate.writeLock();
    try {
      if (closed) {
        return;
      }
      closed = true;
    } finally {
      gate.unlockWrite(stamp);
    }
    queue.offer(WAKE_UP); // if the queue is full the thread is not waiting, and sees the flag after this batch
  }

  private void run() {
    List<AuditEvent> batch = new ArrayList<>(Math.min(capacity, 1024));
    try {
      for (;;) {
        AuditEvent head;
        try {
          // once closed (and no event can enter any more) the thread stops at the first empty queue
          head = closed ? queue.poll() : queue.take();
        } catch (InterruptedException e) {
          refuseNew(); // only someone else can interrupt this thread: take it as a close()
          continue;
        }
        if (head == null) {
          return;
        }
        batch.add(head);
        queue.drainTo(batch);
        writeAll(batch);
        batch.clear();
      }
    } finally {
      refuseNew(); // a no-op unless an Error ends the thread
      finish();
    }
  }

  private void writeAll(List<AuditEvent> batch) {
    boolean any = false;
    for (AuditEvent e : batch) {
      if (e == WAKE_UP) {
        continue;
      }
      any = true;
      try {
        sink.write(e);
        written.incrementAndGet();
      } catch (IOException | RuntimeException x) {
        dropped.increment();
        sinkFailed("write a " + e.type().wireName() + " event (counted as dropped)", x);
      }
    }
    if (any) {
      try {
        sink.flush();
      } catch (IOException | RuntimeException x) {
        sinkFailed("flush", x);
      }
    }
  }

  /** Flushes and closes the sink, once, on the dispatcher's thread. */
  private void finish() {
    try {
      sink.flush();
    } catch (IOException | RuntimeException x) {
      sinkFailed("flush", x);
    }
    try {
      sink.close();
    } catch (IOException | RuntimeException x) {
      sinkFailed("close", x);
    }
  }

  private void sinkFailed(String what, Exception x) {
    System.Logger.Level level = System.Logger.Level.DEBUG;
    String more = "";
    if (!sinkFailureWarned) {
      sinkFailureWarned = true;
      level = System.Logger.Level.WARNING;
      more = "; further failures of this sink are logged at DEBUG level";
    }
    LOG.log(level, "audit sink " + sink + " failed to " + what + more, x);
  }
}
