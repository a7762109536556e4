package dev.ephemera;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A real PostgreSQL 14 server for the tests: zonky's embedded PostgreSQL in a temporary data directory
 * on a free port, started once for the whole test run by the first class that asks for it (a
 * {@link Server} parameter of a {@code @BeforeAll} method, with {@code @ExtendWith(TestPostgres.class)})
 * and stopped, its data deleted, when the run ends. As root, zonky runs {@code initdb} and
 * {@code postgres} in a user namespace ({@code unshare -U}), since PostgreSQL refuses to run as root.
 *
 * <p>If the server cannot start here, the reason goes to stderr and {@link Server#dataSource()} aborts
 * each test that asks for it: the PostgreSQL tests are reported as skipped, with the reason, never
 * as passed.
 */
final class TestPostgres implements ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(TestPostgres.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Server.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(Server.class, k -> Server.start(), Server.class);
  }

  /** The server, or why it could not start; closed (stopped) by JUnit at the end of the run. */
  static final class Server implements AutoCloseable {
    private final EmbeddedPostgres pg;
    private final String whyNot;

    private Server(EmbeddedPostgres pg, String whyNot) {
      this.pg = pg;
      this.whyNot = whyNot;
    }

    static Server start() {
      try {
        return new Server(EmbeddedPostgres.builder().start(), null);
      } catch (IOException | RuntimeException e) {
        StringBuilder reason = new StringBuilder(e.toString());
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
          reason.append("; caused by ").append(t);
        }
        if ("root".equals(System.getProperty("user.name"))) {
          reason.append(" (this JVM runs as root: initdb and postgres refuse root, and zonky's way around it,"
              + " running them under 'unshare -U', did not work here)");
        }
        System.err.println("PostgreSQL could not start here: " + reason + " -- the PostgreSQL tests are skipped");
        e.printStackTrace();
        return new Server(null, reason.toString());
      }
    }

    /** The {@code postgres} database as its superuser; aborts the calling test if the server did not start. */
    DataSource dataSource() {
      if (pg == null) {
        Assumptions.abort("PostgreSQL could not start here: " + whyNot);
      }
      return pg.getPostgresDatabase();
    }

    /** The {@code postgres} database as {@code user} (without a password: the server trusts local users). */
    DataSource dataSource(String user) {
      dataSource();
      return pg.getDatabase(user, "postgres");
    }

    @Override
    public void close() throws IOException {
      if (pg != null) {
        pg.close();
      }
    }
  }
}
