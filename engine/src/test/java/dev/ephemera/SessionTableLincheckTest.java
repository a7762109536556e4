package dev.ephemera;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.lang.reflect.Method;
import java.util.Arrays;
import kotlin.Unit;
import org.jetbrains.kotlinx.lincheck.Actor;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
import org.jetbrains.lincheck.datastructures.CustomScenarioDSLKt;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Linearizability of the session table and the per-user limit (Lincheck, stress strategy). Each
 * scenario starts from {@value #SESSIONS} open sessions; threads resume, sign in and out, close and
 * kill them and ask for their state, while other threads list sessions. Every result must be one
 * that some sequential order of the same operations gives ({@link Spec}: which sessions live, which
 * are signed in, in which order). So a session is never lost (a resume of a live one fails),
 * duplicated or resurrected (a resume or a kill of an ended one succeeds), an eviction ends exactly
 * the earliest sign-in, a listing never throws and never shows more than {@value #LIMIT} sessions
 * of the user — the two races issue 26 found (a listing that threw while sessions ended under it,
 * and a limit exceeded while sign-ins raced) are its first regression cases. It found two more: a
 * listing that returned a session already ending, and a sign-in that a concurrent kill of its own
 * session made fail after it had ended another session to make room (fixed: such a sign-in either
 * takes effect before the kill and returns, or changes nothing); and a kill that lost the race to a
 * close returned before the close had stopped calls, so a call made after it went through.
 *
 * <p>A listing reads one session at a time: it is not one atomic step (see README,
 * "Administration"), so its operation here checks what it promises — no exception, never over the
 * limit, no ended session — rather than an exact count.
 *
 * <p>The strategy is stress (real threads). Lincheck's model checker stops at the token encoder's
 * byte-array {@code VarHandle} ("Unsupported VarHandle type"); with those methods declared atomic it
 * runs, but it missed both planted bugs the stress runs below catch at once (an eviction of the
 * newest sign-in instead of the earliest, and the listing without its re-check), so it is not used.
 * Lincheck makes a new instance for every run of a scenario and never closes it, so the instances
 * share one engine and each closes the sessions of the one before it.
 *
 * <p>{@code -Dlincheck.iterations=N} runs more scenarios (the build runs 25).
 */
@Param(name = "session", gen = IntGen.class, conf = "0:2")
public class SessionTableLincheckTest {
  static final int SESSIONS = 3;
  static final int LIMIT = 2;
  /** Any password signs in: hashing would be most of the time Lincheck spends. */
  static final SessionEngine ENGINE = SessionEngine.builder().ticker(new FakeTicker())
      .authenticator(c -> java.util.Optional.of(c.identity()))
      .maxSessionsPerUser(LIMIT, ExceedPolicy.TERMINATE_OLDEST).build();
  static final AtomicInteger INSTANCES = new AtomicInteger();
  static final List<Session> PREVIOUS = new ArrayList<>();

  private final Session[] sessions = new Session[SESSIONS];
  private final String[] tokens = new String[SESSIONS];
  private final String user;

  public SessionTableLincheckTest() {
    synchronized (PREVIOUS) {
      PREVIOUS.forEach(Session::close);
      PREVIOUS.clear();
      user = "u" + INSTANCES.incrementAndGet();
      for (int i = 0; i < SESSIONS; i++) {
        sessions[i] = ENGINE.open();
        tokens[i] = sessions[i].token();
        PREVIOUS.add(sessions[i]);
      }
    }
  }

  @AfterAll
  static void closeEngine() {
    ENGINE.close();
  }

  /** Whether the token the session was opened with finds it (not after a sign-in or sign-out rotated it). */
  @Operation
  public boolean resume(@Param(name = "session") int i) {
    try {
      return ENGINE.resume(tokens[i]).id().equals(sessions[i].id());
    } catch (SessionNotFoundException e) {
      return false;
    }
  }

  @Operation
  public SessionState state(@Param(name = "session") int i) {
    return sessions[i].state();
  }

  /** Signs the session in as this scenario's user (which rotates its token); past the limit the earliest sign-in ends. */
  @Operation
  public String signIn(@Param(name = "session") int i) {
    try {
      sessions[i].signIn(Credentials.database("ns", "db", user, "pw"));
      return "signed in";
    } catch (SessionClosedException e) {
      return "ended";
    }
  }

  @Operation
  public String signOut(@Param(name = "session") int i) {
    try {
      sessions[i].signOut();
      return "signed out";
    } catch (SessionClosedException e) {
      return "ended";
    }
  }

  @Operation
  public void close(@Param(name = "session") int i) {
    sessions[i].close();
  }

  @Operation
  public boolean kill(@Param(name = "session") int i) {
    return ENGINE.kill(sessions[i].id());
  }

  /** A listing of the user's sessions: never throws, never over the limit, never an ended session. */
  @Operation
  public boolean listingHolds() {
    List<SessionInfo> listed = ENGINE.sessions(SessionFilter.all().user(user));
    return listed.size() <= LIMIT && listed.stream().allMatch(s -> s.state() == SessionState.ACTIVE);
  }

  /**
   * Random scenarios of three threads, and the races found before as fixed scenarios, each run
   * {@value #INVOCATIONS} times on real threads.
   */
  @Test
  void stress() {
    StressOptions o = new StressOptions();
    for (ExecutionScenario s : knownRaces()) {
      o.addCustomScenario(s);
    }
    o.iterations(Integer.getInteger("lincheck.iterations", 25)).invocationsPerIteration(INVOCATIONS)
        .threads(3).actorsPerThread(3).sequentialSpecification(Spec.class).check(getClass());
  }

  static final int INVOCATIONS = 1000;

  static List<ExecutionScenario> knownRaces() {
    List<Actor> twoSignedIn = List.of(op("signIn", 0), op("signIn", 1));
    return List.of(
        // a listing while the limit ends the earliest sign-in (once showed 3 sessions of a user limited to 2)
        scenario(twoSignedIn, List.of(op("signIn", 2)), List.of(op("listingHolds"), op("listingHolds"))),
        // a listing while sessions end (once threw a NullPointerException)
        scenario(twoSignedIn, List.of(op("kill", 0), op("close", 1)), List.of(op("listingHolds"), op("listingHolds"))),
        // which sign-in the limit ends, seen from another thread
        scenario(twoSignedIn, List.of(op("signIn", 2)), List.of(op("state", 1), op("state", 0))),
        // a kill racing a sign-in that evicts the same session
        scenario(twoSignedIn, List.of(op("signIn", 2)), List.of(op("kill", 0), op("resume", 1))),
        // a kill of the session signing in (found by the full run: the sign-in ended another session,
        // then failed as ended itself); the post part sees whether the earliest sign-in was ended
        scenario(twoSignedIn, List.of(op("kill", 2)), List.of(op("signIn", 2)), List.of(op("kill", 0), op("state", 1))),
        // a close racing a kill (found by the full run: the kill said "already ended" while the close
        // had not yet stopped calls, and a sign-out that followed the kill went through)
        scenario(List.of(), List.of(op("close", 2)), List.of(op("kill", 2), op("signOut", 2), op("state", 2))));
  }

  /** A scenario: {@code initial} runs first, then {@code a} and {@code b} in two threads. */
  private static ExecutionScenario scenario(List<Actor> initial, List<Actor> a, List<Actor> b) {
    return scenario(initial, a, b, List.of());
  }

  /** {@link #scenario(List, List, List)}, then {@code post} once both threads are done. */
  private static ExecutionScenario scenario(List<Actor> initial, List<Actor> a, List<Actor> b, List<Actor> post) {
    return CustomScenarioDSLKt.scenario(s -> {
      s.initial(t -> {
        t.addAll(initial);
        return Unit.INSTANCE;
      });
      s.parallel(p -> {
        p.thread(t -> {
          t.addAll(a);
          return Unit.INSTANCE;
        });
        p.thread(t -> {
          t.addAll(b);
          return Unit.INSTANCE;
        });
        return Unit.INSTANCE;
      });
      if (!post.isEmpty()) {
        s.post(t -> {
          t.addAll(post);
          return Unit.INSTANCE;
        });
      }
      return Unit.INSTANCE;
    });
  }

  private static Actor op(String name, Object... args) {
    Method m = Arrays.stream(SessionTableLincheckTest.class.getMethods()).filter(x -> x.getName().equals(name))
        .findFirst().orElseThrow();
    return new Actor(m, List.of(args));
  }

  /** The sequential specification: which sessions live, how they ended, the user's sign-in order. */
  public static final class Spec {
    private final SessionState[] state = {SessionState.ACTIVE, SessionState.ACTIVE, SessionState.ACTIVE};
    private final boolean[] rotated = new boolean[SESSIONS];
    /** Sessions signed in as the user, earliest sign-in first. */
    private final List<Integer> signedIn = new ArrayList<>();

    public boolean resume(int i) {
      return state[i] == SessionState.ACTIVE && !rotated[i];
    }

    public SessionState state(int i) {
      return state[i];
    }

    public String signIn(int i) {
      if (state[i] != SessionState.ACTIVE) {
        return "ended";
      }
      rotated[i] = true;
      if (!signedIn.contains(i)) {
        signedIn.add(i);
        if (signedIn.size() > LIMIT) {
          end(signedIn.get(0), SessionState.KILLED);
        }
      }
      return "signed in";
    }

    public String signOut(int i) {
      if (state[i] != SessionState.ACTIVE) {
        return "ended";
      }
      rotated[i] = true;
      signedIn.remove(Integer.valueOf(i));
      return "signed out";
    }

    public void close(int i) {
      end(i, SessionState.CLOSED);
    }

    public boolean kill(int i) {
      boolean live = state[i] == SessionState.ACTIVE;
      end(i, SessionState.KILLED);
      return live;
    }

    public boolean listingHolds() {
      return true;
    }

    private void end(int i, SessionState how) {
      if (state[i] == SessionState.ACTIVE) {
        state[i] = how;
        signedIn.remove(Integer.valueOf(i));
      }
    }
  }
}
