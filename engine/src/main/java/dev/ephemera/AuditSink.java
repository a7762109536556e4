package dev.ephemera;

import java.io.IOException;

/**
 * Where audit events go: a file, a log, a queue. {@link AuditSinks#jsonLines} is the reference
 * implementation.
 *
 * <p>The engine calls a sink from one thread of its own only, never concurrently, and off the
 * sessions' hot path: events wait in a bounded buffer until that thread writes them. A sink
 * should still not block for long, or the buffer fills and further events are dropped (and
 * counted). After each batch of writes the engine calls {@link #flush()} once; at shutdown it
 * calls {@code flush()} and then {@link #close()}, once.
 *
 * <p>If {@code write} throws (an {@link IOException} or a {@link RuntimeException}), the engine
 * logs it, counts the event as dropped and goes on with the next event; a failing {@code flush}
 * or {@code close} is logged too. Only the first failure is logged as a warning, later ones at
 * debug level.
 */
public interface AuditSink extends AutoCloseable {
  /** Records one event. It need not be durable before {@link #flush()}. */
  void write(AuditEvent event) throws IOException;

  /** Makes the events written so far durable (as far as this sink can). Does nothing by default. */
  default void flush() throws IOException {}

  /** Releases the sink; the engine writes no more events to it. Does nothing by default. */
  @Override
  default void close() throws IOException {}
}
