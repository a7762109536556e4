package dev.ephemera.internal.sql;

import dev.ephemera.Names;
import dev.ephemera.Savepoint;
import dev.ephemera.Transaction;
import dev.ephemera.TransactionException;
import dev.ephemera.UnknownSavepointException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A session's transaction: H2's transaction on the session's connection, the session's
 * {@link UndoLog} for everything outside H2, and the live-query changes waiting for the commit,
 * rolled back together. Every method runs as a call on the session (it cannot be torn down
 * mid-call) under the session's SQL lock.
 */
public final class TransactionImpl implements Transaction {
  private final SessionConnection sql;
  final UndoLog log = new UndoLog();
  private final ArrayList<Sp> stack = new ArrayList<>(); // under sql.lock
  private volatile boolean active = true;

  /** A savepoint: where the undo log and the pending changes stood, and H2's savepoint. */
  private final class Sp implements Savepoint {
    final String name;
    final int logMark;
    final int pendingMark;
    final java.sql.Savepoint h2;
    /** Which H2 savepoint name (by depth) this one uses; equal to the one below when shared. */
    final int h2Depth;
    /** The session's statement count when the state last equalled this savepoint's. */
    long statementsMark;
    volatile boolean valid = true;

    Sp(String name, int logMark, int pendingMark, java.sql.Savepoint h2, int h2Depth, long statementsMark) {
      this.name = name;
      this.logMark = logMark;
      this.pendingMark = pendingMark;
      this.h2 = h2;
      this.h2Depth = h2Depth;
      this.statementsMark = statementsMark;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public boolean isValid() {
      return valid;
    }

    @Override
    public String toString() {
      return "Savepoint[" + name + (valid ? "" : ", no longer valid") + "]";
    }
  }

  TransactionImpl(SessionConnection sql) {
    this.sql = sql;
  }

  /** Runs {@code body} as a call on the session, under its SQL lock, on this open transaction. */
  private <T> T call(SqlOwner.Work<T> body) {
    return sql.owner.call(() -> {
      sql.lock.lock();
      try {
        if (!active || sql.tx != this) {
          throw new TransactionException("the transaction of session " + sql.owner.id() + " has ended");
        }
        return body.run();
      } catch (SQLException e) {
        throw sql.translate(e);
      } finally {
        sql.lock.unlock();
      }
    });
  }

  @Override
  public Savepoint savepoint(String name) {
    Names.check("savepoint", name);
    return call(() -> {
      int logMark = log.size();
      int pendingMark = sql.live.mark();
      long statements = sql.statements();
      Sp top = stack.isEmpty() ? null : stack.get(stack.size() - 1);
      Sp sp;
      if (top != null && top.statementsMark == statements && top.logMark == logMark && top.pendingMark == pendingMark) {
        // nothing changed since the savepoint below (typically: right after rolling back to it):
        // share its H2 savepoint, so that a loop of savepoint/rollbackTo does not pile up in H2
        sp = new Sp(name, logMark, pendingMark, top.h2, top.h2Depth, statements);
      } else {
        int depth = top == null ? 0 : top.h2Depth + 1;
        sp = new Sp(name, logMark, pendingMark, sql.h2Savepoint(depth), depth, statements);
      }
      stack.add(sp);
      return sp;
    });
  }

  @Override
  public void rollbackTo(Savepoint savepoint) {
    Objects.requireNonNull(savepoint, "savepoint");
    call(() -> {
      rollbackTo(indexOf(savepoint));
      return null;
    });
  }

  @Override
  public void rollbackTo(String name) {
    Objects.requireNonNull(name, "name");
    call(() -> {
      rollbackTo(indexOf(name));
      return null;
    });
  }

  private void rollbackTo(int i) throws SQLException {
    Sp sp = stack.get(i);
    sql.h2RollbackTo(sp.h2);
    log.undoTo(sp.logMark);
    sql.live.truncate(sp.pendingMark);
    popAbove(i + 1);
    sp.statementsMark = sql.statements(); // the state is the savepoint's again
  }

  @Override
  public void release(String name) {
    Objects.requireNonNull(name, "name");
    call(() -> {
      popAbove(indexOf(name));
      return null;
    });
  }

  @Override
  public void release(Savepoint savepoint) {
    Objects.requireNonNull(savepoint, "savepoint");
    call(() -> {
      popAbove(indexOf(savepoint));
      return null;
    });
  }

  /** Removes the savepoints from index {@code from} on (H2's copies are overwritten by name later). */
  private void popAbove(int from) {
    for (int i = stack.size() - 1; i >= from; i--) {
      stack.remove(i).valid = false;
    }
  }

  private int indexOf(String name) {
    for (int i = stack.size() - 1; i >= 0; i--) {
      if (stack.get(i).name.equals(name)) {
        return i;
      }
    }
    throw new UnknownSavepointException(name, "session " + sql.owner.id() + ": no savepoint '" + shortName(name)
        + "' in this transaction (in force: " + savepointNames() + ")");
  }

  private int indexOf(Savepoint savepoint) {
    int i = stack.lastIndexOf(savepoint); // from the top: the usual target is near it
    if (i < 0) {
      throw new UnknownSavepointException(savepoint.name(), "session " + sql.owner.id() + ": savepoint '"
          + savepoint.name() + "' is not in force in this transaction (released, rolled past, or another's)");
    }
    return i;
  }

  private static String shortName(String name) {
    return name.length() <= 40 ? name : name.substring(0, 37) + "...";
  }

  private List<String> savepointNames() {
    List<String> out = new ArrayList<>(stack.size());
    for (Sp sp : stack) {
      out.add(sp.name);
    }
    return out;
  }

  @Override
  public List<String> savepoints() {
    sql.lock.lock();
    try {
      return List.copyOf(savepointNames());
    } finally {
      sql.lock.unlock();
    }
  }

  @Override
  public void commit() {
    call(() -> {
      end(true);
      return null;
    });
  }

  @Override
  public void rollback() {
    call(() -> {
      end(false);
      return null;
    });
  }

  private void end(boolean commit) throws SQLException {
    active = false;
    popAbove(0);
    try {
      if (!commit) {
        log.undoTo(0);
      }
    } finally {
      sql.finish(this, commit);
    }
  }

  @Override
  public boolean isActive() {
    return active;
  }

  @Override
  public void close() {
    if (active && sql.owner.isLive()) {
      rollback();
    }
  }

  /**
   * The session ended with the transaction open: its H2 side is rolled back by the session; its
   * variable changes are undone here (and graph edits, for the undo hooks), so that what the
   * session's store keeps at engine shutdown is the committed state.
   */
  void ended() {
    active = false;
    popAbove(0);
    log.undoTo(0);
  }

  @Override
  public String toString() {
    return "Transaction[session " + sql.owner.id() + (active ? ", open" : ", ended") + "]";
  }
}
