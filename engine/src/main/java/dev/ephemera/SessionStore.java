package dev.ephemera;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where an engine keeps its sessions' records so that they outlive the process
 * ({@link SessionEngine.Builder#store(SessionStore)}). Get one from {@link SessionStores}, or write
 * your own: implementations must be thread-safe, and keep the records' bytes
 * ({@link SessionRecord#toBytes()}) as they are.
 *
 * <p>Records are keyed by the public session id. A token starts with its session's id (the 16
 * characters after {@code sess_}), so a resume looks the record up by that id and then compares
 * the hash of the whole token with {@link SessionRecord#tokenHash()} in constant time: the store
 * never sees a token, and a token rotation rewrites one record instead of moving it.
 *
 * <p>The engine that is given a store owns it: it closes the store when it closes.
 */
public interface SessionStore extends AutoCloseable {

  /**
   * The record of session {@code id}, or empty.
   *
   * @throws CorruptRecordException if the record is there but unreadable
   * @throws SessionStoreException if the store cannot be read
   */
  Optional<SessionRecord> load(String id);

  /** Saves (creates or replaces) a record. Durable when it returns, as far as the store is (see README). */
  void save(SessionRecord record);

  /** Deletes session {@code id}'s record; whether there was one. */
  boolean delete(String id);

  /**
   * Calls {@code each} with every readable record, and {@code corrupt} with an error for every
   * unreadable one (which is skipped). The engine scans at start-up to restore sessions (and to
   * purge the expired ones); listings read the engine's memory, not the store.
   */
  void scan(Consumer<SessionRecord> each, Consumer<CorruptRecordException> corrupt);

  /**
   * Whether other engines may use this store at the same time (Redis, a JDBC database). An engine
   * then re-reads a session's record on every resume, so that it sees changes, kills and closes
   * made elsewhere, and checks per-user limits against {@link #sessionsOf(String)}. A store only
   * one engine uses (a file) returns {@code false}: the engine restores every record at start-up
   * and reads its memory after that.
   */
  default boolean shared() {
    return false;
  }

  /**
   * The ids of the sessions signed in as {@code userKey} ({@link Identity#key()}), for per-user
   * limits across engines. The default scans every record.
   */
  default List<String> sessionsOf(String userKey) {
    List<String> ids = new ArrayList<>();
    scan(r -> {
      if (userKey.equals(r.userKey())) {
        ids.add(r.id());
      }
    }, e -> { });
    return ids;
  }

  /**
   * Deletes the records that expired before {@code now} and returns how many. The engine calls it
   * at start-up, so that records of sessions nobody resumed (their engine crashed or closed) do
   * not pile up. The default scans every record; a database does it in one statement.
   */
  default int purgeExpired(Instant now) {
    List<String> expired = new ArrayList<>();
    scan(r -> {
      if (r.expiredAt(now)) {
        expired.add(r.id());
      }
    }, e -> { });
    int n = 0;
    for (String id : expired) {
      if (delete(id)) {
        n++;
      }
    }
    return n;
  }

  /** Releases the store's file, connections or client. Called once, by the engine that owns it. */
  @Override
  void close();
}
