package dev.ephemera;

import java.sql.SQLException;

/**
 * H2 refused a statement run through a session. It keeps H2's SQLState and error code, and the
 * {@link SQLException} as its cause; the message names the session by its public id. A failed
 * statement changes nothing (H2 undoes it), and an open transaction stays open.
 */
public class SqlException extends EphemeraException {
  private static final long serialVersionUID = 1L;

  private final String sqlState;
  private final int errorCode;

  public SqlException(String message, SQLException cause) {
    super(message, cause);
    this.sqlState = cause.getSQLState();
    this.errorCode = cause.getErrorCode();
  }

  /** H2's SQLState, for example {@code 42S02} for an unknown table. */
  public String sqlState() {
    return sqlState;
  }

  /** H2's vendor error code, for example {@code 42104}. */
  public int errorCode() {
    return errorCode;
  }
}
