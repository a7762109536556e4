package dev.ephemera;

import java.sql.SQLException;
import java.time.Duration;

/**
 * A statement ran longer than its session's statement time limit ({@code statementTimeout} of the
 * engine, {@link Session#setStatementTimeout} of the session, or a JDBC statement's query timeout)
 * and was cancelled. Like any failed statement it changed nothing, an open transaction stays open,
 * and the session keeps working. Through JDBC it is H2's {@link java.sql.SQLTimeoutException}
 * (SQLState {@code 57014}).
 */
public final class QueryTimeoutException extends SqlException {
  private static final long serialVersionUID = 1L;

  private final Duration limit;

  public QueryTimeoutException(String message, SQLException cause, Duration limit) {
    super(message, cause);
    this.limit = limit;
  }

  /** The limit the statement ran past. */
  public Duration limit() {
    return limit;
  }
}
