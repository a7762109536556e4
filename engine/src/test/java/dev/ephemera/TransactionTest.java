package dev.ephemera;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Transactions and savepoints: rows and variables roll back together. */
class TransactionTest {
  final SessionEngine engine = SessionEngine.builder().ticker(new FakeTicker()).build();
  Session s;

  @BeforeEach
  void open() {
    s = engine.open();
    s.createTempTable("people", "name VARCHAR PRIMARY KEY");
  }

  @AfterEach
  void close() {
    engine.close();
  }

  private long people() {
    return (Long) s.query("SELECT COUNT(*) FROM people").single();
  }

  @Test
  void rollbackToSavepointRestoresRowsAndVariablesTogether() {
    s.set("step", 1);
    s.set("keep", "yes");
    try (Transaction tx = s.begin()) {
      s.execute("INSERT INTO people VALUES ('Bob')");
      Savepoint afterBob = tx.savepoint("after_bob");
      s.execute("INSERT INTO people VALUES ('Eve')");
      s.set("step", 2);
      s.set("added", List.of(1, 2));
      s.reset("keep");
      s.flash("note", "hi");
      tx.rollbackTo(afterBob);
      assertEquals(1, people());
      assertEquals(1L, s.get("step"));
      assertNull(s.get("added"));
      assertEquals("yes", s.get("keep"));
      assertNull(s.takeFlash("note"));
      assertTrue(afterBob.isValid());
      tx.commit();
    }
    assertEquals(1, people());
    assertEquals(Map.of("keep", "yes", "step", 1L), s.variables());
  }

  @Test
  void wholeRollbackUndoesResetAllAndRows() {
    s.set("a", 1);
    s.set("b", "two");
    Transaction tx = s.begin();
    s.execute("INSERT INTO people VALUES ('Bob')");
    s.resetAll();
    s.set("c", 3);
    assertEquals(Map.of("c", 3L), s.variables());
    tx.rollback();
    assertFalse(tx.isActive());
    assertEquals(0, people());
    assertEquals(Map.of("a", 1L, "b", "two"), s.variables());
    assertNull(s.transaction());
  }

  @Test
  void closeWithoutCommitRollsBack() {
    try (Transaction tx = s.begin()) {
      assertSame(tx, s.transaction());
      s.execute("INSERT INTO people VALUES ('Bob')");
      s.set("x", 1);
    }
    assertEquals(0, people());
    assertNull(s.get("x"));
  }

  @Test
  void nestedAndSameNameSavepointsBehaveAsInPostgres() {
    Transaction tx = s.begin();
    s.execute("INSERT INTO people VALUES ('a')");
    tx.savepoint("sp");
    s.execute("INSERT INTO people VALUES ('b')");
    Savepoint newer = tx.savepoint("sp"); // hides the older one
    s.execute("INSERT INTO people VALUES ('c')");
    tx.savepoint("inner");
    s.execute("INSERT INTO people VALUES ('d')");
    assertEquals(List.of("sp", "sp", "inner"), tx.savepoints());

    tx.rollbackTo("sp"); // the newest 'sp': undoes c and d, drops 'inner'
    assertEquals(2, people());
    assertEquals(List.of("sp", "sp"), tx.savepoints());
    assertTrue(newer.isValid());

    tx.release("sp"); // pops the newest; the older one is in force again
    assertFalse(newer.isValid());
    assertEquals(List.of("sp"), tx.savepoints());
    tx.rollbackTo("sp"); // the older one: undoes b
    assertEquals(1, people());
    tx.commit();
    assertEquals(1, people());
  }

  @Test
  void unknownSavepointGivesTypedErrorAndLeavesTransactionUsable() {
    Transaction tx = s.begin();
    Savepoint a = tx.savepoint("a");
    s.execute("INSERT INTO people VALUES ('x')");
    UnknownSavepointException e = assertThrows(UnknownSavepointException.class, () -> tx.rollbackTo("nope"));
    assertEquals("nope", e.savepoint());
    assertTrue(e.getMessage().contains("[a]"), e.getMessage());
    assertThrows(UnknownSavepointException.class, () -> tx.release("nope"));
    assertThrows(InvalidNameException.class, () -> tx.savepoint("bad name"));
    tx.release(a);
    assertThrows(UnknownSavepointException.class, () -> tx.rollbackTo(a)); // released
    assertTrue(tx.isActive());
    assertEquals(1, people());
    tx.commit();
    assertEquals(1, people());
    assertThrows(TransactionException.class, tx::commit);
    assertThrows(TransactionException.class, () -> tx.savepoint("late"));
  }

  @Test
  void sqlErrorInsideTransactionUndoesOnlyThatStatement() {
    Transaction tx = s.begin();
    s.execute("INSERT INTO people VALUES ('Bob')");
    SqlException dup = assertThrows(SqlException.class, () -> s.execute("INSERT INTO people VALUES ('Ann'), ('Bob')"));
    assertEquals("23505", dup.sqlState());
    assertThrows(SqlException.class, () -> s.execute("INSERT INTO nowhere VALUES (1)"));
    assertTrue(tx.isActive());
    assertEquals(1, people());
    tx.commit();
    assertEquals(1, people());
  }

  @Test
  void ddlThatWouldCommitIsRefusedInsideTransaction() {
    Transaction tx = s.begin();
    s.execute("INSERT INTO people VALUES ('Bob')");
    for (String ddl : List.of("CREATE TABLE shared(a INT)", "DROP TABLE people", "TRUNCATE TABLE people",
        "CREATE INDEX i ON people(name)", "CREATE LOCAL TEMPORARY TABLE t2(a INT)")) {
      assertThrows(TransactionException.class, () -> s.execute(ddl), ddl);
    }
    assertThrows(TransactionException.class, () -> s.dropTempTable("people"));
    s.createTempTable("inside", "a INT"); // transactional: does not commit
    tx.rollback();
    assertEquals(0, people()); // Bob was not committed by any of that
    assertEquals(List.of("INSIDE", "PEOPLE"), s.tempTables()); // a rollback does not undo a table's creation
  }

  @Test
  void transactionControlAndSeveralStatementsAreRefusedInExecute() {
    for (String sql : List.of("COMMIT", "ROLLBACK", "SAVEPOINT x", "SET AUTOCOMMIT FALSE", "BEGIN", "SHUTDOWN")) {
      assertThrows(TransactionException.class, () -> s.execute(sql), sql);
    }
    assertThrows(IllegalArgumentException.class,
        () -> s.execute("INSERT INTO people VALUES ('a'); DROP TABLE people"));
    assertEquals(0, people());
    assertThrows(TransactionException.class, () -> {
      s.begin();
      s.begin();
    });
  }

  @Test
  void longTransactionWithManySavepointsKeepsWorking() {
    Transaction tx = s.begin();
    for (int i = 0; i < 5_000; i++) {
      Savepoint sp = tx.savepoint("step");
      s.execute("INSERT INTO people VALUES (?)", "p" + i);
      s.set("i", i);
      if (i % 2 == 0) {
        tx.rollbackTo(sp);
      }
      tx.release(sp);
    }
    tx.commit();
    assertEquals(2_500, people());
    assertEquals(4_999L, s.get("i"));
  }

  @Test
  void endingTheSessionRollsBackAndFurtherUseThrows() {
    Transaction tx = s.begin();
    s.execute("INSERT INTO people VALUES ('Bob')");
    engine.kill(s.id());
    assertFalse(tx.isActive());
    assertThrows(SessionClosedException.class, () -> tx.savepoint("x"));
    assertThrows(SessionClosedException.class, () -> s.execute("SELECT 1"));
    tx.close(); // harmless
  }
}
