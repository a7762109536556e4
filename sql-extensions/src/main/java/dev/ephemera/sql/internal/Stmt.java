package dev.ephemera.sql.internal;

import dev.ephemera.OnCommit;
import java.util.List;

/** A parsed statement of the dialect, or {@link PassThrough} for one that goes to H2 untouched. */
public sealed interface Stmt {
  /** A value in a statement: a literal, a {@code ?} parameter or an SQL expression H2 evaluates. */
  sealed interface Expr {}

  /** A literal, already converted (null, Boolean, Long, BigDecimal, Double or String). */
  record Literal(Object value) implements Expr {}

  /** The {@code index}-th parameter (0-based). */
  record Param(int index) implements Expr {}

  /** An expression for H2 ({@code SELECT (text)}), with the parameters {@code firstParam …} it uses. */
  record SqlExpr(String text, int firstParam, int paramCount) implements Expr {}

  record Assign(String name, Expr value) {}

  enum PassThrough implements Stmt { INSTANCE }

  record SetVars(List<Assign> assignments) implements Stmt {}

  record ResetVar(String name) implements Stmt {}

  record ResetAll() implements Stmt {}

  record ShowVars() implements Stmt {}

  record Begin() implements Stmt {}

  record Commit() implements Stmt {}

  record Rollback() implements Stmt {}

  record SavepointStmt(String name) implements Stmt {}

  record RollbackTo(String name) implements Stmt {}

  record Release(String name) implements Stmt {}

  record CreateTempTable(String name, String columns, OnCommit onCommit, boolean ifNotExists) implements Stmt {}

  /** {@code DROP TABLE [IF EXISTS] name}: ours when the name is one of the session's temp tables, else H2's. */
  record DropTable(String name, boolean ifExists) implements Stmt {}

  record ShowTempTables() implements Stmt {}

  record CreateGraph(String name, boolean ifNotExists) implements Stmt {}

  record DropGraph(String name, boolean ifExists) implements Stmt {}

  record ShowGraphs() implements Stmt {}

  /** {@code INSERT INTO GRAPH name EDGES|NODES select}; the select uses parameters {@code firstParam …}. */
  record InsertGraph(String graph, boolean edges, String select, int firstParam, int paramCount) implements Stmt {}

  record Ping() implements Stmt {}

  /**
   * A statement of the graph query language ({@code MATCH …}, {@code CREATE (…)}, {@code RETURN 1
   * AS ok}, …): its text as written, from its first keyword, without a final {@code ;}. {@code
   * needsGraph}: it starts with {@code MATCH}, {@code OPTIONAL MATCH}, {@code CREATE} or {@code
   * MERGE} (after {@code EXPLAIN} / {@code PROFILE} too), so it cannot run without a current graph.
   */
  record GraphQuery(String query, boolean needsGraph) implements Stmt {}

  /** {@code USE GRAPH name}: the session's current graph. */
  record UseGraph(String name) implements Stmt {}

  /** {@code INSERT INTO target MATCH … RETURN …}: copies what the query returns from the current graph. */
  record InsertFromGraph(String target, String query) implements Stmt {}

  /** {@code DISCARD ALL}: the connection starts again as it was opened (a driver connection only). */
  record DiscardAll() implements Stmt {}

  record ShowSession() implements Stmt {}

  record Use(String namespace, String database) implements Stmt {}

  /** {@code SHOW SESSIONS [WHERE USER = v] [AND IDLE > d]}; either may be null. */
  record ShowSessions(Expr user, Expr idle) implements Stmt {}

  record KillSession(Expr id) implements Stmt {}

  record LiveSelect(String table) implements Stmt {}

  record KillLive(Expr id) implements Stmt {}
}
