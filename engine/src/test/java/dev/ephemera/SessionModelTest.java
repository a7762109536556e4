package dev.ephemera;

import static org.junit.jupiter.api.Assertions.*;

import dev.ephemera.graph.TempGraph;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;

/**
 * Model-based test of the public session API (jqwik stateful testing). Each try runs a random
 * sequence of public operations — open, set, reset, fork, resume, rotate, sign in and out, use,
 * begin, savepoint, rollback to, commit, rollback, temp table writes, graph edits, close, kill,
 * expiry by advancing virtual time, per-user limit eviction and an engine restart on a file store —
 * against a real engine, and checks it after every step against a small reference model: which
 * sessions live, their variables, user, namespace and database, tokens, rows and graph nodes. A
 * failing sequence is shrunk to the shortest that still fails.
 *
 * <p>The build runs the number of sequences set in {@code junit-platform.properties}
 * ({@code jqwik.tries.default}); {@code -Djqwik.tries.default=N} runs more.
 */
class SessionModelTest {
  static final Duration IDLE = Duration.ofMinutes(30);
  /** Virtual time moves in steps of 7 minutes: an idle time is 28 or 35 minutes, never at the deadline. */
  static final Duration STEP = Duration.ofMinutes(7);
  static final int PER_USER = 2;
  static final Credentials ROOT = Credentials.root("root", "pw");
  static final Credentials ALICE = Credentials.database("shop", "main", "alice", "pw");
  static final List<String> NAMES = List.of("a", "b", "c");
  static final List<String> KEYS = List.of("n0", "n1", "n2", "n3");
  static final List<String> SAVEPOINTS = List.of("p", "q");

  private final List<World> worlds = new ArrayList<>();

  @Property
  void theEngineFollowsTheModelAfterEveryStep(@ForAll("chains") ActionChain<World> chain) {
    chain.withInvariant("the listing matches the model", World::checkListing).run();
  }

  @AfterTry
  void closeWorlds() {
    worlds.forEach(World::close);
    worlds.clear();
  }

  @Provide
  Arbitrary<ActionChain<World>> chains() {
    return ActionChain.<World>startWith(() -> {
          World w = new World();
          worlds.add(w);
          return w;
        })
        .withAction(3, new Open())
        .withAction(4, onSession("set", s -> Combinators.combine(Arbitraries.of(NAMES), Arbitraries.longs().between(0, 9))
            .as((name, value) -> w -> {
              s.apply(w).handle.set(name, value);
              s.apply(w).vars.put(name, value);
            })))
        .withAction(2, onSession("reset", s -> Arbitraries.of(NAMES).map(name -> w -> {
          Model m = s.apply(w);
          assertEquals(m.vars.containsKey(name), m.handle.reset(name), "reset(" + name + ") says whether it was set");
          m.vars.remove(name);
        })))
        .withAction(1, onSession("resetAll", s -> Arbitraries.just(w -> {
          s.apply(w).handle.resetAll();
          s.apply(w).vars.clear();
        })))
        .withAction(2, onSession("fork", s -> Arbitraries.just(w -> w.fork(s.apply(w)))))
        .withAction(2, onSession("resume", s -> Arbitraries.just(w -> {
          Model m = s.apply(w);
          Session again = w.engine.resume(m.token);
          assertEquals(m.id, again.id());
          m.handle = again;
        })))
        .withAction(1, onSession("rotateToken", s -> Arbitraries.just(w -> {
          Model m = s.apply(w);
          String old = m.token;
          m.token = m.handle.rotateToken();
          w.assertTokenDead(old);
        })))
        .withAction(2, onSession("signIn", s -> Arbitraries.of(ROOT, ALICE).map(c -> w -> w.signIn(s.apply(w), c))))
        .withAction(1, onSession("signOut", s -> Arbitraries.just(w -> w.signOut(s.apply(w)))))
        .withAction(1, onSession("use", s -> Arbitraries.of("main", "other").map(db -> w -> w.use(s.apply(w), db))))
        .withAction(2, onSession("begin", s -> Arbitraries.just(w -> {
          Model m = s.apply(w);
          if (m.tx != null) {
            assertThrows(TransactionException.class, m.handle::begin, "one transaction at a time");
          } else {
            m.tx = new Tx(m.handle.begin(), m.snapshot());
          }
        })))
        .withAction(2, onSession("savepoint", s -> Arbitraries.of(SAVEPOINTS).map(name -> w -> {
          Model m = s.apply(w);
          if (m.tx == null) {
            return;
          }
          m.tx.tx.savepoint(name);
          m.tx.savepoints.add(Map.entry(name, m.snapshot()));
        })))
        .withAction(2, onSession("rollbackTo", s -> Arbitraries.of(SAVEPOINTS).map(name -> w -> w.rollbackTo(s.apply(w), name))))
        .withAction(1, onSession("commit", s -> Arbitraries.just(w -> {
          Model m = s.apply(w);
          if (m.tx != null) {
            m.tx.tx.commit();
            m.tx = null;
          }
        })))
        .withAction(1, onSession("rollback", s -> Arbitraries.just(w -> {
          Model m = s.apply(w);
          if (m.tx != null) {
            m.tx.tx.rollback();
            m.restore(m.tx.begin);
            m.tx = null;
          }
        })))
        .withAction(3, onSession("insert", s -> Arbitraries.integers().between(0, 99).map(n -> w -> {
          Model m = s.apply(w);
          if (!m.table) {
            m.handle.createTempTable("t", "k INT");
            m.table = true;
          }
          assertEquals(1, m.handle.execute("INSERT INTO t VALUES (?)", n));
          m.rows++;
        })))
        .withAction(3, onSession("addNode", s -> Arbitraries.of(KEYS).map(key -> w -> {
          Model m = s.apply(w);
          if (m.nodes == null) {
            m.handle.createTempGraph("g");
            m.nodes = new TreeSet<>();
          }
          assertEquals(m.nodes.add(key), m.handle.tempGraph("g").addNode(key, Set.of(), Map.of()), "addNode(" + key + ") is new");
        })))
        .withAction(2, onSession("removeNode", s -> Arbitraries.of(KEYS).map(key -> w -> {
          Model m = s.apply(w);
          if (m.nodes != null) {
            assertEquals(m.nodes.remove(key), m.handle.tempGraph("g").removeNode(key), "removeNode(" + key + ") existed");
          }
        })))
        .withAction(1, onSession("close", s -> Arbitraries.just(w -> w.end(s.apply(w), m -> m.handle.close(), SessionState.CLOSED))))
        .withAction(1, onSession("kill", s -> Arbitraries.just(w -> w.end(s.apply(w), m -> assertTrue(w.engine.kill(m.id)), SessionState.KILLED))))
        .withAction(2, new Advance())
        .withAction(1, new Restart())
        .withMaxTransformations(40);
  }

  /**
   * An action on one live session, chosen by its place among the live ones when the action is
   * generated. The check of the session's variables after the change is common to all.
   */
  private static Action.Dependent<World> onSession(
      String what, Function<Function<World, Model>, Arbitrary<Consumer<World>>> change) {
    return new Action.Dependent<>() {
      @Override
      public boolean precondition(World w) {
        return !w.live.isEmpty();
      }

      @Override
      public Arbitrary<Transformer<World>> transformer(World state) {
        // the session is picked by its place when the step runs: ids are random, and a shrunk
        // sequence runs again with other ones
        return Arbitraries.integers().between(0, state.live.size() - 1).flatMap(index -> {
          Function<World, Model> pick = w -> w.live.get(index % w.live.size());
          return change.apply(pick).map(c -> Transformer.<World>mutate(what + " on session #" + index, w -> {
            if (w.live.isEmpty()) {
              return; // a shrunk sequence may have lost the session's opening
            }
            w.tick();
            Model m = pick.apply(w);
            m.lastActive = w.now();
            c.accept(w);
            w.checkVariables();
          }));
        });
      }
    };
  }

  static final class Open implements Action.Independent<World> {
    @Override
    public Arbitrary<Transformer<World>> transformer() {
      return Arbitraries.just(Transformer.mutate("open", World::open));
    }
  }

  static final class Advance implements Action.Independent<World> {
    @Override
    public Arbitrary<Transformer<World>> transformer() {
      return Arbitraries.just(Transformer.mutate("advance 7 min", World::advance));
    }
  }

  static final class Restart implements Action.Independent<World> {
    @Override
    public Arbitrary<Transformer<World>> transformer() {
      return Arbitraries.just(Transformer.mutate("restart the engine", World::restart));
    }
  }

  /** The state jqwik threads through a sequence: the engine under test and the model beside it. */
  static final class World {
    final VirtualTime time = new VirtualTime();
    final Path folder;
    SessionEngine engine;
    final List<Model> live = new ArrayList<>();
    long signIns;

    World() {
      try {
        folder = Files.createTempDirectory("ephemera-model");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      engine = build();
    }

    private SessionEngine build() {
      SessionEngine e = time.builder().rootUser(ROOT.identity().user(), "pw").idleTimeout(IDLE)
          .maxSessionsPerUser(PER_USER, ExceedPolicy.TERMINATE_OLDEST)
          .store(SessionStores.file(folder, 1_000)).build();
      e.users().create(ALICE);
      return e;
    }

    long now() {
      return time.ticker().read();
    }

    /** A millisecond passes before each step, as in real time: no two sign-ins share an instant. */
    void tick() {
      time.advance(Duration.ofMillis(1));
    }

    void open() {
      tick();
      Session s = engine.open();
      Model m = new Model(s);
      m.lastActive = now();
      live.add(m);
    }

    void fork(Model m) {
      Session f = m.handle.fork();
      Model copy = new Model(f);
      copy.lastActive = now();
      copy.vars.putAll(m.vars);
      copy.user = m.user;
      copy.namespace = m.namespace;
      copy.database = m.database;
      live.add(copy);
      if (copy.user != null) {
        copy.signInOrder = ++signIns;
        evictOverLimit(copy.user);
      }
    }

    void signIn(Model m, Credentials c) {
      if (m.tx != null || m.table) {
        return; // leaving a database with work open is its own test (TransactionTest)
      }
      String old = m.token;
      Identity id = m.handle.signIn(c);
      assertEquals(c.identity().user(), id.user());
      m.token = m.handle.token();
      assertTokenDead(old);
      if (c == ALICE) {
        m.namespace = "shop";
        m.database = "main";
      } // root keeps the selection: it may use any
      if (!id.user().equals(m.user)) { // signing in again as the same user keeps its place in the limit
        m.user = id.user();
        m.signInOrder = ++signIns;
        evictOverLimit(m.user);
      }
    }

    void signOut(Model m) {
      if (m.tx != null || m.table) {
        return;
      }
      String old = m.token;
      m.handle.signOut();
      m.token = m.handle.token();
      assertTokenDead(old);
      m.user = null;
      m.namespace = null;
      m.database = null;
    }

    void use(Model m, String database) {
      if (m.tx != null || m.table) {
        return;
      }
      boolean allowed = "root".equals(m.user) || ("alice".equals(m.user) && database.equals("main"));
      if (!allowed) {
        assertThrows(AccessDeniedException.class, () -> m.handle.use("shop", database));
        return;
      }
      m.handle.use("shop", database);
      m.namespace = "shop";
      m.database = database;
    }

    void rollbackTo(Model m, String name) {
      if (m.tx == null) {
        return;
      }
      int at = -1;
      for (int i = m.tx.savepoints.size() - 1; i >= 0 && at < 0; i--) {
        if (m.tx.savepoints.get(i).getKey().equals(name)) {
          at = i;
        }
      }
      if (at < 0) {
        assertThrows(UnknownSavepointException.class, () -> m.tx.tx.rollbackTo(name));
        return;
      }
      m.tx.tx.rollbackTo(name);
      m.restore(m.tx.savepoints.get(at).getValue());
      m.tx.savepoints.subList(at + 1, m.tx.savepoints.size()).clear();
    }

    /** The user's sessions over its limit end, the earliest sign-in first. */
    private void evictOverLimit(String user) {
      List<Model> of = live.stream().filter(m -> user.equals(m.user))
          .sorted(Comparator.comparingLong((Model m) -> m.signInOrder)).collect(Collectors.toList());
      for (int i = 0; i < of.size() - PER_USER; i++) {
        Model gone = of.get(i);
        live.remove(gone);
        assertNotEquals(SessionState.ACTIVE, gone.handle.state(), "over the limit, " + gone.id + " should have ended");
        assertTokenDead(gone.token);
      }
    }

    void end(Model m, Consumer<Model> how, SessionState expected) {
      how.accept(m);
      live.remove(m);
      assertEquals(expected, m.handle.state());
      assertThrows(SessionClosedException.class, () -> m.handle.get("a"));
      assertTokenDead(m.token);
    }

    void advance() {
      time.advance(STEP);
      engine.runMaintenance();
      for (Model m : new ArrayList<>(live)) {
        if (now() - m.lastActive >= IDLE.toNanos()) {
          live.remove(m);
          assertEquals(SessionState.EXPIRED, m.handle.state(), m.id + " idle for " + Duration.ofNanos(now() - m.lastActive));
          assertTokenDead(m.token);
        }
      }
    }

    /**
     * The engine closes and a new one opens on the same file store: each live session comes back
     * with its committed variables and its sign-in; transactions, temp tables and graphs are gone.
     */
    void restart() {
      engine.close();
      for (Model m : live) {
        assertThrows(SessionClosedException.class, () -> m.handle.get("a"));
      }
      engine = build();
      for (Model m : live) {
        if (m.tx != null) {
          m.vars.clear();
          m.vars.putAll(m.tx.begin.vars());
          m.tx = null;
        }
        m.table = false;
        m.rows = 0;
        m.nodes = null;
        m.handle = engine.resume(m.token);
        m.lastActive = now();
      }
      checkVariables();
    }

    void assertTokenDead(String token) {
      assertThrows(SessionNotFoundException.class, () -> engine.resume(token));
    }

    /** Reads the sessions' variables, rows and nodes (this touches them, so only after an action). */
    void checkVariables() {
      for (Model m : live) {
        assertEquals(new TreeMap<>(m.vars), new TreeMap<>(m.handle.variables()), "variables of " + m.id);
        assertEquals(m.table ? List.of("T") : List.of(), m.handle.tempTables().stream().map(String::toUpperCase).toList(),
            "temp tables of " + m.id);
        if (m.table) {
          assertEquals((long) m.rows, ((Number) m.handle.query("SELECT COUNT(*) FROM t").rows().get(0).get(0)).longValue(),
              "rows of " + m.id);
        }
        if (m.nodes == null) {
          assertEquals(List.of(), m.handle.tempGraphs(), "graphs of " + m.id);
        } else {
          assertEquals(List.copyOf(m.nodes), m.handle.tempGraph("g").nodes().stream().sorted().toList(), "nodes of " + m.id);
        }
        m.lastActive = now();
      }
    }

    /** The invariant: the administrator's listing (which touches nothing) is the model's. */
    void checkListing() {
      Map<String, SessionInfo> listed = engine.sessions().stream().collect(Collectors.toMap(SessionInfo::id, i -> i));
      assertEquals(live.stream().map(m -> m.id).collect(Collectors.toCollection(TreeSet::new)), new TreeSet<>(listed.keySet()),
          "live sessions");
      for (Model m : live) {
        SessionInfo i = listed.get(m.id);
        assertEquals(SessionState.ACTIVE, i.state());
        assertEquals(m.user, i.user(), "user of " + m.id);
        assertEquals(m.namespace, i.namespace(), "namespace of " + m.id);
        assertEquals(m.database, i.database(), "database of " + m.id);
      }
      assertEquals(live.stream().filter(m -> m.nodes != null).count(), engine.stats().tempGraphs(), "temp graphs");
    }

    void close() {
      engine.close();
      try (Stream<Path> files = Files.walk(folder)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public String toString() {
      return live.toString();
    }
  }

  /** What the model knows of one live session. */
  static final class Model {
    Session handle;
    final String id;
    String token;
    final Map<String, Object> vars = new HashMap<>();
    String user;
    String namespace;
    String database;
    long signInOrder;
    long lastActive;
    Tx tx;
    boolean table;
    int rows;
    TreeSet<String> nodes;

    Model(Session s) {
      handle = s;
      id = s.id();
      token = s.token();
    }

    Snapshot snapshot() {
      return new Snapshot(Map.copyOf(vars), rows, nodes == null ? Set.of() : Set.copyOf(nodes));
    }

    void restore(Snapshot s) {
      vars.clear();
      vars.putAll(s.vars());
      rows = s.rows();
      if (nodes != null) {
        nodes = new TreeSet<>(s.nodes());
      }
    }

    @Override
    public String toString() {
      return id + (user == null ? "" : "/" + user) + vars;
    }
  }

  record Snapshot(Map<String, Object> vars, int rows, Set<String> nodes) {}

  static final class Tx {
    final Transaction tx;
    final Snapshot begin;
    final List<Map.Entry<String, Snapshot>> savepoints = new ArrayList<>();

    Tx(Transaction tx, Snapshot begin) {
      this.tx = tx;
      this.begin = begin;
    }
  }
}
