package dev.ephemera;

import dev.ephemera.internal.FileSessionStore;
import dev.ephemera.internal.NoStore;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;

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
   * grow to a hundred times that. One engine at a time: a second engine opening the same file gets
   * a {@link StoreInUseException}. After a crash the next open recovers the file (see README).
   *
   * @throws SessionStoreException if the file cannot be created, locked or read
   */
  public static SessionStore file(Path path) {
    return file(path, 10_000);
  }

  /**
   * {@link #file(Path)} sized for {@code expectedSessions} (the file grows to a hundred times that;
   * the size is fixed when the file is created).
   */
  public static SessionStore file(Path path, long expectedSessions) {
    Objects.requireNonNull(path, "path");
    if (expectedSessions < 1 || expectedSessions > 1L << 32) {
      throw new IllegalArgumentException("expectedSessions must be between 1 and 2^32: " + expectedSessions);
    }
    return new FileSessionStore(path, expectedSessions);
  }

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
}
