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
 * Session lifecycle: open and end a session with no variables, Ephemera beside the peers a user
 * would pick instead, each through {@link Lifecycle}.
 *
 * <ul>
 *   <li>EPHEMERA: {@code engine.open()} + {@code session.close()};
 *   <li>SPRING_SESSION: {@code MapSessionRepository} createSession + save + deleteById;
 *   <li>SHIRO: {@code DefaultSessionManager} start + stop (validation scheduler off);
 *   <li>FLOOR: 32 bytes from a shared {@code SecureRandom}, base64url, a ConcurrentHashMap put + remove.
 * </ul>
 *
 * <p>Run: {@code ./mvnw -q -pl benchmarks -am package -DskipTests && java -jar benchmarks/target/benchmarks.jar SessionCoreBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {Flags.A1, Flags.A2, Flags.A3, Flags.A4, Flags.A5, Flags.A6, Flags.A7})
public class SessionCoreBenchmark {

  /** One session lifecycle of one implementation. */
  interface Lifecycle {
    Object openAndClose();

    default void close() {}
  }

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
        DefaultSessionManager m = new DefaultSessionManager();
        m.setSessionValidationSchedulerEnabled(false);
        m.setDeleteInvalidSessions(true);
        return () -> {
          org.apache.shiro.session.Session s = m.start(new DefaultSessionContext());
          m.stop(new DefaultSessionKey(s.getId()));
          return s;
        };
      }
    },
    FLOOR {
      @Override
      Lifecycle create() {
        SecureRandom random = new SecureRandom();
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        ConcurrentHashMap<String, Object> map = new ConcurrentHashMap<>();
        return () -> {
          byte[] bytes = new byte[32];
          random.nextBytes(bytes);
          String token = b64.encodeToString(bytes);
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
