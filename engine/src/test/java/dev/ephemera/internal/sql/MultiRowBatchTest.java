package dev.ephemera.internal.sql;

import dev.ephemera.Change;
import dev.ephemera.LiveQuery;
import dev.ephemera.Session;
import dev.ephemera.SessionEngine;
import dev.ephemera.SqlException;
import dev.ephemera.Transaction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code Session.executeBatch} of a one-row {@code INSERT … VALUES (?, …)} runs as multi-row
 * INSERTs of {@link SessionConnection#MULTI_ROWS} rows: the same rows, the same errors (with the
 * caller's SQL), all or nothing, and row by row where a multi-row statement would differ.
 */
class MultiRowBatchTest {
  final SessionEngine engine = SessionEngine.builder().build();

  @AfterEach
  void close() {
    engine.close();
  }

  private static long multiInserts(Session s) {
    return ((SqlOwner) s).sql().multiInserts();
  }

  private static List<Object[]> rows(int from, int count) {
    List<Object[]> rows = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      rows.add(new Object[] {i, i % 7 == 0 ? null : "value " + i});
    }
    return rows;
  }

  @Test
  void aBatchRunsAsMultiRowInsertsAndStoresTheSameRowsInOrder() {
    try (Session s = engine.open()) {
      s.createTempTable("t", "n INT AUTO_INCREMENT PRIMARY KEY, k INT, v VARCHAR");
      List<Object[]> rows = rows(0, 2 * SessionConnection.MULTI_ROWS + 5);
      long before = multiInserts(s);
      int[] counts = s.executeBatch("INSERT INTO t (k, v) VALUES (?, ?)", rows);
      assertEquals(2, multiInserts(s) - before, "two multi-row statements, the last 5 rows row by row");
      int[] ones = new int[rows.size()];
      Arrays.fill(ones, 1);
      assertArrayEquals(ones, counts);
      List<List<Object>> stored = s.query("SELECT n, k, v FROM t ORDER BY n").rows();
      assertEquals(rows.size(), stored.size());
      for (int i = 0; i < rows.size(); i++) {
        assertEquals(Arrays.asList(i + 1, rows.get(i)[0], rows.get(i)[1]), stored.get(i), "row " + i);
      }
      // the cached statement is used again, and batches under one chunk run row by row
      before = multiInserts(s);
      s.executeBatch("INSERT INTO t (k, v) VALUES (?, ?)", rows(100, SessionConnection.MULTI_ROWS));
      s.executeBatch("INSERT INTO t (k, v) VALUES (?, ?)", rows(200, SessionConnection.MULTI_ROWS - 1));
      assertEquals(1, multiInserts(s) - before);
      assertEquals((long) rows.size() + 2 * SessionConnection.MULTI_ROWS - 1, s.query("SELECT COUNT(*) FROM t").single());
    }
  }

  @Test
  void aFailingRowUndoesTheWholeBatchAndTheErrorShowsTheCallersSql() {
    try (Session s = engine.open()) {
      s.createTempTable("t", "k INT PRIMARY KEY, v VARCHAR");
      s.execute("INSERT INTO t VALUES (?, ?)", -1, "before");
      List<Object[]> rows = rows(0, 3 * SessionConnection.MULTI_ROWS);
      rows.set(SessionConnection.MULTI_ROWS + 3, new Object[] {2, "duplicate of row 2"}); // in the second chunk
      long before = multiInserts(s);
      SqlException e = assertThrows(SqlException.class, () -> s.executeBatch("INSERT INTO t VALUES (?, ?)", rows));
      assertTrue(e.getMessage().contains("INSERT INTO t VALUES (?, ?)"), e.getMessage());
      assertFalse(e.getMessage().contains("), ("), "not the engine's multi-row text: " + e.getMessage());
      assertEquals("23505", e.sqlState());
      assertEquals(1, multiInserts(s) - before, "the first chunk ran");
      assertEquals(List.of(List.of(-1, "before")), s.query("SELECT k, v FROM t").rows(), "nothing of the batch stays");
    }
  }

  @Test
  void insideATransactionAFailedBatchLeavesNothingOfItselfAndKeepsEarlierWork() {
    for (int size : new int[] {SessionConnection.MULTI_ROWS - 5, 2 * SessionConnection.MULTI_ROWS + 5}) {
      try (Session s = engine.open()) {
        s.createTempTable("t", "k INT PRIMARY KEY, v VARCHAR");
        try (Transaction tx = s.begin()) {
          s.execute("INSERT INTO t VALUES (?, ?)", -1, "earlier");
          List<Object[]> rows = rows(0, size);
          rows.set(size - 1, new Object[] {0, "duplicate of row 0"}); // the last row: the others ran before it
          assertThrows(SqlException.class, () -> s.executeBatch("INSERT INTO t VALUES (?, ?)", rows));
          assertEquals(List.of(List.of(-1, "earlier")), s.query("SELECT k, v FROM t").rows(), size + " rows");
          s.executeBatch("INSERT INTO t VALUES (?, ?)", rows(0, size)); // the transaction goes on
          tx.commit();
        }
        assertEquals(size + 1L, s.query("SELECT COUNT(*) FROM t").single());
      }
    }
  }

  @Test
  void aTableWithATriggerRunsRowByRowEvenWhenTheTriggerCameAfterTheStatement() {
    try (Session s = engine.open()) {
      s.createTempTable("t", "k INT, v VARCHAR");
      String insert = "INSERT INTO t VALUES (?, ?)";
      long before = multiInserts(s);
      s.executeBatch(insert, rows(0, SessionConnection.MULTI_ROWS));
      assertEquals(1, multiInserts(s) - before);
      List<Change> changes = new ArrayList<>();
      LiveQuery q = s.live("t", changes::add);
      before = multiInserts(s);
      s.executeBatch(insert, rows(100, 2 * SessionConnection.MULTI_ROWS));
      assertEquals(0, multiInserts(s) - before, "the live query's trigger sends the batch row by row");
      assertEquals(2 * SessionConnection.MULTI_ROWS, changes.size());
      assertEquals(100, changes.get(0).after().get("K"));
      q.close();
      assertEquals(3L * SessionConnection.MULTI_ROWS, s.query("SELECT COUNT(*) FROM t").single());
    }
  }

  @Test
  void aTableDroppedAndCreatedAgainIsNotWrittenThroughTheOldTable() {
    try (Session s = engine.open()) {
      String insert = "INSERT INTO t VALUES (?, ?)";
      s.createTempTable("t", "k INT, v VARCHAR");
      s.executeBatch(insert, rows(0, SessionConnection.MULTI_ROWS));
      s.dropTempTable("t");
      s.createTempTable("t", "v VARCHAR, k INT");
      List<Object[]> rows = new ArrayList<>();
      for (int i = 0; i < 2 * SessionConnection.MULTI_ROWS; i++) {
        rows.add(new Object[] {"v" + i, i});
      }
      long before = multiInserts(s);
      s.executeBatch(insert, rows);
      assertEquals(2, multiInserts(s) - before, "prepared again for the new table");
      assertEquals(List.of("v7", 7), s.query("SELECT v, k FROM t WHERE k = 7").rows().get(0));
      assertEquals(2L * SessionConnection.MULTI_ROWS, s.query("SELECT COUNT(*) FROM t").single());
    }
  }

  @Test
  void aTextThatOnlyLooksLikeAOneRowInsertRunsRowByRow() {
    try (Session s = engine.open()) {
      s.createTempTable("t", "k INT, v VARCHAR");
      String sql = "INSERT INTO t SELECT ?, ? -- VALUES (?, ?, ?)";
      long before = multiInserts(s);
      int[] counts = s.executeBatch(sql, rows(0, 2 * SessionConnection.MULTI_ROWS));
      assertEquals(2 * SessionConnection.MULTI_ROWS, counts.length);
      assertEquals(0, multiInserts(s) - before, "H2 counts 2 parameters, the text's last row 3: not rewritten");
      assertEquals(2L * SessionConnection.MULTI_ROWS, s.query("SELECT COUNT(*) FROM t").single());
    }
  }

  @Test
  void aRowWithTheWrongNumberOfValuesIsRefusedBeforeAnythingRuns() {
    try (Session s = engine.open()) {
      s.createTempTable("t", "k INT, v VARCHAR");
      for (int size : new int[] {3, 3 * SessionConnection.MULTI_ROWS}) {
        List<Object[]> rows = rows(0, size);
        rows.set(size - 1, new Object[] {1});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> s.executeBatch("INSERT INTO t VALUES (?, ?)", rows));
        assertTrue(e.getMessage().contains("row " + (size - 1) + " of the batch has 1 values"), e.getMessage());
        List<Object[]> withNull = rows(0, size);
        withNull.set(1, null);
        assertThrows(NullPointerException.class, () -> s.executeBatch("INSERT INTO t VALUES (?, ?)", withNull));
        assertThrows(IllegalArgumentException.class,
            () -> s.executeBatch("UPDATE t SET v = ? WHERE k = ?", List.<Object[]>of(new Object[] {"x", 1, 2})));
      }
      assertEquals(0L, s.query("SELECT COUNT(*) FROM t").single());
    }
  }
}
