package dev.ephemera.internal.auth;

import dev.ephemera.Credentials;
import dev.ephemera.Identity;
import dev.ephemera.Users;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The built-in user registry: salted PBKDF2-HMAC-SHA256 hashes, compared in constant time. An
 * unknown user costs the same hashing as a known one, so timing does not tell them apart.
 */
public final class UserRegistry implements Users {
  private static final int SALT_BYTES = 16;
  private static final int HASH_BITS = 256;

  private record Entry(Identity identity, byte[] salt, byte[] hash) {}

  private final ConcurrentHashMap<String, Entry> users = new ConcurrentHashMap<>();
  private final SecureRandom random;
  private final int iterations;
  private final Consumer<Identity> onRemove;
  private final byte[] dummySalt;
  private final byte[] dummyHash;

  public UserRegistry(SecureRandom random, int iterations, Consumer<Identity> onRemove) {
    this.random = random;
    this.iterations = iterations;
    this.onRemove = onRemove;
    this.dummySalt = salt();
    this.dummyHash = new byte[HASH_BITS / 8];
  }

  @Override
  public void create(Credentials credentials) {
    Entry e = entry(credentials);
    if (users.putIfAbsent(e.identity.key(), e) != null) {
      throw new IllegalStateException("user " + e.identity.key() + " already exists");
    }
  }

  @Override
  public void changePassword(Credentials credentials) {
    Entry e = entry(credentials);
    if (users.replace(e.identity.key(), e) == null) {
      throw new IllegalStateException("user " + e.identity.key() + " does not exist");
    }
  }

  @Override
  public boolean remove(Identity identity) {
    boolean existed = users.remove(identity.key()) != null;
    if (existed) {
      onRemove.accept(identity);
    }
    return existed;
  }

  @Override
  public boolean exists(Identity identity) {
    return users.containsKey(identity.key());
  }

  @Override
  public List<Identity> list() {
    return users.values().stream().map(Entry::identity).sorted(Comparator.comparing(Identity::key)).toList();
  }

  /** The identity if the password matches; the same work is done whether or not the user exists. */
  public Optional<Identity> authenticate(Credentials credentials) {
    Entry e = users.get(credentials.identity().key());
    char[] password = credentials.password();
    try {
      byte[] salt = e == null ? dummySalt : e.salt;
      byte[] expected = e == null ? dummyHash : e.hash;
      byte[] actual = hash(password, salt);
      boolean match = MessageDigest.isEqual(actual, expected);
      return match && e != null ? Optional.of(e.identity) : Optional.empty();
    } finally {
      Arrays.fill(password, '\0');
    }
  }

  private Entry entry(Credentials credentials) {
    char[] password = credentials.password();
    try {
      if (password.length == 0) {
        throw new IllegalArgumentException("password must not be empty");
      }
      byte[] salt = salt();
      return new Entry(credentials.identity(), salt, hash(password, salt));
    } finally {
      Arrays.fill(password, '\0');
    }
  }

  private byte[] salt() {
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    return salt;
  }

  private byte[] hash(char[] password, byte[] salt) {
    PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, HASH_BITS);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException ex) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available in this JVM", ex);
    } finally {
      spec.clearPassword();
    }
  }
}
