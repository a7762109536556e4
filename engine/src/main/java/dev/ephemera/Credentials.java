package dev.ephemera;

import java.util.Arrays;

/**
 * A user name and password at a level: root, namespace or database. Used to sign a session in
 * ({@link Session#signIn}) and to define users ({@link Users#create}). The password is held as a
 * copy in a {@code char[]} and never appears in {@link #toString()}.
 */
public final class Credentials {
  private final Identity identity;
  private final char[] password;

  private Credentials(Identity identity, String password) {
    if (password == null) {
      throw new IllegalArgumentException("password must not be null");
    }
    this.identity = identity;
    this.password = password.toCharArray();
  }

  /** Credentials of a root user. */
  public static Credentials root(String user, String password) {
    return new Credentials(new Identity(Names.user(user), AuthLevel.ROOT, null, null), password);
  }

  /** Credentials of a user defined in one namespace. */
  public static Credentials namespace(String namespace, String user, String password) {
    return new Credentials(
        new Identity(Names.user(user), AuthLevel.NAMESPACE, Names.namespace(namespace), null), password);
  }

  /** Credentials of a user defined in one database of one namespace. */
  public static Credentials database(String namespace, String database, String user, String password) {
    return new Credentials(new Identity(Names.user(user), AuthLevel.DATABASE,
        Names.namespace(namespace), Names.database(database)), password);
  }

  /** The identity these credentials claim. */
  public Identity identity() {
    return identity;
  }

  /** A copy of the password; clear it when done. */
  public char[] password() {
    return password.clone();
  }

  @Override
  public String toString() {
    return "Credentials[" + identity.key() + ", password=***]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Credentials c && c.identity.equals(identity) && Arrays.equals(c.password, password);
  }

  @Override
  public int hashCode() {
    return identity.hashCode();
  }
}
