package dev.ephemera;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/** The {@link AuditSink}s Ephemera provides. */
public final class AuditSinks {
  private AuditSinks() {}

  /**
   * A sink that appends each event to {@code file} as one line of {@link AuditEvent#toJson()}
   * ("JSON Lines"), in UTF-8. The file is created if it does not exist and is opened at once;
   * its parent directory must exist. Writes are buffered: {@link AuditSink#flush()} and
   * {@link AuditSink#close()} push them to the file. Closing twice is harmless; writing after
   * closing throws an {@link IOException}.
   *
   * @throws UncheckedIOException if the file cannot be opened for appending (the message names it)
   */
  public static AuditSink jsonLines(Path file) {
    Objects.requireNonNull(file, "file");
    BufferedWriter out;
    try {
      out = Files.newBufferedWriter(file, StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open audit log " + file + " for appending: " + e, e);
    }
    return new JsonLinesSink(file, out);
  }

  /** Synchronized so that it stays safe when used directly, outside the engine. */
  private static final class JsonLinesSink implements AuditSink {
    private final Path file;
    private final Writer out;
    private boolean closed;

    JsonLinesSink(Path file, Writer out) {
      this.file = file;
      this.out = out;
    }

    @Override
    public synchronized void write(AuditEvent event) throws IOException {
      if (closed) {
        throw new IOException("audit log " + file + " is closed");
      }
      out.write(event.toJson());
      out.write('\n');
    }

    @Override
    public synchronized void flush() throws IOException {
      if (!closed) {
        out.flush();
      }
    }

    @Override
    public synchronized void close() throws IOException {
      if (!closed) {
        closed = true;
        out.close(); // flushes first
      }
    }

    @Override
    public String toString() {
      return "AuditSinks.jsonLines(" + file + ")";
    }
  }
}
