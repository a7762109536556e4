package dev.ephemera.internal;

import dev.ephemera.Session;
import dev.ephemera.SessionEngine;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.ServiceLoader;
import org.h2.jdbc.JdbcConnection;

/**
 * What the SQL module ({@code dev.ephemera.sql}) needs from the engine's insides. The package is
 * exported to that module only; applications use the public API.
 */
public final class SqlBridge {
  private SqlBridge() {}

  /**
   * Installs objects into an engine's H2 database (functions, for example) when the engine first
   * opens it, through the engine's own connection. Found with {@link ServiceLoader}.
   */
  public interface Extension {
    /**
     * Installs this extension's objects; runs once per database, before any session uses it, so
     * it must be idempotent ({@code CREATE … IF NOT EXISTS}) for a database that outlives an engine.
     */
    void install(Connection connection) throws SQLException;
  }

  /** The extensions on the class or module path, loaded once. */
  static final class Extensions {
    static final List<Extension> ALL =
        ServiceLoader.load(Extension.class, SqlBridge.class.getClassLoader()).stream()
            .map(ServiceLoader.Provider::get)
            .toList();

    private Extensions() {}
  }

  /**
   * The Ephemera session whose H2 connection {@code connection} belongs to: the nested connection
   * H2 passes to a Java function is bound to the calling H2 session, so this finds the session
   * that runs the statement, never another one. {@code null} for a connection no session owns
   * (a plain H2 connection to the same database, or the engine's own).
   */
  public static Session sessionOf(Connection connection) throws SQLException {
    Object h2 = connection.unwrap(JdbcConnection.class).getSession();
    SessionConnection sql = H2Database.BY_H2_SESSION.get(h2);
    return sql == null ? null : sql.owner;
  }

  /**
   * Sets H2 session variables ({@code @name}) on the session's own H2 connection, opening it if
   * the session has none yet: {@code texts[i]} as a VARCHAR, or NULL, under {@code names[i]}.
   * The driver uses it to hand a statement the values it would otherwise read through a function
   * once per row.
   */
  public static void setH2Variables(Session session, String[] names, String[] texts) {
    if (!(session instanceof SessionImpl s)) {
      throw new IllegalArgumentException("not a session of an Ephemera engine: " + session.getClass().getName());
    }
    s.sql().setH2Variables(names, texts);
  }

  /** Records in the engine's audit log that {@code session} was refused something (a root-only statement). */
  public static void auditDenied(Session session, String reason) {
    if (session instanceof SessionImpl s) {
      s.auditDenied(reason);
    }
  }

  /** The engine a session belongs to (for the dialect's administrative statements). */
  public static SessionEngine engineOf(Session session) {
    if (session instanceof SessionImpl s) {
      return s.engine;
    }
    throw new IllegalArgumentException("not a session of an Ephemera engine: " + session.getClass().getName());
  }
}
