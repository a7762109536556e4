package dev.ephemera;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The child of {@link FileStoreCrashTest}: opens an engine on a file store, prints a session's
 * token, then changes the session in a loop and prints {@code ACK n} after each change returned
 * (write-through: it is stored), until it is killed.
 */
public final class CrashWriter {
  private CrashWriter() {}

  public static void main(String[] args) {
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true);
    SessionEngine engine = SessionEngine.builder().warmUpGraphs(false)
        .store(SessionStores.file(Path.of(args[0]))).build();
    Session s = engine.open();
    out.println("TOKEN " + s.token());
    for (long n = 1; ; n++) {
      // one change per acknowledgement, of changing size (a few over Chronicle's chunk size)
      s.set("state", java.util.Map.of("n", n, "payload", "x".repeat((int) (n % 3000))));
      out.println("ACK " + n);
    }
  }
}
