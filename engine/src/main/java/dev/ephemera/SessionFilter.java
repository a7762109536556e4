package dev.ephemera;

import java.time.Duration;
import java.util.Objects;

/**
 * Which sessions {@link SessionEngine#sessions(SessionFilter)} lists, and in what order.
 * Immutable: each method returns a new filter.
 *
 * <pre>{@code
 * engine.sessions(SessionFilter.all().user("alice").idleLongerThan(Duration.ofMinutes(30))
 *     .sortedBy(SessionFilter.Order.IDLE).limit(10));
 * }</pre>
 */
public final class SessionFilter {
  /** The order of a listing. */
  public enum Order {
    /** Oldest first (earliest {@code createdAt}). */
    AGE,
    /** Longest idle first. */
    IDLE,
    /** By id: stable, and the default. */
    ID
  }

  private static final SessionFilter ALL = new SessionFilter(null, null, null, Order.ID, Integer.MAX_VALUE);

  private final String user;
  private final Duration idleLongerThan;
  private final Duration openLongerThan;
  private final Order order;
  private final int limit;

  private SessionFilter(String user, Duration idle, Duration open, Order order, int limit) {
    this.user = user;
    this.idleLongerThan = idle;
    this.openLongerThan = open;
    this.order = order;
    this.limit = limit;
  }

  /** Every live session, sorted by id. */
  public static SessionFilter all() {
    return ALL;
  }

  /** Only sessions signed in as a user of this name (at any level). */
  public SessionFilter user(String name) {
    return new SessionFilter(Names.user(name), idleLongerThan, openLongerThan, order, limit);
  }

  /** Only sessions idle for longer than {@code d}. */
  public SessionFilter idleLongerThan(Duration d) {
    return new SessionFilter(user, nonNegative("idleLongerThan", d), openLongerThan, order, limit);
  }

  /** Only sessions open for longer than {@code d}. */
  public SessionFilter openLongerThan(Duration d) {
    return new SessionFilter(user, idleLongerThan, nonNegative("openLongerThan", d), order, limit);
  }

  /** The order of the listing. */
  public SessionFilter sortedBy(Order o) {
    return new SessionFilter(user, idleLongerThan, openLongerThan, Objects.requireNonNull(o, "order"), limit);
  }

  /** At most {@code n} sessions (after sorting). */
  public SessionFilter limit(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("limit must not be negative: " + n);
    }
    return new SessionFilter(user, idleLongerThan, openLongerThan, order, n);
  }

  /** The user name to match, or {@code null} for any. */
  public String user() {
    return user;
  }

  /** The minimum idle time, or {@code null}. */
  public Duration idleLongerThan() {
    return idleLongerThan;
  }

  /** The minimum age, or {@code null}. */
  public Duration openLongerThan() {
    return openLongerThan;
  }

  /** The order of the listing. */
  public Order order() {
    return order;
  }

  /** The most sessions listed. */
  public int limit() {
    return limit;
  }

  /** Whether a snapshot passes the filter's conditions (order and limit aside). */
  public boolean matches(SessionInfo info) {
    if (user != null && !user.equals(info.user())) {
      return false;
    }
    if (idleLongerThan != null && info.idle().compareTo(idleLongerThan) <= 0) {
      return false;
    }
    return openLongerThan == null || info.age().compareTo(openLongerThan) > 0;
  }

  private static Duration nonNegative(String what, Duration d) {
    Objects.requireNonNull(d, what);
    if (d.isNegative()) {
      throw new IllegalArgumentException(what + " must not be negative: " + d);
    }
    return d;
  }

  @Override
  public String toString() {
    return "SessionFilter[user=" + user + ", idleLongerThan=" + idleLongerThan + ", openLongerThan="
        + openLongerThan + ", order=" + order + ", limit=" + limit + "]";
  }
}
