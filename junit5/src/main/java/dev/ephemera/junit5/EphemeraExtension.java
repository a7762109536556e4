package dev.ephemera.junit5;

import dev.ephemera.Credentials;
import dev.ephemera.Session;
import dev.ephemera.SessionEngine;
import dev.ephemera.sql.EphemeraDriver;
import dev.ephemera.sql.SessionSql;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.AnnotatedElement;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Injects a fresh {@link Session}, a {@link Connection} of the {@code jdbc:ephemera:} driver, or
 * the class's {@link SessionEngine} into test method parameters. One engine (in-memory H2) serves
 * a test class and is closed after it; each injected session or connection is ended after its
 * test, however the test ends, so that nothing (variables, temporary tables, graphs, transactions)
 * reaches the next test. Settings come from {@link EphemeraTest} on the method or the class.
 * Thread-safe: test methods may run in parallel.
 */
public final class EphemeraExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(EphemeraExtension.class);
  private static final AtomicInteger ENGINES = new AtomicInteger();
  private static final SecureRandom RANDOM = new SecureRandom();

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext context) {
    Class<?> type = p.getParameter().getType();
    return type == Session.class || type == Connection.class || type == SessionEngine.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext context) {
    Class<?> type = p.getParameter().getType();
    ClassEngine engine = engine(context);
    if (type == SessionEngine.class) {
      return engine.engine;
    }
    Settings settings = Settings.of(context);
    ExtensionContext.Store store = context.getStore(NS);
    String key = type.getSimpleName() + "#" + p.getIndex();
    try {
      if (type == Session.class) {
        Session s = engine.open(settings);
        store.put(key, (AutoCloseable) s::close); // closed by JUnit when the test ends
        return s;
      }
      Connection c = engine.connect(settings);
      store.put(key, (AutoCloseable) c::close);
      return c;
    } catch (ExtensionConfigurationException e) {
      throw e; // the annotation is wrong: say so as it is
    } catch (SQLException | IOException | RuntimeException e) {
      throw new ParameterResolutionException("Ephemera could not provide a " + type.getSimpleName() + " for "
          + context.getDisplayName() + ": " + e.getMessage(), e);
    }
  }

  /** The engine of the test class, created on first use and closed with the class's context. */
  private static ClassEngine engine(ExtensionContext context) {
    ExtensionContext c = context;
    while (c.getTestMethod().isPresent() && c.getParent().isPresent()) {
      c = c.getParent().get();
    }
    return c.getStore(NS).getOrComputeIfAbsent(ClassEngine.class, k -> new ClassEngine(), ClassEngine.class);
  }

  /** The settings of {@link EphemeraTest} on the method, else the class (none: defaults). */
  record Settings(String namespace, String database, String user, String seed) {
    static Settings of(ExtensionContext context) {
      Optional<EphemeraTest> a = find(context.getElement());
      if (a.isEmpty()) {
        a = context.getTestClass().flatMap(c -> find(c));
      }
      Settings s = a.map(x -> new Settings(x.namespace(), x.database(), x.user(), x.seed()))
          .orElse(new Settings("", "", "", ""));
      if (!s.database.isEmpty() && s.namespace.isEmpty()) {
        throw new ExtensionConfigurationException("@EphemeraTest: database '" + s.database + "' needs a namespace");
      }
      if (!s.user.isEmpty() && !s.user.equals("root") && s.database.isEmpty()) {
        throw new ExtensionConfigurationException("@EphemeraTest: user '" + s.user + "' is created as a database"
            + " user: give namespace and database (or user = \"root\")");
      }
      return s;
    }

    private static Optional<EphemeraTest> find(Optional<? extends AnnotatedElement> e) {
      return e.flatMap(x -> AnnotationSupport.findAnnotation(x, EphemeraTest.class));
    }

    private static Optional<EphemeraTest> find(AnnotatedElement e) {
      return AnnotationSupport.findAnnotation(e, EphemeraTest.class);
    }

    boolean root() {
      return user.equals("root") || (user.isEmpty() && !namespace.isEmpty());
    }
  }

  /** One test class's engine, its root password, the users made for it and its driver name. */
  static final class ClassEngine implements AutoCloseable {
    final SessionEngine engine;
    final String rootPassword = secret();
    final String driverName = "junit5_" + ENGINES.incrementAndGet();
    /** Passwords of the database users made for the class's tests, by their key. */
    private final ConcurrentHashMap<String, String> users = new ConcurrentHashMap<>();

    ClassEngine() {
      engine = SessionEngine.builder().rootUser("root", rootPassword).passwordHashIterations(1_000)
          .warmUpGraphs(false).build();
      try {
        EphemeraDriver.register(driverName, engine);
      } catch (RuntimeException e) {
        engine.close();
        throw e;
      }
    }

    private static String secret() {
      byte[] b = new byte[18];
      RANDOM.nextBytes(b);
      return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private Credentials credentials(Settings s) {
      if (s.root()) {
        return Credentials.root("root", rootPassword);
      }
      if (s.user.isEmpty()) {
        return null;
      }
      Credentials c = Credentials.database(s.namespace, s.database, s.user,
          users.computeIfAbsent(s.namespace + "/" + s.database + "/" + s.user, k -> secret()));
      synchronized (users) {
        if (engine.users().list().stream().noneMatch(i -> i.equals(c.identity()))) {
          engine.users().create(c);
        }
      }
      return c;
    }

    Session open(Settings s) throws SQLException, IOException {
      Session session = engine.open();
      try {
        Credentials c = credentials(s);
        if (c != null) {
          session.signIn(c);
        }
        if (!s.namespace.isEmpty() && s.root()) {
          session.use(s.namespace, s.database.isEmpty() ? null : s.database);
        }
        for (String statement : seed(s.seed)) {
          SessionSql.execute(session, statement);
        }
        return session;
      } catch (SQLException | IOException | RuntimeException e) {
        session.close();
        throw e;
      }
    }

    Connection connect(Settings s) throws SQLException, IOException {
      Properties p = new Properties();
      Credentials c = credentials(s);
      if (c != null) {
        p.setProperty("user", c.identity().user());
        p.setProperty("password", s.root() ? rootPassword : users.get(s.namespace + "/" + s.database + "/" + s.user));
        p.setProperty("level", s.root() ? "root" : "database");
      }
      if (!s.namespace.isEmpty()) {
        p.setProperty("namespace", s.namespace);
      }
      if (!s.database.isEmpty()) {
        p.setProperty("database", s.database);
      }
      Connection conn = DriverManager.getConnection(EphemeraDriver.PREFIX + "engine:" + driverName, p);
      try (Statement st = conn.createStatement()) {
        for (String statement : seed(s.seed)) {
          st.execute(statement);
        }
      } catch (SQLException | RuntimeException e) {
        conn.close();
        throw e;
      }
      return conn;
    }

    @Override
    public void close() {
      EphemeraDriver.unregister(driverName);
      engine.close();
    }
  }

  /** The statements of a seed script on the class path, split at {@code ;} outside quotes and comments. */
  static List<String> seed(String resource) throws IOException {
    if (resource.isEmpty()) {
      return List.of();
    }
    String text;
    try (InputStream in = EphemeraExtension.class.getResourceAsStream(resource.startsWith("/") ? resource
        : "/" + resource)) {
      if (in == null) {
        throw new ExtensionConfigurationException("@EphemeraTest seed script not found on the class path: " + resource);
      }
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    return SessionSql.statements(text);
  }
}
