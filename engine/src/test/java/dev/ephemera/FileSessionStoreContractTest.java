package dev.ephemera;

import static org.junit.jupiter.api.Assertions.*;

import dev.ephemera.storetest.SessionStoreContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SessionStoreContract} on {@code SessionStores.file(path)}, a new file for each test. Not shared
 * (a second store on the file while one is open is refused: {@link FileStoreLeakTest}); expired records
 * stay until purged. The contract reaches the bytes of records over 64 KiB, which the store keeps in
 * files of their own ({@code path.d/<id>.<slot>.rec}, one per slot a save wrote).
 */
class FileSessionStoreContractTest extends SessionStoreContract {
  @TempDir
  Path dir;

  Path file() {
    return dir.resolve("sessions.db");
  }

  @Override
  protected SessionStore openStore() {
    return SessionStores.file(file());
  }

  @Override
  protected boolean expectedShared() {
    return false;
  }

  /** The record files of {@code id}'s slots. */
  List<Path> recordFiles(String id) {
    List<Path> files = new ArrayList<>();
    for (int slot = 0; slot < 2; slot++) {
      Path f = dir.resolve("sessions.db.d").resolve(id + "." + slot + ".rec");
      if (Files.exists(f)) {
        files.add(f);
      }
    }
    assertFalse(files.isEmpty(), "no record file for " + id + ": was it saved with a value over 64 KiB?");
    return files;
  }

  @Override
  protected byte[] storedBytes(String id) throws Exception {
    List<Path> files = recordFiles(id);
    assertEquals(1, files.size(), "the contract reads records saved once: " + files);
    return Files.readAllBytes(files.get(0));
  }

  @Override
  protected void overwriteStoredBytes(String id, byte[] bytes) throws Exception {
    for (Path f : recordFiles(id)) {
      Files.write(f, bytes);
    }
  }
}
