package dev.ephemera.benchmarks;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.ephemera.Session;
import dev.ephemera.SessionEngine;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
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
 * The hot path with 10,000 live sessions, each holding three small string variables:
 *
 * <ul>
 *   <li>{@code lookupAndGet} (1 and 2 threads): find a random session by what the client sends,
 *       then read one variable. EPHEMERA {@code engine.resume(token).get("user")}; SPRING_SESSION
 *       {@code findById(id).getAttribute("user")}; SHIRO {@code getAttribute(key, "user")};
 *       FLOOR a Caffeine {@code getIfPresent} + {@code HashMap.get}.
 *   <li>{@code heldGet} / {@code heldSet}: read / write one variable of a session the caller
 *       already holds. EPHEMERA {@code session.get/set}; SPRING_SESSION {@code getAttribute},
 *       {@code setAttribute} + {@code save}; SHIRO the started session's {@code getAttribute} /
 *       {@code setAttribute} (which go through its manager); FLOOR a {@code HashMap} get/put.
 * </ul>
 *
 * <p>Run: {@code ./mvnw -q -pl benchmarks -am package -DskipTests && java -jar benchmarks/target/benchmarks.jar HotPathBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {Flags.A1, Flags.A2, Flags.A3, Flags.A4, Flags.A5, Flags.A6, Flags.A7})
public class HotPathBenchmark {
  static final int SESSIONS = 10_000;
  static final int MASK = 1 << 16;

  /** Lookup + read, and held read/write, of one implementation. */
  interface Store {
    Object lookupAndGet(int i);

    Object heldGet();

    void heldSet(String value);

    default void close() {}
  }

  public enum Impl {
    EPHEMERA {
      @Override
      Store create() {
        SessionEngine engine = SessionEngine.builder().build();
        String[] tokens = new String[SESSIONS];
        Session[] sessions = new Session[SESSIONS];
        for (int i = 0; i < SESSIONS; i++) {
          Session s = engine.open();
          fill(s::set, i);
          sessions[i] = s;
          tokens[i] = s.token();
        }
        Session held = sessions[0];
        return new Store() {
          @Override
          public Object lookupAndGet(int i) {
            return engine.resume(tokens[i]).get("user");
          }

          @Override
          public Object heldGet() {
            return held.get("user");
          }

          @Override
          public void heldSet(String value) {
            held.set("user", value);
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
          public Object lookupAndGet(int i) {
            return repo.findById(ids[i]).getAttribute("user");
          }

          @Override
          public Object heldGet() {
            return held.getAttribute("user");
          }

          @Override
          public void heldSet(String value) {
            held.setAttribute("user", value);
            repo.save(held);
          }
        };
      }
    },
    SHIRO {
      @Override
      Store create() {
        DefaultSessionManager m = new DefaultSessionManager();
        m.setSessionValidationSchedulerEnabled(false);
        DefaultSessionKey[] keys = new DefaultSessionKey[SESSIONS];
        for (int i = 0; i < SESSIONS; i++) {
          org.apache.shiro.session.Session s = m.start(new DefaultSessionContext());
          fill(s::setAttribute, i);
          keys[i] = new DefaultSessionKey(s.getId());
        }
        org.apache.shiro.session.Session held = m.getSession(keys[0]);
        return new Store() {
          @Override
          public Object lookupAndGet(int i) {
            return m.getAttribute(keys[i], "user");
          }

          @Override
          public Object heldGet() {
            return held.getAttribute("user");
          }

          @Override
          public void heldSet(String value) {
            held.setAttribute("user", value);
          }
        };
      }
    },
    FLOOR {
      @Override
      Store create() {
        Cache<String, Map<String, Object>> cache = Caffeine.newBuilder().build();
        String[] ids = new String[SESSIONS];
        for (int i = 0; i < SESSIONS; i++) {
          Map<String, Object> attrs = new HashMap<>();
          fill(attrs::put, i);
          ids[i] = "id-" + i + "-" + Integer.toHexString(i * 0x9E3779B9);
          cache.put(ids[i], attrs);
        }
        Map<String, Object> held = cache.getIfPresent(ids[0]);
        return new Store() {
          @Override
          public Object lookupAndGet(int i) {
            return cache.getIfPresent(ids[i]).get("user");
          }

          @Override
          public Object heldGet() {
            return held.get("user");
          }

          @Override
          public void heldSet(String value) {
            held.put("user", value);
          }
        };
      }
    };

    abstract Store create();

    static void fill(BiConsumer<String, Object> set, int i) {
      set.accept("user", "u" + i);
      set.accept("role", "member");
      set.accept("locale", "en_GB");
    }
  }

  @Param
  Impl impl;

  Store store;
  final String[] values = {"alice", "bob"};

  @Setup(Level.Trial)
  public void setUp() {
    store = impl.create();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    store.close();
  }

  /** Each thread walks its own precomputed random indices. */
  @State(Scope.Thread)
  public static class Cursor {
    final int[] indices = new SplittableRandom(Thread.currentThread().getId()).ints(MASK, 0, SESSIONS).toArray();
    int next;

    int next() {
      return indices[next++ & (MASK - 1)];
    }
  }

  @Benchmark
  public Object lookupAndGet(Cursor c) {
    return store.lookupAndGet(c.next());
  }

  @Benchmark
  @Threads(2)
  public Object lookupAndGet2Threads(Cursor c) {
    return store.lookupAndGet(c.next());
  }

  @Benchmark
  public Object heldGet() {
    return store.heldGet();
  }

  @Benchmark
  public void heldSet(Cursor c) {
    store.heldSet(values[c.next++ & 1]);
  }
}
