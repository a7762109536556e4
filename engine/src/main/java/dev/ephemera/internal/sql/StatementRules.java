package dev.ephemera.internal.sql;

import dev.ephemera.AccessDeniedException;
import dev.ephemera.TransactionException;
import org.h2.command.CommandInterface;
import org.h2.engine.SessionLocal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.h2.table.Table;

/**
 * What a session's SQL may run, decided on H2's own parse of it ({@link CommandInspector}) before
 * it reaches H2: rules that hold for every session, root's included, and that H2's rights alone do
 * not give (one statement per call, transactions only through the engine, H2's users, schemas and
 * the engine's functions left to the engine).
 */
final class StatementRules {
  private StatementRules() {}

  /** What {@link #inspect} learns of a statement. */
  record Checked(boolean transactional, Table insertTable, String runAs) {}


  /**
   * Checks a statement a session wrote and returns what it learnt, or throws: several statements
   * ({@code IllegalArgumentException}), transaction control and shutdown ({@code
   * TransactionException}), changes of the schema, of H2's users, of schemas, of the engine's
   * functions, of H2's query timeout ({@code AccessDeniedException}), and, inside a transaction, a
   * statement H2 would commit it to run. Root's statements too.
   */
  static Checked inspect(SqlOwner owner, SessionLocal h2, boolean inTransaction, String sql) {
    CommandInspector.Inspection i = CommandInspector.inspect(h2, sql);
    switch (i.shape()) {
      case UNPARSED -> {
        return new Checked(false, null, sql); // H2 reports it when the statement runs
      }
      case SEVERAL -> throw new IllegalArgumentException("session " + owner.id() + ": one statement per call; got"
          + " several in '" + SqlText.abbreviate(sql) + "'");
      case ONE -> { }
    }
    switch (i.type()) {
      case CommandInterface.COMMIT, CommandInterface.ROLLBACK, CommandInterface.SAVEPOINT,
          CommandInterface.ROLLBACK_TO_SAVEPOINT, CommandInterface.SET_AUTOCOMMIT_TRUE,
          CommandInterface.SET_AUTOCOMMIT_FALSE, CommandInterface.BEGIN, CommandInterface.PREPARE_COMMIT,
          CommandInterface.COMMIT_TRANSACTION, CommandInterface.ROLLBACK_TRANSACTION ->
          throw new TransactionException("session " + owner.id() + ": '" + SqlText.abbreviate(sql)
              + "' is transaction control; use Session.begin() and its Transaction instead");
      case CommandInterface.SET -> {
        if (i.setsQueryTimeout()) {
          throw owner.denied(new AccessDeniedException("session " + owner.id() + ": '" + SqlText.abbreviate(sql)
              + "' would change H2's query timeout; the statement time limit is the engine's (Session.setStatementTimeout,"
              + " SET SESSION query_timeout)"), "SET QUERY_TIMEOUT refused");
        }
        if (i.changesSchema()) {
          throw owner.denied(new AccessDeniedException("session " + owner.id() + ": '" + SqlText.abbreviate(sql)
              + "' would change the connection's schema; a session selects its database with Session.use(namespace,"
              + " database)"), "SET SCHEMA refused");
        }
      }
      case CommandInterface.CREATE_USER, CommandInterface.ALTER_USER_SET_PASSWORD, CommandInterface.ALTER_USER_ADMIN,
          CommandInterface.ALTER_USER_RENAME, CommandInterface.DROP_USER ->
          // root's too: a pooled H2 user whose password a session changed failed every later lease
          throw owner.denied(new AccessDeniedException("session " + owner.id() + ": '" + SqlText.abbreviate(sql)
              + "' changes an H2 user; the engine manages the users its sessions run as (its own users:"
              + " SessionEngine.users())"), "change of an H2 user refused");
      case CommandInterface.GRANT, CommandInterface.REVOKE, CommandInterface.CREATE_ROLE, CommandInterface.DROP_ROLE ->
          // root's too (with file access it is H2's ADMIN): the rights of the pooled users stay what the engine gave
          throw owner.denied(new AccessDeniedException("session " + owner.id() + ": '" + SqlText.abbreviate(sql)
              + "' changes H2 rights; every session of a database has the same rights in it, and none elsewhere"),
              "change of H2 rights refused");
      case CommandInterface.CREATE_SCHEMA, CommandInterface.DROP_SCHEMA, CommandInterface.ALTER_SCHEMA_RENAME,
          CommandInterface.DROP_ALIAS ->
          throw owner.denied(new AccessDeniedException("session " + owner.id() + ": '" + SqlText.abbreviate(sql)
              + "' changes a schema or the engine's functions; the engine manages them (a database's schema is"
              + " Names.h2Schema(namespace, database))"), "schema or function change refused");
      case CommandInterface.SHUTDOWN, CommandInterface.SHUTDOWN_COMPACT, CommandInterface.SHUTDOWN_DEFRAG,
          CommandInterface.SHUTDOWN_IMMEDIATELY ->
          throw new TransactionException("session " + owner.id() + ": '" + SqlText.abbreviate(sql)
              + "' would shut down the engine's database; only SessionEngine.close() does that");
      default -> { }
    }
    String runAs = sql;
    if (i.type() == CommandInterface.CREATE_TABLE && i.globalTemporary()) {
      runAs = localTemporary(sql);
      if (runAs == null) {
        throw new IllegalArgumentException("session " + owner.id() + ": '" + SqlText.abbreviate(sql) + "' creates an H2"
            + " global temporary table, which every session of the database would share and which would outlive the"
            + " session; write CREATE LOCAL TEMPORARY TABLE (or CREATE TEMPORARY TABLE through the dialect)");
      }
    }
    if (inTransaction && !i.transactional()) {
      throw refuseDdl(owner, sql);
    }
    return new Checked(i.transactional(), i.insertTable(), runAs);
  }

  static TransactionException refuseDdl(SqlOwner owner, String sql) {
    return new TransactionException("session " + owner.id() + ": '" + SqlText.abbreviate(sql) + "' would commit the open"
        + " transaction (H2 commits before running it); run it outside the transaction");
  }


  /**
   * The words that make a CREATE TABLE temporary, in every spelling H2 takes ({@code TEMP},
   * {@code TEMPORARY}, {@code GLOBAL TEMPORARY}, {@code LOCAL TEMPORARY}, after {@code MEMORY} or
   * {@code CACHED}), after any leading comments.
   */
  private static final Pattern TEMPORARY_HEAD = Pattern.compile(
      "^((?:\\s|/\\*.*?\\*/|--[^\\n]*(?:\\n|$))*)CREATE\\s+(?:(?:CACHED|MEMORY)\\s+)?(?:(?:GLOBAL|LOCAL)\\s+)?"
      + "(?:TEMPORARY|TEMP)\\s+TABLE\\b", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

  /**
   * A CREATE TABLE of an H2 global temporary table (H2 shares one with every session and keeps it
   * after the session) as the session's own local temporary table, dropped with its connection:
   * what every temporary table of a session is; {@code null} when its head is not one of the
   * spellings of {@link #TEMPORARY_HEAD}.
   */
  static String localTemporary(String sql) {
    Matcher m = TEMPORARY_HEAD.matcher(sql);
    if (!m.find()) {
      return null;
    }
    return m.group(1) + "CREATE LOCAL TEMPORARY TABLE" + sql.substring(m.end());
  }
}
