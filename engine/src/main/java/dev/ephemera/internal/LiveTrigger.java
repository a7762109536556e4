package dev.ephemera.internal;

import dev.ephemera.Change;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.h2.api.Trigger;
import org.h2.jdbc.JdbcConnection;

/**
 * The H2 trigger behind live queries ({@code AFTER INSERT, UPDATE, DELETE … FOR EACH ROW}). H2
 * creates it by class name; it finds its {@link LiveHub} by the trigger's name. A change made by
 * an Ephemera session is queued in that session and delivered when it commits (or dropped when it
 * rolls back); a change from any other connection is delivered at once.
 *
 * <p>Public only because H2 instantiates it; not part of the API.
 */
public final class LiveTrigger implements Trigger {
  private LiveHub hub;

  /** For H2. */
  public LiveTrigger() {}

  @Override
  public void init(Connection conn, String schema, String trigger, String table, boolean before, int type)
      throws SQLException {
    hub = LiveHub.BY_TRIGGER.get(trigger);
    if (hub != null && hub.columns.isEmpty()) {
      List<String> cols = new ArrayList<>();
      try (ResultSet rs = conn.getMetaData().getColumns(null, schema, table, null)) {
        while (rs.next()) {
          cols.add(rs.getString("COLUMN_NAME"));
        }
      }
      hub.columns = List.copyOf(cols);
    }
  }

  @Override
  public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
    LiveHub h = hub;
    if (h == null || !h.hasListeners()) {
      return;
    }
    Change.Kind kind = oldRow == null ? Change.Kind.INSERT : newRow == null ? Change.Kind.DELETE : Change.Kind.UPDATE;
    Change c = new Change(kind, h.table, row(h.columns, oldRow), row(h.columns, newRow));
    Object h2 = conn.unwrap(JdbcConnection.class).getSession();
    SessionConnection writer = H2Database.BY_H2_SESSION.get(h2);
    if (writer != null) {
      writer.queueChange(h, c);
    } else {
      h.deliver(c);
    }
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
