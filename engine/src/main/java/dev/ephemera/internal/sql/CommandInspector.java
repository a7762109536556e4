package dev.ephemera.internal.sql;

import java.lang.reflect.Field;
import java.util.Objects;
import org.h2.command.Command;
import org.h2.command.CommandContainer;
import org.h2.command.CommandInterface;
import org.h2.command.ddl.CreateTable;
import org.h2.command.ddl.CreateTableData;
import org.h2.command.dml.Insert;
import org.h2.command.dml.Set;
import org.h2.command.dml.SetTypes;
import org.h2.engine.SessionLocal;
import org.h2.table.Table;

/**
 * What H2's own parser says of a statement, before it runs: whether it is one statement, its
 * command type ({@link CommandInterface}), whether H2 can run it inside a transaction without
 * committing, whether a SET changes the schema, the table of an INSERT. Parts of this H2 keeps
 * private (a command's prepared statement, a SET's setting) and are read reflectively; where they
 * cannot be read the answer is the cautious one. Pure: it changes nothing, and the policy that
 * acts on the answer is the caller's ({@link SessionConnection}).
 */
final class CommandInspector {
  private static final System.Logger LOG = System.getLogger("dev.ephemera");

  private CommandInspector() {}

  /** How a text parsed. */
  enum Shape {
    /** H2 could not parse it (running it reports H2's error). */
    UNPARSED,
    /** More than one statement. */
    SEVERAL,
    /** One statement. */
    ONE
  }

  /**
   * What a statement is: its shape, H2's command type ({@code -1} unless {@code ONE}), whether it
   * runs inside a transaction without committing it, whether it is a SET of the schema or the
   * schema search path, or of H2's query timeout (each true when that cannot be told), the
   * table of an INSERT (or {@code null}), and whether it creates one of H2's global temporary
   * tables (shared by every session of the database; true when that cannot be told).
   */
  record Inspection(Shape shape, int type, boolean transactional, boolean changesSchema, boolean setsQueryTimeout,
      Table insertTable, boolean globalTemporary) {}

  private static final Inspection UNPARSED = new Inspection(Shape.UNPARSED, -1, false, false, false, null, false);
  private static final Inspection SEVERAL = new Inspection(Shape.SEVERAL, -1, false, false, false, null, false);

  /** Parses {@code sql} on the H2 session {@code h2} and says what it is. */
  static Inspection inspect(SessionLocal h2, String sql) {
    Objects.requireNonNull(sql, "sql");
    Command cmd;
    try {
      cmd = h2.prepareLocal(sql);
    } catch (RuntimeException e) {
      return UNPARSED;
    }
    try {
      if (!(cmd instanceof CommandContainer)) {
        return SEVERAL;
      }
      int type = cmd.getCommandType();
      int set = type == CommandInterface.SET ? setType(cmd) : NOT_A_SET;
      return new Inspection(Shape.ONE, type, cmd.isTransactional(),
          type == CommandInterface.SET && (set == UNKNOWN || set == SetTypes.SCHEMA || set == SetTypes.SCHEMA_SEARCH_PATH),
          type == CommandInterface.SET && (set == UNKNOWN || set == SetTypes.QUERY_TIMEOUT),
          type == CommandInterface.INSERT ? insertTable(cmd) : null,
          type == CommandInterface.CREATE_TABLE && globalTemporary(cmd));
    } finally {
      cmd.close(); // lets JDBC's prepare reuse the parsed command from H2's cache
    }
  }

  /**
   * H2's prepared statement inside a command, and the setting a SET statement changes (read
   * reflectively: H2 has no getters); {@code null} if they cannot be read.
   */
  private static final Field PREPARED = field(CommandContainer.class, "prepared");
  private static final Field SET_TYPE = field(Set.class, "type");

  private static Field field(Class<?> owner, String name) {
    try {
      Field f = owner.getDeclaredField(name);
      f.setAccessible(true);
      return f;
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "cannot read H2's SET statements; sessions that are not root may not run SET", e);
      return null;
    }
  }

  private static final int NOT_A_SET = -1;
  private static final int UNKNOWN = -2;

  /** The setting a SET statement changes ({@link SetTypes}), {@code UNKNOWN} when that cannot be read. */
  private static int setType(Command cmd) {
    if (PREPARED == null || SET_TYPE == null) {
      return UNKNOWN;
    }
    try {
      if (PREPARED.get(cmd) instanceof Set set) {
        return SET_TYPE.getInt(set);
      }
      return NOT_A_SET; // another kind of SET (SET SESSION CHARACTERISTICS …)
    } catch (IllegalAccessException e) {
      return UNKNOWN;
    }
  }


  private static final Field CREATE_DATA = field(CreateTable.class, "data");

  /** Whether a CREATE TABLE makes an H2 global temporary table (true if that cannot be read). */
  private static boolean globalTemporary(Command cmd) {
    if (PREPARED == null || CREATE_DATA == null) {
      return true;
    }
    try {
      if (PREPARED.get(cmd) instanceof CreateTable create) {
        CreateTableData data = (CreateTableData) CREATE_DATA.get(create);
        return data.temporary && data.globalTemporary;
      }
      return true;
    } catch (IllegalAccessException | RuntimeException e) {
      return true;
    }
  }

  /** The table an INSERT command writes to ({@code null} if it cannot be read). */
  private static Table insertTable(Command cmd) {
    if (PREPARED == null) {
      return null;
    }
    try {
      return PREPARED.get(cmd) instanceof Insert insert ? insert.getTable() : null;
    } catch (IllegalAccessException | RuntimeException e) {
      return null;
    }
  }

  /**
   * For the text of a one-row {@code INSERT INTO … VALUES (?, …, ?)} whose row holds only
   * parameters: the text before the row's parenthesis; else {@code null}. The row must end the
   * text; {@code rowParams} receives its parameter count.
   */
  public static String insertHead(String sql, int[] rowParams) {
    int end = sql.length();
    while (end > 0 && Character.isWhitespace(sql.charAt(end - 1))) {
      end--;
    }
    if (end == 0 || sql.charAt(end - 1) != ')') {
      return null;
    }
    int params = 0;
    boolean expectParam = true;
    int i = end - 2;
    for (; i >= 0; i--) {
      char ch = sql.charAt(i);
      if (ch == '(') {
        break;
      } else if (ch == '?') {
        if (!expectParam) {
          return null;
        }
        params++;
        expectParam = false;
      } else if (ch == ',') {
        if (expectParam) {
          return null;
        }
        expectParam = true;
      } else if (!Character.isWhitespace(ch)) {
        return null;
      }
    }
    if (i < 0 || params == 0 || expectParam) {
      return null;
    }
    int open = i;
    int j = open;
    while (j > 0 && Character.isWhitespace(sql.charAt(j - 1))) {
      j--;
    }
    if (j < 6 || !sql.regionMatches(true, j - 6, "VALUES", 0, 6)
        || j > 6 && (Character.isLetterOrDigit(sql.charAt(j - 7)) || sql.charAt(j - 7) == '_')) {
      return null;
    }
    int start = 0;
    while (start < open && Character.isWhitespace(sql.charAt(start))) {
      start++;
    }
    if (!sql.regionMatches(true, start, "INSERT", 0, 6) || start + 6 >= open
        || !Character.isWhitespace(sql.charAt(start + 6))) {
      return null;
    }
    int k = start + 6;
    while (k < open && Character.isWhitespace(sql.charAt(k))) {
      k++;
    }
    if (!sql.regionMatches(true, k, "INTO", 0, 4)) { // not INSERT IGNORE: every row must count 1
      return null;
    }
    rowParams[0] = params;
    return sql.substring(0, open);
  }
}
