package dev.ephemera.benchmarks;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.ephemera.Session;
import dev.ephemera.SessionEngine;
import java.io.Serializable;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.apache.shiro.session.mgt.DefaultSessionContext;
import org.apache.shiro.session.mgt.DefaultSessionKey;
import org.apache.shiro.session.mgt.DefaultSessionManager;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.session.MapSession;
import org.springframework.session.MapSessionRepository;

/**
 * The hot path with 10,000 live sessions, each holding {@code user = "u<i>"} and two more small
 * string variables, Ephemera beside the peers a user would pick instead, each behind {@link Store}.
 *
 * <ul>
 *   <li>{@code resumeAndGet} (1 thread) and {@code resumeAndGet2Threads} (2 threads): find a random
 *       session by what the client sends, then read {@code user}. EPHEMERA
 *       {@code engine.resume(token).get("user")}; SPRING_SESSION
 *       {@code repo.findById(id).getAttribute("user")}; SHIRO
 *       {@code manager.getAttribute(new DefaultSessionKey(id), "user")}; FLOOR a Caffeine
 *       {@code Cache.getIfPresent(id)} ({@code Caffeine.newBuilder().build()}) + {@code HashMap.get}.
 *   <li>{@code heldGet} / {@code heldSet}: read / write {@code user} on a session the caller already
 *       holds. EPHEMERA {@code session.get} / {@code session.set}; FLOOR a {@code HashMap} get / put
 *       of the same key and values. For reference also SPRING_SESSION (the held {@code MapSession}'s
 *       {@code getAttribute}; {@code setAttribute} + {@code repo.save}, which is how a change is
 *       stored) and SHIRO (the {@code DelegatingSession} from {@code manager.getSession(key)}, whose
 *       every call goes through the manager: look-up, validation, and for a write a DAO update).
 * </ul>
 *
 * <p>Random indices are precomputed per thread and walked in order, so no operation pays for a
 * random number.
 *
 * <p>Three forks, not one: each JVM settles on its own figure for these few-nanosecond operations
 * (where the objects landed relative to G1's regions, code alignment), steady within the fork but
 * as much as 17% apart between forks — the floor's {@code heldSet} was 4.0 ns in one and 4.7 ns in
 * another. The score is the mean over the three.
 *
 * <p>Run (from the repository root):
 *
 * <pre>{@code
 * ./mvnw -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar HotPathBenchmark -rf json -rff target/jmh-hotpath.json
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {
    JvmFlags.OPENS_LANG, JvmFlags.OPENS_REFLECT, JvmFlags.EXPORTS_JAVAC_FILE, JvmFlags.EXPORTS_REF,
    JvmFlags.EXPORTS_NIO_CH, JvmFlags.NO_ANALYTICS, JvmFlags.NO_ANNOUNCER})
public class HotPathBenchmark {
  static final int SESSIONS = 10_000;

  /** How many precomputed indices each thread cycles through (a power of two). */
  static final int INDICES = 1 << 16;

  /** The two values {@code heldSet} alternates between (same length, so same size accounting). */
  static final String[] VALUES = {"alice", "bobby"};

  /** The hot-path operations of one implementation holding {@link #SESSIONS} sessions. */
  interface Store {
    /** Finds session {@code i} by what its client would send and reads {@code user}. */
    Object resumeAndGet(int i);

    /** Reads {@code user} of a session the caller holds. */
    Object heldGet();

    /** Writes {@code user} of a session the caller holds. */
    void heldSet(Object value);

    /** Releases the implementation after the trial. */
    default void close() {}
  }

  /** The implementations compared. */
  public enum Impl {
    EPHEMERA {
      @Override
      Store create() {
        SessionEngine engine = SessionEngine.builder().build();
        String[] tokens = new String[SESSIONS];
        Session held = null;
        for (int i = 0; i < SESSIONS; i++) {
          Session s = engine.open();
          fill(s::set, i);
          tokens[i] = s.token();
          if (i == 0) {
            held = s;
          }
        }
        Session session = held;
        return new Store() {
          @Override
          public Object resumeAndGet(int i) {
            return engine.resume(tokens[i]).get("user");
          }

          @Override
          public Object heldGet() {
            return session.get("user");
          }

          @Override
          public void heldSet(Object value) {
            session.set("user", value);
          }

          @Override
          public void close() {
            engine.close();
          }
        };
      }
    },
    SPRING_SESSION {
      @Override
      Store create() {
        MapSessionRepository repo = new MapSessionRepository(new ConcurrentHashMap<>());
        String[] ids = new String[SESSIONS];
        for (int i = 0; i < SESSIONS; i++) {
          MapSession s = repo.createSession();
          fill(s::setAttribute, i);
          repo.save(s);
          ids[i] = s.getId();
        }
        MapSession held = repo.findById(ids[0]);
        return new Store() {
          @Override
          public Object resumeAndGet(int i) {
            return repo.findById(ids[i]).getAttribute("user");
          }

          @Override
          public Object heldGet() {
            return held.getAttribute("user");
          }

          @Override
          public void heldSet(Object value) {
            held.setAttribute("user", value);
            repo.save(held);
          }
        };
      }
    },
    SHIRO {
      @Override
      Store create() {
        DefaultSessionManager manager = new DefaultSessionManager();
        manager.setSessionValidationSchedulerEnabled(false);
        Serializable[] ids = new Serializable[SESSIONS];
        for (int i = 0; i < SESSIONS; i++) {
          org.apache.shiro.session.Session s = manager.start(new DefaultSessionContext());
          fill(s::setAttribute, i);
          ids[i] = s.getId();
        }
        org.apache.shiro.session.Session held = manager.getSession(new DefaultSessionKey(ids[0]));
        return new Store() {
          @Override
          public Object resumeAndGet(int i) {
            return manager.getAttribute(new DefaultSessionKey(ids[i]), "user");
          }

          @Override
          public Object heldGet() {
            return held.getAttribute("user");
          }

          @Override
          public void heldSet(Object value) {
            held.setAttribute("user", value);
          }
        };
      }
    },
    FLOOR {
      @Override
      Store create() {
        Cache<String, Map<String, Object>> cache = Caffeine.newBuilder().build();
        SplittableRandom random = new SplittableRandom(42);
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        String[] ids = new String[SESSIONS];
        for (int i = 0; i < SESSIONS; i++) {
          byte[] bytes = new byte[32];
          random.nextBytes(bytes);
          ids[i] = base64.encodeToString(bytes); // a 43-character random token, as a store would use
          Map<String, Object> attributes = new HashMap<>();
          fill(attributes::put, i);
          cache.put(ids[i], attributes);
        }
        Map<String, Object> held = cache.getIfPresent(ids[0]);
        return new Store() {
          @Override
          public Object resumeAndGet(int i) {
            return cache.getIfPresent(ids[i]).get("user");
          }

          @Override
          public Object heldGet() {
            return held.get("user");
          }

          @Override
          public void heldSet(Object value) {
            held.put("user", value);
          }
        };
      }
    };

    abstract Store create();

    /** Sets the three variables of session {@code i}. */
    static void fill(BiConsumer<String, Object> set, int i) {
      set.accept("user", "u" + i);
      set.accept("role", "member");
      set.accept("locale", "en_GB");
    }
  }

  /** Each thread's own precomputed random session indices, walked in order. */
  @State(Scope.Thread)
  public static class Cursor {
    private static final AtomicInteger SEEDS = new AtomicInteger();

    int[] indices;
    int next;

    @Setup(Level.Trial)
    public void setUp() {
      indices = new SplittableRandom(SEEDS.incrementAndGet()).ints(INDICES, 0, SESSIONS).toArray();
    }

    int nextIndex() {
      return indices[next++ & (INDICES - 1)];
    }

    Object nextValue() {
      return VALUES[next++ & 1];
    }
  }

  @Param
  Impl impl;

  Store store;

  @Setup(Level.Trial)
  public void setUp() {
    store = impl.create();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    store.close();
  }

  @Benchmark
  public Object resumeAndGet(Cursor cursor) {
    return store.resumeAndGet(cursor.nextIndex());
  }

  @Benchmark
  @Threads(2)
  public Object resumeAndGet2Threads(Cursor cursor) {
    return store.resumeAndGet(cursor.nextIndex());
  }

  @Benchmark
  public Object heldGet() {
    return store.heldGet();
  }

  @Benchmark
  public void heldSet(Cursor cursor) {
    store.heldSet(cursor.nextValue());
  }
}
