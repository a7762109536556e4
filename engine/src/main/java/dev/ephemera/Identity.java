package dev.ephemera;

import java.util.Objects;

/**
 * Who a session is signed in as: a user name and the level it is defined at. A namespace user
 * has a namespace and no database; a database user has both; a root user has neither.
 *
 * @param user the user name
 * @param level where the user is defined
 * @param namespace the user's namespace, or {@code null} for a root user
 * @param database the user's database, or {@code null} for a root or namespace user
 */
public record Identity(String user, AuthLevel level, String namespace, String database) {
  public Identity {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(level, "level");
    switch (level) {
      case ROOT -> {
        if (namespace != null || database != null) {
          throw new IllegalArgumentException("a root identity has no namespace or database");
        }
      }
      case NAMESPACE -> {
        if (namespace == null || database != null) {
          throw new IllegalArgumentException("a namespace identity has a namespace and no database");
        }
      }
      case DATABASE -> {
        if (namespace == null || database == null) {
          throw new IllegalArgumentException("a database identity has a namespace and a database");
        }
      }
    }
  }

  /**
   * A key that tells users of different scopes apart: {@code root:alice}, {@code ns:my_ns:alice}
   * or {@code db:my_ns:my_db:alice}. Per-user session limits count sessions by this key.
   */
  public String key() {
    return switch (level) {
      case ROOT -> "root:" + user;
      case NAMESPACE -> "ns:" + namespace + ":" + user;
      case DATABASE -> "db:" + namespace + ":" + database + ":" + user;
    };
  }

  /** Whether this identity may select the given namespace and database ({@code database} may be null). */
  public boolean mayUse(String ns, String db) {
    return switch (level) {
      case ROOT -> true;
      case NAMESPACE -> namespace.equals(ns);
      case DATABASE -> namespace.equals(ns) && (db == null || database.equals(db));
    };
  }
}
