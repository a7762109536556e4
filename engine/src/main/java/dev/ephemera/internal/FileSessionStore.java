package dev.ephemera.internal;

import dev.ephemera.CorruptRecordException;
import dev.ephemera.SessionRecord;
import dev.ephemera.SessionStore;
import dev.ephemera.SessionStoreException;
import dev.ephemera.StoreInUseException;
import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.hash.serialization.SizedReader;
import net.openhft.chronicle.hash.serialization.SizedWriter;
import net.openhft.chronicle.hash.serialization.impl.EnumMarshallable;
import net.openhft.chronicle.map.ChronicleMap;

/**
 * {@code SessionStores.file(path)}: records in a Chronicle Map persisted to {@code path}, keyed by
 * session id. Two files sit beside it: {@code path.lock}, locked (an OS file lock) while a store has
 * the file open, so that a second engine fails at once instead of sharing Chronicle's segment
 * locks; and {@code path.open}, present while the file is open and deleted by a clean close. Found
 * at open, it means the last owner died with the file open (a crash, a SIGKILL): a segment lock
 * it held would make the next write spin for 60 s and fail, so the file is opened with Chronicle's
 * {@code recoverPersistedTo} instead, which needs exactly the exclusive access the lock gives.
 *
 * <p>A record bigger than {@link #INLINE_MAX} bytes (large variables) is written to a file of its own in
 * {@code path.d/} (to a temporary name, then renamed over the old one) and the map holds a marker
 * for it; Chronicle's entries stay small, and a session of any size the engine allows is stored.
 * Files no marker points to (left by a crash between rename and put) are deleted at open.
 *
 * <p>A save is a {@code put} into the memory-mapped file: once it returns, the record survives the
 * process being killed (the kernel writes the page out). It is not flushed to the disk itself, so a
 * power failure may lose the last seconds.
 */
public final class FileSessionStore implements SessionStore {
  private static final System.Logger LOG = System.getLogger("dev.ephemera");
  static final double AVG_VALUE = 512;
  static final double BLOAT = 100;
  /** Records up to this size live in the map; bigger ones in files of their own. */
  public static final int INLINE_MAX = 64 * 1024;
  /** The first byte of a map value that points to a record file (a record's first byte is its version). */
  private static final byte OVERFLOW = (byte) 0x7F;

  private final Path path;
  private final Path marker;
  private final Path overflowDir;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final ChronicleMap<String, byte[]> map;
  private final boolean recovered;
  private volatile boolean closed;

  public FileSessionStore(Path path, long expectedSessions) {
    Graphs.configureChronicle();
    this.path = path.toAbsolutePath();
    this.marker = sibling(".open");
    this.overflowDir = sibling(".d");
    Path lockFile = sibling(".lock");
    try {
      Path dir = this.path.getParent();
      if (dir != null) {
        Files.createDirectories(dir);
      }
      lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new SessionStoreException("cannot open session store " + this.path + ": " + e, e);
    }
    FileLock l = null;
    try {
      l = lockChannel.tryLock();
    } catch (OverlappingFileLockException e) {
      l = null; // this process holds it: another engine in this JVM
    } catch (IOException e) {
      closeQuietly();
      throw new SessionStoreException("cannot lock session store " + lockFile + ": " + e, e);
    }
    if (l == null) {
      closeQuietly();
      throw new StoreInUseException("session store " + this.path + " is open in another engine (" + lockFile
          + " is locked); a file store has one engine at a time: close that engine first, or share sessions"
          + " through a shared store (Redis, JDBC)");
    }
    this.lock = l;
    try {
      boolean exists = Files.exists(this.path) && Files.size(this.path) > 0;
      this.recovered = exists && Files.exists(marker);
      File f = this.path.toFile();
      var builder = ChronicleMap.of(String.class, byte[].class)
          .name("ephemera-sessions")
          .valueMarshaller(BytesMarshaller.INSTANCE)
          .entries(expectedSessions)
          .averageKeySize(IdKey.PREFIX.length() + IdKey.CHARS)
          .averageValueSize(AVG_VALUE)
          .maxBloatFactor(BLOAT);
      if (recovered) {
        LOG.log(System.Logger.Level.WARNING, "session store " + this.path + " was not closed cleanly (the last"
            + " engine using it crashed or was killed): recovering it");
        this.map = builder.recoverPersistedTo(f, true);
      } else {
        this.map = builder.createPersistedTo(f);
      }
      Files.writeString(marker, "open by process " + ProcessHandle.current().pid() + "\n");
      deleteOrphans();
    } catch (IOException | RuntimeException e) {
      closeQuietly();
      throw new SessionStoreException("cannot open session store " + this.path + ": " + e, e);
    }
  }

  private Path sibling(String suffix) {
    return path.resolveSibling(path.getFileName() + suffix);
  }

  private void closeQuietly() {
    try {
      lockChannel.close(); // releases the lock too
    } catch (IOException ignored) {
      // nothing more to release
    }
  }

  /** Whether the file was recovered at open because its last owner did not close it. */
  public boolean recovered() {
    return recovered;
  }

  private void open() {
    if (closed) {
      throw new SessionStoreException("session store " + path + " is closed");
    }
  }

  @Override
  public Optional<SessionRecord> load(String id) {
    open();
    byte[] b = map.get(id);
    return b == null ? Optional.empty() : Optional.of(SessionRecord.fromBytes(resolve(id, b), id));
  }

  /** The record's bytes: the map value itself, or the file it points to. */
  private byte[] resolve(String id, byte[] value) {
    if (value.length == 0 || value[0] != OVERFLOW) {
      return value;
    }
    try {
      return Files.readAllBytes(overflowFile(id));
    } catch (IOException e) {
      throw new CorruptRecordException(id, "its record file is unreadable: " + e);
    }
  }

  private Path overflowFile(String id) {
    return overflowDir.resolve(id + ".rec");
  }

  @Override
  public void save(SessionRecord record) {
    open();
    byte[] b = record.toBytes();
    String id = record.id();
    try {
      if (b.length <= INLINE_MAX) {
        byte[] old = map.put(id, b);
        if (old != null && old.length > 0 && old[0] == OVERFLOW) {
          Files.deleteIfExists(overflowFile(id));
        }
      } else {
        Files.createDirectories(overflowDir);
        Path tmp = overflowDir.resolve(id + "." + Thread.currentThread().getId() + ".tmp");
        Files.write(tmp, b);
        Files.move(tmp, overflowFile(id), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        map.put(id, new byte[] {OVERFLOW});
      }
    } catch (IOException | RuntimeException e) {
      throw new SessionStoreException("session store " + path + " could not save " + id + " (" + b.length
          + " bytes): " + e, e);
    }
  }

  @Override
  public boolean delete(String id) {
    open();
    byte[] old = map.remove(id);
    if (old != null && old.length > 0 && old[0] == OVERFLOW) {
      try {
        Files.deleteIfExists(overflowFile(id));
      } catch (IOException e) {
        LOG.log(System.Logger.Level.WARNING, "session store " + path + ": cannot delete " + overflowFile(id) + ": " + e);
      }
    }
    return old != null;
  }

  /** Deletes record files no map entry points to (a crash between writing one and the put, or a delete). */
  private void deleteOrphans() throws IOException {
    if (!Files.isDirectory(overflowDir)) {
      return;
    }
    try (var files = Files.list(overflowDir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        String name = f.getFileName().toString();
        String id = name.endsWith(".rec") ? name.substring(0, name.length() - 4) : null;
        byte[] v = id == null ? null : map.get(id);
        if (v == null || v.length == 0 || v[0] != OVERFLOW) {
          Files.deleteIfExists(f);
        }
      }
    }
  }

  @Override
  public void scan(Consumer<SessionRecord> each, Consumer<CorruptRecordException> corrupt) {
    open();
    List<Map.Entry<String, byte[]>> raw = new ArrayList<>();
    map.forEachEntry(e -> raw.add(Map.entry(e.key().get(), e.value().get())));
    for (Map.Entry<String, byte[]> e : raw) {
      SessionRecord r;
      try {
        r = SessionRecord.fromBytes(resolve(e.getKey(), e.getValue()), e.getKey());
      } catch (CorruptRecordException x) {
        corrupt.accept(x);
        continue;
      }
      each.accept(r);
    }
  }

  /** The number of records. */
  public long size() {
    open();
    return map.longSize();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      map.close();
      Files.deleteIfExists(marker);
    } catch (IOException | RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "closing session store " + path + ": " + e);
    } finally {
      try {
        lock.release();
      } catch (IOException ignored) {
        // closing the channel releases it
      }
      closeQuietly();
    }
  }

  @Override
  public String toString() {
    return "SessionStores.file(" + path + ")";
  }

  /** A raw marshaller for {@code byte[]}: the bytes as they are (not Java serialization). Stateless. */
  static final class BytesMarshaller implements SizedReader<byte[]>, SizedWriter<byte[]>,
      EnumMarshallable<BytesMarshaller> {
    static final BytesMarshaller INSTANCE = new BytesMarshaller();

    private BytesMarshaller() {}

    @Override
    public byte[] read(Bytes<?> in, long size, byte[] using) {
      byte[] b = using != null && using.length == size ? using : new byte[(int) size];
      in.read(b, 0, b.length);
      return b;
    }

    @Override
    public long size(byte[] b) {
      return b.length;
    }

    @Override
    public void write(Bytes<?> out, long size, byte[] b) {
      out.write(b, 0, b.length);
    }

    @Override
    public BytesMarshaller readResolve() {
      return INSTANCE;
    }
  }
}
