package dev.ephemera;

import dev.ephemera.internal.store.RecordCodec;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link SessionStore} keeps of a session: everything needed to resume it in another
 * process, and nothing that lives only in this one (open transactions, temporary tables and
 * graphs, live queries end with the process).
 *
 * <p>The token itself is never stored: {@link #tokenHash()} is its SHA-256, and a resume compares
 * the hash of the token it is given in constant time. {@link #toBytes()} is the stable binary form
 * stores keep: a version byte, the fields, and a CRC-32, so that a truncated or altered record is
 * recognised ({@link CorruptRecordException}) and a later release can still read the earlier versions
 * (this one writes version 2 and reads 1 and 2).
 *
 * @param id the public session id
 * @param tokenHash SHA-256 of the token (32 bytes)
 * @param identity who is signed in, or {@code null}
 * @param namespace the selected namespace, or {@code null}
 * @param database the selected database, or {@code null}
 * @param variables the session variables (normalized values, see {@link Session#set})
 * @param flash the flash values not yet taken
 * @param priority the session's priority
 * @param client the client the session was opened by (and is bound to, if binding is on)
 * @param createdAt when the session was opened
 * @param lastActiveAt when it was last used (stores see this with up to one second's lag, see README)
 * @param reauthAt when its sign-in expires ({@code reauthInterval}), or {@code null}
 * @param expiresAt when it expires if it is not used again (idle timeout or lifetime, the sooner)
 * @param revision a random number that changes with every save: engines sharing a store compare it
 * @param signedInAt when the current user signed in (or the session was forked from one), or {@code null}
 *     when signed out or not known (version 1 records): restored sessions keep their place in a per-user
 *     limit by it, earliest first
 */
public record SessionRecord(String id, byte[] tokenHash, Identity identity, String namespace, String database,
    Map<String, Object> variables, Map<String, Object> flash, int priority, ClientInfo client, Instant createdAt,
    Instant lastActiveAt, Instant reauthAt, Instant expiresAt, long revision, Instant signedInAt) {

  /** The length of {@link #tokenHash()}. */
  public static final int TOKEN_HASH_BYTES = 32;

  public SessionRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(tokenHash, "tokenHash");
    if (tokenHash.length != TOKEN_HASH_BYTES) {
      throw new IllegalArgumentException("tokenHash must be " + TOKEN_HASH_BYTES + " bytes, not " + tokenHash.length);
    }
    tokenHash = tokenHash.clone();
    variables = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(variables, "variables")));
    flash = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(flash, "flash")));
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(lastActiveAt, "lastActiveAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  /** A record whose sign-in time is not known ({@link #signedInAt()} {@code null}), as version 1 kept it. */
  public SessionRecord(String id, byte[] tokenHash, Identity identity, String namespace, String database,
      Map<String, Object> variables, Map<String, Object> flash, int priority, ClientInfo client, Instant createdAt,
      Instant lastActiveAt, Instant reauthAt, Instant expiresAt, long revision) {
    this(id, tokenHash, identity, namespace, database, variables, flash, priority, client, createdAt, lastActiveAt,
        reauthAt, expiresAt, revision, null);
  }

  /** A copy of the token's hash. */
  @Override
  public byte[] tokenHash() {
    return tokenHash.clone();
  }

  /** The signed-in user's key ({@link Identity#key()}), or {@code null}: what per-user indexes are keyed by. */
  public String userKey() {
    return identity == null ? null : identity.key();
  }

  /** Whether the record has expired at {@code now}. */
  public boolean expiredAt(Instant now) {
    return !now.isBefore(expiresAt);
  }

  /** The stable binary form (version 2). */
  public byte[] toBytes() {
    return RecordCodec.encode(this);
  }

  /**
   * Reads a record written by {@link #toBytes()}.
   *
   * @param storedUnder the id the store kept it under (for the error message), or {@code null}
   * @throws CorruptRecordException if the bytes are truncated, altered or of an unknown version
   */
  public static SessionRecord fromBytes(byte[] bytes, String storedUnder) {
    return RecordCodec.decode(bytes, storedUnder);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SessionRecord r && id.equals(r.id) && Arrays.equals(tokenHash, r.tokenHash)
        && Objects.equals(identity, r.identity) && Objects.equals(namespace, r.namespace)
        && Objects.equals(database, r.database) && RecordCodec.sameValues(variables, r.variables)
        && RecordCodec.sameValues(flash, r.flash) && priority == r.priority && client.equals(r.client)
        && createdAt.equals(r.createdAt) && lastActiveAt.equals(r.lastActiveAt)
        && Objects.equals(reauthAt, r.reauthAt) && expiresAt.equals(r.expiresAt) && revision == r.revision
        && Objects.equals(signedInAt, r.signedInAt);
  }

  @Override
  public int hashCode() {
    return id.hashCode() * 31 + Long.hashCode(revision);
  }

  /** The id, user, selection and times; never the token hash or the variables' values. */
  @Override
  public String toString() {
    return "SessionRecord[" + id + (identity == null ? "" : ", " + identity.key())
        + (namespace == null ? "" : ", " + namespace + (database == null ? "" : "/" + database))
        + ", variables=" + variables.keySet() + ", lastActiveAt=" + lastActiveAt + ", expiresAt=" + expiresAt + "]";
  }
}
