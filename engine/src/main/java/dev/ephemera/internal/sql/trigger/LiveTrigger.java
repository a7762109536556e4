package dev.ephemera.internal.sql.trigger;

import dev.ephemera.Change;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.h2.api.Trigger;
import org.h2.jdbc.JdbcConnection;

/**
 * The H2 trigger behind live queries ({@code AFTER INSERT, UPDATE, DELETE … FOR EACH ROW}). H2
 * creates it by class name, so it sits alone in the one package of the engine opened to H2; it
 * finds what it feeds, a {@link Target}, by the trigger's name in {@link #TARGETS}, and hands it
 * each changed row with the H2 session that changed it.
 *
 * <p>Public only because H2 instantiates it; not part of the API.
 */
public final class LiveTrigger implements Trigger {
  /** The live queries on one table, as the trigger sees them. */
  public interface Target {
    /** Whether anyone listens: without listeners a change is not even built. */
    boolean hasListeners();

    /** The table's name, as the changes carry it. */
    String table();

    /** The table's column names in order; empty until known. */
    List<String> columns();

    /** Sets the column names, read by the trigger when H2 creates it (if the target had none). */
    void columns(List<String> columns);

    /** A row changed, by the H2 session {@code h2Session} (delivered now, or when that session commits). */
    void changed(Object h2Session, Change change);
  }

  /** The targets by trigger name: registered before the trigger is created, removed after it is dropped. */
  public static final ConcurrentHashMap<String, Target> TARGETS = new ConcurrentHashMap<>();

  private Target target;

  /** For H2. */
  public LiveTrigger() {}

  @Override
  public void init(Connection conn, String schema, String trigger, String table, boolean before, int type)
      throws SQLException {
    target = TARGETS.get(trigger);
    if (target != null && target.columns().isEmpty()) {
      List<String> cols = new ArrayList<>();
      try (ResultSet rs = conn.getMetaData().getColumns(null, schema, table, null)) {
        while (rs.next()) {
          cols.add(rs.getString("COLUMN_NAME"));
        }
      }
      target.columns(List.copyOf(cols));
    }
  }

  @Override
  public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
    Target t = target;
    if (t == null || !t.hasListeners()) {
      return;
    }
    Change.Kind kind = oldRow == null ? Change.Kind.INSERT : newRow == null ? Change.Kind.DELETE : Change.Kind.UPDATE;
    List<String> columns = t.columns();
    Change c = new Change(kind, t.table(), row(columns, oldRow), row(columns, newRow));
    t.changed(conn.unwrap(JdbcConnection.class).getSession(), c);
  }

  private static Map<String, Object> row(List<String> columns, Object[] values) {
    if (values == null) {
      return null;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < values.length; i++) {
      m.put(i < columns.size() ? columns.get(i) : "C" + (i + 1), values[i]);
    }
    return Collections.unmodifiableMap(m);
  }
}
