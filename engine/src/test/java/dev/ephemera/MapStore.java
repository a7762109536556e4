package dev.ephemera;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A test store over a map of record bytes that several stores (engines) may share: counts saves,
 * can be made to fail, and says whether it is {@link #shared()}.
 */
final class MapStore implements SessionStore {
  final Map<String, byte[]> records;
  final boolean shared;
  final AtomicInteger saves = new AtomicInteger();
  final AtomicInteger deletes = new AtomicInteger();
  volatile boolean failing;
  volatile boolean closed;

  MapStore(Map<String, byte[]> records, boolean shared) {
    this.records = records;
    this.shared = shared;
  }

  MapStore() {
    this(new ConcurrentHashMap<>(), false);
  }

  private void check() {
    if (failing) {
      throw new SessionStoreException("test store: failing on purpose");
    }
    if (closed) {
      throw new SessionStoreException("test store is closed");
    }
  }

  SessionRecord get(String id) {
    byte[] b = records.get(id);
    return b == null ? null : SessionRecord.fromBytes(b, id);
  }

  @Override
  public Optional<SessionRecord> load(String id) {
    check();
    return Optional.ofNullable(get(id));
  }

  @Override
  public void save(SessionRecord record) {
    check();
    records.put(record.id(), record.toBytes());
    saves.incrementAndGet();
  }

  @Override
  public boolean delete(String id) {
    check();
    deletes.incrementAndGet();
    return records.remove(id) != null;
  }

  @Override
  public void scan(Consumer<SessionRecord> each, Consumer<CorruptRecordException> corrupt) {
    check();
    List<Map.Entry<String, byte[]>> all = new ArrayList<>(records.entrySet());
    for (Map.Entry<String, byte[]> e : all) {
      try {
        each.accept(SessionRecord.fromBytes(e.getValue(), e.getKey()));
      } catch (CorruptRecordException x) {
        corrupt.accept(x);
      }
    }
  }

  @Override
  public boolean shared() {
    return shared;
  }

  @Override
  public void close() {
    closed = true;
  }
}
