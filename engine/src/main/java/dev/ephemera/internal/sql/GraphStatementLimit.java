package dev.ephemera.internal.sql;

import dev.ephemera.QueryTimeoutException;
import dev.ephemera.internal.util.SaturatingMath;
import java.time.Duration;

/**
 * The statement time limit of a graph statement run through SQL. Such a statement runs no H2
 * statement the engine's tick could cancel, so the query calls this check every few thousand
 * rows instead: past the session's limit on the engine's clock it throws
 * {@link QueryTimeoutException} (SQLState {@code 57014}), and once the session has ended, the
 * session's own exception.
 */
public final class GraphStatementLimit {
  private GraphStatementLimit() {}

  /** A check for a graph statement starting now on the session of {@code sql}. */
  public static Runnable check(SessionConnection sql) {
    SqlOwner owner = sql.owner;
    long limit = sql.limitNanos;
    long deadline = limit == Long.MAX_VALUE ? Long.MAX_VALUE : SaturatingMath.add(sql.time.now(), limit);
    return () -> {
      if (!owner.isLive()) {
        throw owner.closed();
      }
      if (deadline != Long.MAX_VALUE && sql.time.now() > deadline) {
        String m = "session " + owner.id() + ": the graph statement ran past its time limit of "
            + Duration.ofNanos(limit) + " and was stopped (nothing it did remains)";
        throw new QueryTimeoutException(m, new java.sql.SQLTimeoutException(m, "57014"), Duration.ofNanos(limit));
      }
    };
  }
}
