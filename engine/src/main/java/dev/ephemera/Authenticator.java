package dev.ephemera;

import java.util.Optional;

/**
 * Checks credentials. The engine's built-in user registry ({@link SessionEngine#users()}) is
 * always consulted; an authenticator given to {@link SessionEngine.Builder#authenticator} is asked
 * first, and the registry only when it returns empty.
 *
 * <p>Implementations must be thread-safe, must not throw for wrong credentials (return empty),
 * and should take the same time for an unknown user as for a wrong password.
 */
@FunctionalInterface
public interface Authenticator {
  /** The identity the credentials prove, or empty if they are refused. */
  Optional<Identity> authenticate(Credentials credentials);
}
