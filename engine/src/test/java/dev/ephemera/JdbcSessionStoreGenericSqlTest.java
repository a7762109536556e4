package dev.ephemera;

import dev.ephemera.internal.store.JdbcSessionStore;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link JdbcSessionStoreDialectTest}'s cases with the portable SQL a database other than H2 and
 * PostgreSQL gets ({@link JdbcSessionStore.Dialect#GENERIC}: a metadata check before CREATE TABLE, UPDATE then
 * INSERT), run on H2.
 */
class JdbcSessionStoreGenericSqlTest extends JdbcSessionStoreH2Test {
  @Override
  JdbcSessionStore.Dialect forcedDialect() {
    return JdbcSessionStore.Dialect.GENERIC;
  }

  @Override
  JdbcSessionStore.Dialect expectedDialect() {
    return JdbcSessionStore.Dialect.GENERIC;
  }

  @Test
  void aSaveThatLosesTheInsertRaceUpdatesTheWinnersRow() {
    JdbcSessionStore winner = store(ds, table);
    CountingDataSource racing = new CountingDataSource(ds);
    JdbcSessionStore s = store(racing, table);
    SessionRecord theirs = record("sess_race", BOB, NOW.plusSeconds(60), 1, Map.of("by", "them"));
    SessionRecord ours = record("sess_race", ALICE, NOW.plusSeconds(90), 2, Map.of("by", "us"));
    AtomicBoolean armed = new AtomicBoolean(true);
    // between our UPDATE (no row yet) and our INSERT, another engine inserts the same id
    racing.beforePrepare = sqlText -> {
      if (sqlText.startsWith("INSERT") && armed.getAndSet(false)) {
        winner.save(theirs);
      }
    };
    s.save(ours);
    assertFalse(armed.get(), "the race happened");
    assertEquals(ours, winner.load("sess_race").orElseThrow());
    assertEquals(List.of("sess_race"), winner.sessionsOf(ALICE.key()));
  }

  @Test
  void aSecondStoreFindsTheTableTheFirstCreatedAndCaseMatters() {
    store().save(record("sess_a", ALICE, NOW.plusSeconds(60)));
    assertTrue(store().load("sess_a").isPresent());
    assertTrue(store(ds, table.toUpperCase(Locale.ROOT)).load("sess_a").isEmpty(),
        "another case is another table: names are quoted");
  }
}
