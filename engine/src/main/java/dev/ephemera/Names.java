package dev.ephemera;

/**
 * Validation of the names users give: variables, namespaces, databases and user names are
 * identifiers (an ASCII letter or {@code _}, then ASCII letters, digits or {@code _}), at most
 * {@value #MAX_LENGTH} characters. Being identifiers, they can later be quoted into SQL safely.
 */
public final class Names {
  /** The longest name allowed. */
  public static final int MAX_LENGTH = 128;

  private Names() {}

  /** Returns {@code name} if it is a valid identifier, or throws {@link InvalidNameException}. */
  public static String check(String what, String name) {
    if (name == null) {
      throw new InvalidNameException(what + " name must not be null");
    }
    int n = name.length();
    if (n == 0) {
      throw new InvalidNameException(what + " name must not be empty");
    }
    if (n > MAX_LENGTH) {
      throw new InvalidNameException(
          what + " name is " + n + " characters long; at most " + MAX_LENGTH + " are allowed");
    }
    for (int i = 0; i < n; i++) {
      char c = name.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (i > 0 && c >= '0' && c <= '9');
      if (!ok) {
        throw new InvalidNameException(what + " name '" + printable(name) + "' has an invalid character at index "
            + i + ": names start with a letter or '_' and continue with letters, digits or '_'");
      }
    }
    return name;
  }

  /** The prefix of {@link #h2Role}. */
  public static final String ROLE_PREFIX = "EPH_DB:";

  /**
   * The H2 schema that holds the shared tables of a namespace/database pair, in that pair's own
   * H2 database: {@code "namespace.database"} (quote it in SQL, it is case-sensitive: {@code
   * "shop.orders".ITEMS}).
   *
   * @throws InvalidNameException if either name is invalid
   */
  public static String h2Schema(String namespace, String database) {
    return check("namespace", namespace) + '.' + check("database", database);
  }

  /**
   * The H2 role of a namespace/database pair, in that pair's own H2 database: the sessions that
   * have the database selected hold it, and with it every right on the database's objects. No
   * session can grant it, or anything else (each database is its own H2 database, so there is no
   * other database to grant to).
   *
   * @throws InvalidNameException if either name is invalid
   */
  public static String h2Role(String namespace, String database) {
    return ROLE_PREFIX + h2Schema(namespace, database);
  }

  static String user(String name) {
    return check("user", name);
  }

  static String namespace(String name) {
    return check("namespace", name);
  }

  static String database(String name) {
    return check("database", name);
  }

  private static String printable(String s) {
    StringBuilder b = new StringBuilder(Math.min(s.length(), 40));
    for (int i = 0; i < s.length() && i < 40; i++) {
      char c = s.charAt(i);
      b.append(c < 0x20 || c == 0x7f ? '?' : c);
    }
    return s.length() > 40 ? b.append("...").toString() : b.toString();
  }
}
