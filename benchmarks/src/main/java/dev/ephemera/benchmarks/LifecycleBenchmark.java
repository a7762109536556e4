package dev.ephemera.benchmarks;

import dev.ephemera.Session;
import dev.ephemera.SessionEngine;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.session.MapSession;
import org.springframework.session.MapSessionRepository;

/**
 * Session lifecycle: one operation creates a session with no variables and ends it, Ephemera
 * beside the peers a user would pick instead, each behind {@link Lifecycle}.
 *
 * <ul>
 *   <li>EPHEMERA: {@code engine.open()} + {@code session.close()} on an engine built with
 *       {@code SessionEngine.builder().build()};
 *   <li>SPRING_SESSION: {@code MapSessionRepository} over a {@code ConcurrentHashMap}:
 *       {@code createSession()} + {@code save(s)} + {@code deleteById(s.getId())};
 *   <li>SHIRO: {@code DefaultSessionManager} {@code start(new DefaultSessionContext())} +
 *       {@code stop(new DefaultSessionKey(id))}, validation scheduler off, invalidated sessions
 *       deleted;
 *   <li>FLOOR: 32 bytes from one shared {@code SecureRandom}, base64url without padding, a
 *       {@code ConcurrentHashMap} put + remove: the least a session store with random tokens does.
 * </ul>
 *
 * <p>Run (from the repository root):
 *
 * <pre>{@code
 * ./mvnw -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar LifecycleBenchmark -rf json -rff target/jmh-lifecycle.json
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {
    JvmFlags.OPENS_LANG, JvmFlags.OPENS_REFLECT, JvmFlags.EXPORTS_JAVAC_FILE, JvmFlags.EXPORTS_REF,
    JvmFlags.EXPORTS_NIO_CH, JvmFlags.NO_ANALYTICS, JvmFlags.NO_ANNOUNCER})
public class LifecycleBenchmark {

  /** Creates and ends one session of one implementation. */
  interface Lifecycle {
    /** Creates a session and ends it; returns something of it for the blackhole. */
    Object openAndClose();

    /** Releases the implementation after the trial. */
    default void close() {}
  }

  /** The implementations compared. */
  public enum Impl {
    EPHEMERA {
      @Override
      Lifecycle create() {
        SessionEngine engine = SessionEngine.builder().build();
        return new Lifecycle() {
          @Override
          public Object openAndClose() {
            Session s = engine.open();
            s.close();
            return s;
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
      Lifecycle create() {
        MapSessionRepository repo = new MapSessionRepository(new ConcurrentHashMap<>());
        return () -> {
          MapSession s = repo.createSession();
          repo.save(s);
          repo.deleteById(s.getId());
          return s;
        };
      }
    },
    SHIRO {
      @Override
      Lifecycle create() {
        DefaultSessionManager manager = new DefaultSessionManager();
        manager.setSessionValidationSchedulerEnabled(false);
        manager.setDeleteInvalidSessions(true);
        return () -> {
          org.apache.shiro.session.Session s = manager.start(new DefaultSessionContext());
          manager.stop(new DefaultSessionKey(s.getId()));
          return s;
        };
      }
    },
    FLOOR {
      @Override
      Lifecycle create() {
        SecureRandom random = new SecureRandom();
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        ConcurrentHashMap<String, Object> map = new ConcurrentHashMap<>();
        return () -> {
          byte[] bytes = new byte[32];
          random.nextBytes(bytes);
          String token = base64.encodeToString(bytes);
          map.put(token, bytes);
          return map.remove(token);
        };
      }
    };

    abstract Lifecycle create();
  }

  @Param
  Impl impl;

  Lifecycle lifecycle;

  @Setup(Level.Trial)
  public void setUp() {
    lifecycle = impl.create();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    lifecycle.close();
  }

  @Benchmark
  public Object openClose() {
    return lifecycle.openAndClose();
  }
}
