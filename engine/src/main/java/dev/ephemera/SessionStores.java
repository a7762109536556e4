package dev.ephemera;

import dev.ephemera.internal.store.FileSessionStore;
import dev.ephemera.internal.store.JdbcSessionStore;
import dev.ephemera.internal.store.NoStore;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;
import javax.sql.DataSource;

/** The session stores Ephemera ships (see the README's Persistence section). */
public final class SessionStores {
  private SessionStores() {}

  /**
   * No persistence, the default: sessions live in the engine's memory only and end with it.
   */
  public static SessionStore memory() {
    return NoStore.INSTANCE;
  }

  /**
   * Sessions persisted to one file (a Chronicle Map), sized for {@code 10_000} sessions and able to
   * grow to about a hundred times that, counting records of about 512 bytes (sessions with more in
   * their variables take more room; records over 64 KiB are kept in files of their own). When it is
   * full a save throws a {@link SessionStoreException} that says so. {@code path} may name an existing folder: the store then keeps
   * its files in it, as {@value #FILE_IN_FOLDER} and the files beside that one. One engine at a
   * time: a second engine opening the same file gets a {@link StoreInUseException}. After a crash
   * the next open recovers the file (see README).
   *
   * @throws SessionStoreException if the file cannot be created, locked or read
   */
  public static SessionStore file(Path path) {
    return file(path, 10_000);
  }

  /**
   * {@link #file(Path)} sized for {@code expectedSessions} (the file grows to about a hundred times
   * that, counting records of about 512 bytes; the size is fixed when the file is created).
   */
  public static SessionStore file(Path path, long expectedSessions) {
    Objects.requireNonNull(path, "path");
    if (expectedSessions < 1 || expectedSessions > 1L << 32) {
      throw new IllegalArgumentException("expectedSessions must be between 1 and 2^32: " + expectedSessions);
    }
    return new FileSessionStore(Files.isDirectory(path) ? path.resolve(FILE_IN_FOLDER) : path, expectedSessions);
  }

  /** The store's file in a folder given to {@link #file(Path)}. */
  public static final String FILE_IN_FOLDER = "sessions.ephemera";

  /**
   * Opens a store by URI: {@code file:PATH} or {@code memory:}, or any scheme a
   * {@link SessionStoreProvider} on the class path opens (the {@code ephemera-redis-store} module
   * opens {@code redis://host:port}).
   *
   * @throws IllegalArgumentException if the URI is malformed or no provider opens its scheme
   */
  public static SessionStore open(String uri) {
    Objects.requireNonNull(uri, "uri");
    if (uri.equals("memory:")) {
      return memory();
    }
    URI u;
    try {
      u = new URI(uri);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a store URI: " + e.getMessage(), e);
    }
    String scheme = u.getScheme();
    if (scheme == null) {
      throw new IllegalArgumentException("a store URI needs a scheme (file:, memory:, redis://…): '" + uri + "'");
    }
    switch (scheme) {
      case "memory":
        return memory();
      case "file": {
        String p = u.getSchemeSpecificPart();
        if (p == null || p.isEmpty()) {
          throw new IllegalArgumentException("a file store URI needs a path: file:sessions.db");
        }
        return file(Path.of(p));
      }
      default: {
        List<String> known = new ArrayList<>(List.of("file", "memory"));
        for (SessionStoreProvider p : ServiceLoader.load(SessionStoreProvider.class, SessionStores.class.getClassLoader())) {
          if (p.scheme().equalsIgnoreCase(scheme)) {
            return p.open(u);
          }
          known.add(p.scheme());
        }
        throw new IllegalArgumentException("no session store for '" + scheme + ":' URIs (known: " + known + ")"
            + ("redis".equals(scheme) || "rediss".equals(scheme)
                ? "; add the dev.ephemera:ephemera-redis-store module to the class path" : ""));
      }
    }
  }

  /** {@link #open(String)} of a {@code redis://} URI: needs the {@code ephemera-redis-store} module. */
  public static SessionStore redis(String uri) {
    Objects.requireNonNull(uri, "uri");
    if (!uri.startsWith("redis://") && !uri.startsWith("rediss://")) {
      throw new IllegalArgumentException("not a Redis URI (redis://host:port): '" + uri + "'");
    }
    return open(uri);
  }

  /**
   * Sessions in the table {@code ephemera_sessions} of a JDBC database: {@link #jdbc(DataSource, String)}
   * with the default table.
   */
  public static SessionStore jdbc(DataSource dataSource) {
    return jdbc(dataSource, JdbcSessionStore.DEFAULT_TABLE);
  }

  /**
   * Sessions in a table of any JDBC database, shared by every engine that uses the same table
   * ({@link SessionStore#shared()}). The table ({@code id VARCHAR(64) PRIMARY KEY, user_key, expires_at,
   * revision, record}) and its indexes on {@code user_key} and {@code expires_at} are created now if
   * they are missing. PostgreSQL and H2 get their own SQL (an upsert); other databases a portable
   * UPDATE-then-INSERT and a {@code BLOB} column, or a table you create beforehand.
   *
   * <p>Each operation borrows a connection from {@code dataSource} and closes it (give it a pool), and
   * commits if the connection's auto-commit is off: a save is as durable as the database's commit,
   * and the last save of a session wins. Closing the store (the engine does) does not close
   * {@code dataSource}: its owner closes it, after the engine.
   *
   * @param table the table name: an identifier, optionally prefixed by one schema ({@code app.sessions});
   *     letters, digits and {@code _}, at most 128 characters; quoted in SQL, so case-sensitive
   * @throws InvalidNameException if {@code table} is not a valid name (checked before any connection)
   * @throws SessionStoreException if no connection can be had or the table cannot be created
   */
  public static SessionStore jdbc(DataSource dataSource, String table) {
    Objects.requireNonNull(dataSource, "dataSource");
    JdbcSessionStore.checkTable(table);
    return new JdbcSessionStore(dataSource, table, null, Clock.systemUTC());
  }
}
