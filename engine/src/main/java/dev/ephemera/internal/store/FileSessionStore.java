package dev.ephemera.internal.store;

import dev.ephemera.CorruptRecordException;
import dev.ephemera.SessionRecord;
import dev.ephemera.SessionStore;
import dev.ephemera.SessionStoreException;
import dev.ephemera.StoreInUseException;
import dev.ephemera.internal.util.Chronicle;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
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
 * <p>Each session has two entries ("slots") that saves alternate between, each with a sequence
 * number; a load takes the newer readable one. Chronicle Map updates an entry in place, and its
 * recovery deletes an entry whose write a crash cut short: the other slot still holds the last
 * acknowledged save. (With one entry per session, a kill during a save lost the session: the crash
 * test found it.)
 *
 * <p>A record bigger than {@link #INLINE_MAX} bytes (large variables), or bigger than Chronicle lets an
 * entry be in a store created for few sessions, is written to a file of its own in
 * {@code path.d/} (to a temporary name, then renamed over the slot's old file) and the slot holds a
 * marker for it; Chronicle's entries stay small, and a session of any size the engine allows is
 * stored. Files no slot points to (left by a crash between rename and put) are deleted at open.
 *
 * <p>A save is a {@code put} into the memory-mapped file: once it returns, the record survives the
 * process being killed (the kernel writes the page out). It is not flushed to the disk itself, so a
 * power failure may lose the last seconds.
 */
public final class FileSessionStore implements SessionStore {
  /** A session id's length: {@code sess_} and 16 base64url characters. */
  static final int ID_CHARS = 21;

  private static final System.Logger LOG = System.getLogger("dev.ephemera");
  static final double AVG_VALUE = 512;
  static final double BLOAT = 100;
  /** Records up to this size live in the map; bigger ones in files of their own. */
  public static final int INLINE_MAX = 64 * 1024;
  /**
   * The biggest record this store keeps in the map: {@link #INLINE_MAX}, lowered when Chronicle
   * refuses an entry as too large (a store created for few sessions has small segments).
   */
  private volatile int inlineMax = INLINE_MAX;
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
  private final Object[] stripes = new Object[64];

  public FileSessionStore(Path path, long expectedSessions) {
    Chronicle.configure();
    this.path = path.toAbsolutePath();
    this.marker = sibling(".open");
    this.overflowDir = sibling(".d");
    for (int i = 0; i < stripes.length; i++) {
      stripes[i] = new Object();
    }
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
          .entries(expectedSessions * 2)
          .averageKeySize(ID_CHARS + 2)
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

  // Each session has two slots, "<id>.0" and "<id>.1", holding [sequence (8 bytes)][record or overflow
  // marker]. A save writes the slot with the older sequence and leaves the other alone; a load takes the
  // readable slot with the newer sequence. Chronicle Map updates an entry in place, and recovery after a
  // kill deletes an entry whose write was cut short (its checksum is wrong): with one entry per session
  // that would lose the session; with two, it loses only the write that was never acknowledged.

  private static String slot(String id, int n) {
    return id + "." + n;
  }

  private static long sequence(byte[] v) {
    return v == null || v.length < 9 ? Long.MIN_VALUE : ByteBuffer.wrap(v, 0, 8).getLong();
  }

  private Object lockFor(String id) {
    return stripes[(id.hashCode() & 0x7fffffff) % stripes.length];
  }

  @Override
  public Optional<SessionRecord> load(String id) {
    Objects.requireNonNull(id, "id");
    open();
    if (!nameable(id)) {
      return Optional.empty(); // save refuses such an id: none is stored
    }
    return Optional.ofNullable(newest(id, map.get(slot(id, 0)), map.get(slot(id, 1)), this::fellBack));
  }

  private void fellBack(CorruptRecordException e) {
    LOG.log(System.Logger.Level.WARNING, e.getMessage() + "; using the save before it");
  }

  /**
   * The newer readable slot's record, or {@code null} if neither slot exists. If only the older slot
   * is readable, {@code fellBack} hears about the newer one and the older one is returned; if
   * neither is, the newer one's error is thrown.
   */
  private SessionRecord newest(String id, byte[] a, byte[] b, Consumer<CorruptRecordException> fellBack) {
    if (a == null && b == null) {
      return null;
    }
    boolean aFirst = sequence(a) >= sequence(b);
    byte[] first = aFirst ? a : b;
    byte[] second = aFirst ? b : a;
    int firstSlot = aFirst ? 0 : 1;
    CorruptRecordException failure;
    try {
      return decode(id, firstSlot, first);
    } catch (CorruptRecordException e) {
      failure = e;
    }
    if (second != null) {
      SessionRecord older;
      try {
        older = decode(id, 1 - firstSlot, second); // the newer slot's write was cut short: the one before it
      } catch (CorruptRecordException e) {
        failure.addSuppressed(e);
        throw failure;
      }
      fellBack.accept(failure);
      return older;
    }
    throw failure;
  }

  private SessionRecord decode(String id, int slot, byte[] value) {
    if (value == null || value.length < 9) {
      throw new CorruptRecordException(id, "slot " + slot + " is " + (value == null ? "missing" : "truncated"));
    }
    byte[] body;
    if (value.length == 9 && value[8] == OVERFLOW) {
      try {
        body = Files.readAllBytes(overflowFile(id, slot));
      } catch (IOException e) {
        throw new CorruptRecordException(id, "its record file is unreadable: " + e);
      }
    } else {
      body = Arrays.copyOfRange(value, 8, value.length);
    }
    return SessionRecord.fromBytes(body, id);
  }

  private Path overflowFile(String id, int slot) {
    return inOverflowDir(id, slot + ".rec");
  }

  /**
   * Whether {@code id} can name the store's record files ({@code id.slot.rec}): not empty, no
   * separator, NUL or leading dot. Ids come from the SPI's callers, not only from the engine
   * (whose ids always can), so an id that would name a file elsewhere is refused at save.
   */
  private static boolean nameable(String id) {
    return !id.isEmpty() && id.indexOf('/') < 0 && id.indexOf('\\') < 0 && id.indexOf('\0') < 0 && !id.startsWith(".");
  }

  /** The file {@code id.suffix} in the record-file directory (the id is {@link #nameable}). */
  private Path inOverflowDir(String id, String suffix) {
    Path f = overflowDir.resolve(id + "." + suffix);
    if (!nameable(id) || !overflowDir.equals(f.getParent())) {
      throw new IllegalArgumentException("session store " + path + ": session id '" + id.replaceAll("[^\\x20-\\x7e]", "?")
          + "' does not name a file of the store");
    }
    return f;
  }

  @Override
  public void save(SessionRecord record) {
    Objects.requireNonNull(record, "record");
    open();
    String id = record.id();
    if (!nameable(id)) {
      throw new IllegalArgumentException("session store " + path + ": session id '" + id.replaceAll("[^\\x20-\\x7e]", "?")
          + "' cannot name the store's record files (no '/', '\\', NUL or leading '.')");
    }
    byte[] b = record.toBytes();
    synchronized (lockFor(id)) {
      try {
        long s0 = sequence(map.get(slot(id, 0)));
        long s1 = sequence(map.get(slot(id, 1)));
        int target = s0 <= s1 ? 0 : 1;
        long seq = Math.max(Math.max(s0, s1), 0) + 1;
        boolean inline = b.length <= inlineMax;
        if (inline) {
          try {
            map.put(slot(id, target), ByteBuffer.allocate(8 + b.length).putLong(seq).put(b).array());
          } catch (IllegalArgumentException e) { // a small store's entries cannot be as big: a file then
            if (!String.valueOf(e.getMessage()).contains("Entry is too large")) {
              throw e;
            }
            inlineMax = Math.min(inlineMax, b.length - 1);
            inline = false;
          }
        }
        if (inline) {
          Files.deleteIfExists(overflowFile(id, target)); // it held an older version of this slot
        } else {
          Files.createDirectories(overflowDir);
          Path tmp = inOverflowDir(id, target + ".tmp");
          Files.write(tmp, b);
          Files.move(tmp, overflowFile(id, target), StandardCopyOption.ATOMIC_MOVE,
              StandardCopyOption.REPLACE_EXISTING);
          map.put(slot(id, target), ByteBuffer.allocate(9).putLong(seq).put(OVERFLOW).array());
        }
      } catch (IOException | RuntimeException e) {
        if (e instanceof IllegalStateException && String.valueOf(e.getMessage()).contains("extra segment tier")) {
          throw new SessionStoreException("session store " + path + " is full: it holds about " + (int) BLOAT
              + " times the expectedSessions it was created with, counting records of about " + (int) AVG_VALUE
              + " bytes; it could not save " + id + " (" + b.length + " bytes). Move the sessions to a store"
              + " created for more: SessionStores.file(path, expectedSessions)", e); // Chronicle cannot grow further
        }
        throw new SessionStoreException("session store " + path + " could not save " + id + " (" + b.length
            + " bytes): " + e, e);
      }
    }
  }

  @Override
  public boolean delete(String id) {
    Objects.requireNonNull(id, "id");
    open();
    if (!nameable(id)) {
      return false; // save refuses such an id: none is stored
    }
    synchronized (lockFor(id)) {
      boolean had = map.remove(slot(id, 0)) != null;
      had |= map.remove(slot(id, 1)) != null;
      for (int n = 0; n < 2; n++) {
        try {
          Files.deleteIfExists(overflowFile(id, n));
        } catch (IOException e) {
          LOG.log(System.Logger.Level.WARNING, "session store " + path + ": cannot delete " + overflowFile(id, n)
              + ": " + e);
        }
      }
      return had;
    }
  }

  /** Deletes record files no slot points to (a crash between writing one and the put, or a delete). */
  private void deleteOrphans() throws IOException {
    if (!Files.isDirectory(overflowDir)) {
      return;
    }
    try (var files = Files.list(overflowDir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        String name = f.getFileName().toString();
        byte[] v = name.endsWith(".rec") ? map.get(name.substring(0, name.length() - 4)) : null;
        if (v == null || v.length != 9 || v[8] != OVERFLOW) {
          Files.deleteIfExists(f);
        }
      }
    }
  }

  @Override
  public void scan(Consumer<SessionRecord> each, Consumer<CorruptRecordException> corrupt) {
    open();
    Map<String, byte[][]> slots = new LinkedHashMap<>();
    int[] garbled = {0};
    map.forEachEntry(e -> {
      String key;
      byte[] value;
      try {
        key = e.key().get();
        value = e.value().get();
      } catch (RuntimeException unreadable) { // an entry Chronicle's recovery left garbled (StoreCrashTest saw
        garbled[0]++; // one after a kill of a store that was full): skipped, so the others still load
        corrupt.accept(new CorruptRecordException("entry #" + garbled[0] + " of " + path,
            "Chronicle Map cannot read its key or value: " + unreadable));
        return;
      }
      int dot = key.lastIndexOf('.');
      if (dot > 0) {
        int n = key.charAt(dot + 1) == '1' ? 1 : 0;
        slots.computeIfAbsent(key.substring(0, dot), k -> new byte[2][])[n] = value;
      }
    });
    for (Map.Entry<String, byte[][]> e : slots.entrySet()) {
      SessionRecord r;
      try {
        r = newest(e.getKey(), e.getValue()[0], e.getValue()[1], corrupt);
      } catch (CorruptRecordException x) {
        corrupt.accept(x);
        continue;
      }
      each.accept(r);
    }
  }

  /** The number of sessions with a record (each has one or two slots). */
  public long size() {
    open();
    Set<String> ids = new HashSet<>();
    map.keySet().forEach(k -> ids.add(k.substring(0, k.lastIndexOf('.'))));
    return ids.size();
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
      // never the 'using' array: Chronicle may hand the same one to consecutive gets, and a load reads
      // both slots of a session (records of one length came back as one array: the newer save was lost)
      byte[] b = new byte[(int) size];
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
