package dev.ephemera;

import java.util.List;

/**
 * The engine's built-in user registry. Passwords are kept as salted PBKDF2-HMAC-SHA256 hashes
 * and compared in constant time. Thread-safe.
 */
public interface Users {
  /**
   * Defines a user.
   *
   * @throws IllegalStateException if a user with the same identity exists
   */
  void create(Credentials credentials);

  /**
   * Replaces a user's password.
   *
   * @throws IllegalStateException if no such user exists
   */
  void changePassword(Credentials credentials);

  /**
   * Removes a user and ends every session signed in as it ({@link EndReason#KILLED}).
   *
   * @return whether the user existed
   */
  boolean remove(Identity identity);

  /** Whether the user exists. */
  boolean exists(Identity identity);

  /** All defined users, sorted by {@link Identity#key()}. */
  List<Identity> list();
}
