package dev.ephemera.internal.store;

import dev.ephemera.CorruptRecordException;
import dev.ephemera.SessionRecord;
import dev.ephemera.SessionStore;
import java.util.Optional;
import java.util.function.Consumer;

/** {@code SessionStores.memory()}: no persistence. An engine given it keeps no store at all. */
public final class NoStore implements SessionStore {
  public static final NoStore INSTANCE = new NoStore();

  private NoStore() {}

  @Override
  public Optional<SessionRecord> load(String id) {
    return Optional.empty();
  }

  @Override
  public void save(SessionRecord record) {}

  @Override
  public boolean delete(String id) {
    return false;
  }

  @Override
  public void scan(Consumer<SessionRecord> each, Consumer<CorruptRecordException> corrupt) {}

  @Override
  public void close() {}

  @Override
  public String toString() {
    return "SessionStores.memory()";
  }
}
