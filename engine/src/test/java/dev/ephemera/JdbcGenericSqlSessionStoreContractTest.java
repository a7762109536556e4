package dev.ephemera;

import dev.ephemera.internal.store.JdbcSessionStore;
import java.time.Clock;
import javax.sql.DataSource;

/**
 * {@link JdbcSessionStoreContractBase} with the portable SQL a database other than H2 and PostgreSQL
 * gets ({@code GENERIC}: a metadata check before CREATE TABLE, a {@code BLOB} column, UPDATE then
 * INSERT), run on H2. The public API chooses the dialect by the database, so this one store is made
 * with the internal constructor (its one import).
 */
class JdbcGenericSqlSessionStoreContractTest extends JdbcH2SessionStoreContractTest {
  @Override
  SessionStore store(DataSource ds, String tableName) {
    return new JdbcSessionStore(ds, tableName, JdbcSessionStore.Dialect.GENERIC, Clock.systemUTC());
  }
}
