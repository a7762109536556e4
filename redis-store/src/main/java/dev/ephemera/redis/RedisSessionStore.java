package dev.ephemera.redis;

import dev.ephemera.CorruptRecordException;
import dev.ephemera.SessionRecord;
import dev.ephemera.SessionStore;
import dev.ephemera.SessionStoreException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * A {@link SessionStore} on a Redis server, shared by every engine that opens it with the same URI
 * and key prefix ({@link #shared()} is {@code true}). Open one with
 * {@code SessionStores.redis("redis://host:6379")} or {@link #open(String)}.
 *
 * <p>Layout, for the key prefix {@code P} (default {@value #DEFAULT_PREFIX}):
 * <ul>
 *   <li>{@code P s:<id>}: a hash per session with the fields {@code rec} (the record's bytes,
 *       {@link SessionRecord#toBytes()}), {@code user} (its {@link SessionRecord#userKey()}, absent if
 *       nobody is signed in) and {@code exp} ({@link SessionRecord#expiresAt()} in epoch
 *       milliseconds). Every save sets the key to expire at {@code expiresAt} ({@code PEXPIREAT}),
 *       so Redis itself drops the sessions nobody resumes.
 *   <li>{@code P u:<userKey>}: a set of the ids of that user's sessions, for per-user limits across
 *       engines. It expires with the user's last session; ids whose hash has expired are dropped
 *       when {@link #sessionsOf(String)} or {@link #purgeExpired(Instant)} meets them.
 * </ul>
 * A save and a delete each run as one Lua script, so the hash and the user index change together.
 * Concurrent saves of one session from two engines: the last writer wins.
 *
 * <p>One thread-safe Lettuce connection serves all callers. The URI's {@code timeout} parameter
 * (for example {@code redis://host:6379?timeout=2s}) bounds connecting and every command; it is
 * {@value #DEFAULT_TIMEOUT_SECONDS} s if the URI does not say. While the connection is down,
 * commands fail at once ({@link SessionStoreException}) and Lettuce reconnects in the background.
 * Redis Cluster and Sentinel are not supported: a save touches the user index key too.
 */
public final class RedisSessionStore implements SessionStore {
  /** The key prefix {@link #open(String)} uses. */
  public static final String DEFAULT_PREFIX = "ephemera:";
  /** The connect and command timeout when the URI gives none. */
  public static final int DEFAULT_TIMEOUT_SECONDS = 5;

  private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
  private static final Pattern USER_INFO = Pattern.compile("(?<=://)[^@/?#]*@");
  private static final int SCAN_PAGE = 200;
  private static final byte[] NO_USER = new byte[0];

  /**
   * KEYS[1] = the session's hash; ARGV = rec, user ('' for none), exp (epoch ms), user set prefix, id.
   * Moves the id between user sets if the user changed, writes the hash, and sets both TTLs.
   */
  private static final Script SAVE = new Script("""
      local old = redis.call('HGET', KEYS[1], 'user')
      local user = ARGV[2]
      if old and old ~= user then
        redis.call('SREM', ARGV[4] .. old, ARGV[5])
      end
      redis.call('HSET', KEYS[1], 'rec', ARGV[1], 'exp', ARGV[3])
      if user == '' then
        redis.call('HDEL', KEYS[1], 'user')
      else
        redis.call('HSET', KEYS[1], 'user', user)
        local set = ARGV[4] .. user
        redis.call('SADD', set, ARGV[5])
        local ttl = redis.call('PTTL', set)
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        if ttl < 0 or now + ttl < tonumber(ARGV[3]) then
          redis.call('PEXPIREAT', set, ARGV[3])
        end
      end
      redis.call('PEXPIREAT', KEYS[1], ARGV[3])
      return 1
      """);

  /** KEYS[1] = the session's hash; ARGV = user set prefix, id. Returns how many keys were deleted. */
  private static final Script DELETE = new Script("""
      local old = redis.call('HGET', KEYS[1], 'user')
      if old then
        redis.call('SREM', ARGV[1] .. old, ARGV[2])
      end
      return redis.call('DEL', KEYS[1])
      """);

  /**
   * KEYS[1] = a user set; ARGV = session key prefix, user key. Returns the ids whose hash still
   * exists and names this user, and removes the others from the set.
   */
  private static final Script LIVE_IDS = new Script("""
      local live = {}
      for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
        if redis.call('HGET', ARGV[1] .. id, 'user') == ARGV[2] then
          live[#live + 1] = id
        else
          redis.call('SREM', KEYS[1], id)
        end
      end
      return live
      """);

  /** KEYS = session hashes; returns their {@code rec} fields (nil where there is none). */
  private static final Script RECORDS = new Script("""
      local out = {}
      for i, key in ipairs(KEYS) do
        out[i] = redis.call('HGET', key, 'rec')
      end
      return out
      """);

  private final String where;
  private final String prefix;
  private final String sessionPrefix;
  private final String userPrefix;
  private final RedisClient client;
  private final StatefulRedisConnection<String, byte[]> connection;
  private final RedisCommands<String, byte[]> redis;
  private final AtomicBoolean closed = new AtomicBoolean();

  private RedisSessionStore(RedisURI uri, String where, String prefix) {
    this.where = where;
    this.prefix = prefix;
    this.sessionPrefix = prefix + "s:";
    this.userPrefix = prefix + "u:";
    Duration timeout = uri.getTimeout();
    RedisClient c = RedisClient.create(uri);
    c.setOptions(ClientOptions.builder()
        .socketOptions(SocketOptions.builder().connectTimeout(timeout).build())
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .build());
    try {
      this.connection = c.connect(CODEC);
    } catch (RuntimeException e) {
      c.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      throw new SessionStoreException("cannot connect to the Redis session store at " + where + ": " + message(e), e);
    }
    this.client = c;
    this.redis = connection.sync();
  }

  /**
   * Opens a store on the Redis server at {@code uri} with the key prefix {@value #DEFAULT_PREFIX}.
   *
   * @param uri {@code redis://[[user]:password@]host[:port][/database][?timeout=5s]}, or
   *     {@code rediss://…} for TLS
   * @throws IllegalArgumentException if {@code uri} is not such a URI
   * @throws SessionStoreException if the server cannot be reached or refuses the connection
   */
  public static RedisSessionStore open(String uri) {
    return open(uri, DEFAULT_PREFIX);
  }

  /**
   * Opens a store whose keys all start with {@code keyPrefix}: engines that should share sessions
   * use the same prefix, and other prefixes keep separate sets of sessions on one server.
   *
   * @param keyPrefix a non-empty prefix without the glob characters {@code * ? [ ] \}
   * @throws IllegalArgumentException if {@code uri} or {@code keyPrefix} is invalid
   * @throws SessionStoreException if the server cannot be reached or refuses the connection
   * @see #open(String)
   */
  public static RedisSessionStore open(String uri, String keyPrefix) {
    Objects.requireNonNull(uri, "uri");
    checkPrefix(Objects.requireNonNull(keyPrefix, "keyPrefix"));
    RedisURI parsed = parse(uri);
    String host = parsed.getHost();
    String where = (parsed.isSsl() ? "rediss://" : "redis://") + (host.contains(":") ? "[" + host + "]" : host)
        + ":" + parsed.getPort() + (parsed.getDatabase() == 0 ? "" : "/" + parsed.getDatabase());
    return new RedisSessionStore(parsed, where, keyPrefix);
  }

  private static void checkPrefix(String keyPrefix) {
    if (keyPrefix.isEmpty()) {
      throw new IllegalArgumentException("the Redis key prefix must not be empty (the default is '" + DEFAULT_PREFIX + "')");
    }
    for (int i = 0; i < keyPrefix.length(); i++) {
      char ch = keyPrefix.charAt(i);
      if ("*?[]\\".indexOf(ch) >= 0 || Character.isISOControl(ch) || Character.isWhitespace(ch)) {
        throw new IllegalArgumentException("the Redis key prefix '" + keyPrefix + "' contains '" + ch
            + "' at index " + i + ": glob characters (* ? [ ] \\), spaces and control characters are not allowed");
      }
    }
  }

  /**
   * Checks {@code uri} and parses it with Lettuce, which is lenient (it takes {@code redis://:6379}
   * for a host named {@code :6379}); sets the default timeout if the URI gives none.
   */
  private static RedisURI parse(String uri) {
    String masked = mask(uri);
    if (!uri.startsWith("redis://") && !uri.startsWith("rediss://")) {
      throw new IllegalArgumentException("not a Redis URI: '" + masked
          + "' (expected redis://host:port or rediss://host:port for TLS)");
    }
    URI u;
    try {
      u = new URI(uri);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("invalid Redis URI '" + masked + "': " + e.getReason() + " at index "
          + e.getIndex(), e);
    }
    String authority = u.getRawAuthority();
    String hostPort = authority == null ? "" : authority.substring(authority.lastIndexOf('@') + 1);
    int colon = hostPort.lastIndexOf(':');
    if (colon > hostPort.lastIndexOf(']')) { // not a colon inside an IPv6 literal
      String port = hostPort.substring(colon + 1);
      if (port.isEmpty() || !port.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
        throw new IllegalArgumentException("invalid Redis URI '" + masked + "': the port '" + port + "' is not a number");
      }
      hostPort = hostPort.substring(0, colon);
    }
    if (hostPort.isEmpty()) {
      throw new IllegalArgumentException("invalid Redis URI '" + masked + "': it names no host (redis://host:port)");
    }
    RedisURI parsed;
    try {
      parsed = RedisURI.create(uri);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("invalid Redis URI '" + masked + "': " + mask(message(e)), e);
    }
    if (parsed.getHost() == null || parsed.getHost().isBlank()) {
      throw new IllegalArgumentException("invalid Redis URI '" + masked + "': it names no host (redis://host:port)");
    }
    if (parsed.getPort() < 1 || parsed.getPort() > 65535) {
      throw new IllegalArgumentException("invalid Redis URI '" + masked + "': port " + parsed.getPort()
          + " is not between 1 and 65535");
    }
    String query = u.getRawQuery();
    if (query == null || Arrays.stream(query.split("&")).noneMatch(p -> p.startsWith("timeout="))) {
      parsed.setTimeout(Duration.ofSeconds(DEFAULT_TIMEOUT_SECONDS));
    }
    return parsed;
  }

  /** {@code uri} with its user and password replaced by {@code ***}, fit for messages and logs. */
  static String mask(String uri) {
    return USER_INFO.matcher(uri).replaceFirst("***@");
  }

  private static String message(Throwable e) {
    String m = e.getMessage();
    Throwable cause = e.getCause();
    if (cause != null && cause.getMessage() != null && (m == null || !m.contains(cause.getMessage()))) {
      m = (m == null ? "" : m + ": ") + cause.getMessage();
    }
    return m == null ? e.getClass().getSimpleName() : m;
  }

  /** The server this store uses (no password), such as {@code redis://127.0.0.1:6379}. */
  public String where() {
    return where;
  }

  /** The prefix of every key this store writes. */
  public String keyPrefix() {
    return prefix;
  }

  /** The Redis key of session {@code id}'s hash. */
  public String sessionKey(String id) {
    return sessionPrefix + id;
  }

  /** The Redis key of the set of {@code userKey}'s session ids. */
  public String userKey(String userKey) {
    return userPrefix + userKey;
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new SessionStoreException("the Redis session store at " + where + " is closed");
    }
  }

  private SessionStoreException failed(String what, RuntimeException e) {
    return new SessionStoreException("the Redis session store at " + where + " could not " + what + ": " + message(e), e);
  }

  @Override
  public Optional<SessionRecord> load(String id) {
    Objects.requireNonNull(id, "id");
    checkOpen();
    byte[] bytes;
    try {
      bytes = redis.hget(sessionKey(id), "rec");
    } catch (RedisException e) {
      throw failed("load session " + id, e);
    }
    return bytes == null ? Optional.empty() : Optional.of(SessionRecord.fromBytes(bytes, id));
  }

  @Override
  public void save(SessionRecord record) {
    Objects.requireNonNull(record, "record");
    checkOpen();
    String user = record.userKey();
    try {
      SAVE.run(redis, ScriptOutputType.INTEGER, new String[] {sessionKey(record.id())},
          record.toBytes(), user == null ? NO_USER : utf8(user),
          utf8(Long.toString(record.expiresAt().toEpochMilli())), utf8(userPrefix), utf8(record.id()));
    } catch (RedisException e) {
      throw failed("save session " + record.id(), e);
    }
  }

  @Override
  public boolean delete(String id) {
    Objects.requireNonNull(id, "id");
    checkOpen();
    try {
      Long n = DELETE.run(redis, ScriptOutputType.INTEGER, new String[] {sessionKey(id)}, utf8(userPrefix), utf8(id));
      return n != null && n > 0;
    } catch (RedisException e) {
      throw failed("delete session " + id, e);
    }
  }

  /**
   * Walks the session hashes with {@code SCAN} (never {@code KEYS}), a page at a time. Sessions
   * saved or deleted during the walk may or may not be seen; none is seen twice.
   */
  @Override
  public void scan(Consumer<SessionRecord> each, Consumer<CorruptRecordException> corrupt) {
    Objects.requireNonNull(each, "each");
    Objects.requireNonNull(corrupt, "corrupt");
    checkOpen();
    Set<String> seen = new HashSet<>();
    ScanArgs args = ScanArgs.Builder.matches(sessionPrefix + "*").limit(SCAN_PAGE);
    ScanCursor cursor = ScanCursor.INITIAL;
    do {
      List<String> keys = new ArrayList<>();
      List<Object> recs;
      try {
        KeyScanCursor<String> page = redis.scan(cursor, args);
        cursor = page;
        for (String key : page.getKeys()) {
          if (seen.add(key)) {
            keys.add(key);
          }
        }
        if (keys.isEmpty()) {
          continue;
        }
        recs = RECORDS.run(redis, ScriptOutputType.MULTI, keys.toArray(new String[0]));
      } catch (RedisException e) {
        throw failed("scan the sessions", e);
      }
      for (int i = 0; i < keys.size(); i++) {
        Object rec = i < recs.size() ? recs.get(i) : null;
        if (!(rec instanceof byte[] bytes)) {
          continue; // expired or deleted since the SCAN
        }
        String id = keys.get(i).substring(sessionPrefix.length());
        SessionRecord r;
        try {
          r = SessionRecord.fromBytes(bytes, id);
        } catch (CorruptRecordException e) {
          corrupt.accept(e);
          continue;
        }
        each.accept(r);
      }
    } while (!cursor.isFinished());
  }

  @Override
  public boolean shared() {
    return true;
  }

  /** The ids in the user's set whose hash still exists; drops the others (expired) from the set. */
  @Override
  public List<String> sessionsOf(String userKey) {
    Objects.requireNonNull(userKey, "userKey");
    checkOpen();
    List<Object> live;
    try {
      live = LIVE_IDS.run(redis, ScriptOutputType.MULTI, new String[] {userKey(userKey)}, utf8(sessionPrefix),
          utf8(userKey));
    } catch (RedisException e) {
      throw failed("list the sessions of " + userKey, e);
    }
    List<String> ids = new ArrayList<>(live.size());
    for (Object o : live) {
      ids.add(new String((byte[]) o, StandardCharsets.UTF_8));
    }
    return ids;
  }

  /**
   * Returns 0: Redis deletes a session's hash itself when its {@code expiresAt} passes. This only
   * drops the ids of such sessions from the per-user sets.
   */
  @Override
  public int purgeExpired(Instant now) {
    checkOpen();
    ScanArgs args = ScanArgs.Builder.matches(userPrefix + "*").limit(SCAN_PAGE);
    ScanCursor cursor = ScanCursor.INITIAL;
    try {
      do {
        KeyScanCursor<String> page = redis.scan(cursor, args);
        cursor = page;
        for (String key : page.getKeys()) {
          LIVE_IDS.run(redis, ScriptOutputType.MULTI, new String[] {key}, utf8(sessionPrefix),
              utf8(key.substring(userPrefix.length())));
        }
      } while (!cursor.isFinished());
    } catch (RedisException e) {
      throw failed("clean the per-user indexes", e);
    }
    return 0;
  }

  /** Closes the connection and the client; later calls do nothing. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      connection.close();
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  @Override
  public String toString() {
    return "RedisSessionStore(" + where + ", prefix " + prefix + ")";
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** A Lua script run by its SHA-1 ({@code EVALSHA}), sent again with {@code EVAL} when the server lacks it. */
  private static final class Script {
    private final String source;
    private final byte[] bytes;
    private volatile String sha;

    Script(String source) {
      this.source = source;
      this.bytes = utf8(source);
    }

    <T> T run(RedisCommands<String, byte[]> redis, ScriptOutputType type, String[] keys, byte[]... args) {
      String s = sha;
      if (s == null) {
        s = redis.digest(bytes);
        sha = s;
      }
      try {
        return redis.evalsha(s, type, keys, args);
      } catch (RedisNoScriptException e) {
        return redis.eval(source, type, keys, args); // EVAL caches it for the next EVALSHA
      }
    }
  }
}
