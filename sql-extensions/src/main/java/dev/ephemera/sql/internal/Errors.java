package dev.ephemera.sql.internal;

import dev.ephemera.AccessDeniedException;
import dev.ephemera.AuthenticationException;
import dev.ephemera.EngineClosedException;
import dev.ephemera.InvalidNameException;
import dev.ephemera.ResourceLimitException;
import dev.ephemera.SessionClosedException;
import dev.ephemera.SessionLimitException;
import dev.ephemera.SessionNotFoundException;
import dev.ephemera.SqlException;
import dev.ephemera.TransactionException;
import dev.ephemera.UnknownSavepointException;
import dev.ephemera.VariableTypeException;
import dev.ephemera.graph.GraphExistsException;
import dev.ephemera.graph.GraphNotFoundException;
import dev.ephemera.graph.GraphQueryException;
import dev.ephemera.graph.NodeNotFoundException;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLInvalidAuthorizationSpecException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLSyntaxErrorException;

/** The engine's exceptions as the {@link SQLException}s (with SQLStates) that SQL callers expect. */
public final class Errors {
  private Errors() {}

  public static SQLException translate(RuntimeException e) {
    if (e instanceof SqlException s && s.getCause() instanceof SQLException cause) {
      return cause; // H2's own error, with its SQLState and position
    }
    String m = e.getMessage();
    if (e instanceof SessionClosedException || e instanceof EngineClosedException) {
      return new SQLNonTransientConnectionException(m, "08003", e);
    }
    if (e instanceof AuthenticationException) {
      return new SQLInvalidAuthorizationSpecException(m, "28000", e);
    }
    if (e instanceof AccessDeniedException) {
      return new SQLSyntaxErrorException(m, "42501", e);
    }
    if (e instanceof InvalidNameException) {
      return new SQLSyntaxErrorException(m, "42602", e);
    }
    if (e instanceof GraphQueryException g) {
      return graphQuery(g);
    }
    if (e instanceof GraphExistsException) {
      return new SQLSyntaxErrorException(m, "42P07", e); // duplicate table, as PostgreSQL says
    }
    if (e instanceof UnknownSavepointException) {
      return new SQLException(m, "3B001", e);
    }
    if (e instanceof TransactionException) {
      return new SQLException(m, "25000", e);
    }
    if (e instanceof GraphNotFoundException || e instanceof NodeNotFoundException
        || e instanceof SessionNotFoundException) {
      return new SQLSyntaxErrorException(m, "42704", e);
    }
    if (e instanceof ResourceLimitException || e instanceof SessionLimitException) {
      return new SQLException(m, "53000", e);
    }
    if (e instanceof IllegalArgumentException || e instanceof VariableTypeException) {
      return new SQLException(m, "22023", e);
    }
    return new SQLException(m == null ? e.toString() : m, "HY000", e);
  }

  /**
   * A graph query's failure, with its message (which ends with the query's line and a caret under
   * the place): a syntax error {@code 42601} as the dialect's own, a query that means nothing
   * {@code 42000}, a value of the wrong type {@code 22000}, any other failure while running {@code HY000}.
   */
  private static SQLException graphQuery(GraphQueryException e) {
    String m = e.getMessage();
    return switch (e.kind()) {
      case SYNTAX -> new SQLSyntaxErrorException(m, "42601", e);
      case SEMANTIC -> new SQLSyntaxErrorException(m, "42000", e);
      case TYPE -> new SQLDataException(m, "22000", e);
      case RUNTIME -> new SQLException(m, "HY000", e);
    };
  }

  static SQLException notFound(String message) {
    return new SQLSyntaxErrorException(message, "42704");
  }
}
