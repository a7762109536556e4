package dev.ephemera;

import static org.junit.jupiter.api.Assertions.*;

import dev.ephemera.storetest.SessionStoreContract;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * {@link SessionStoreContract} on {@code SessionStores.jdbc(dataSource, table)}, a new table for each test;
 * a subclass gives the database. Shared; an expired record stays until purged, and {@code sessionsOf}
 * leaves it out (it compares with the store's clock). The contract reaches the bytes in the
 * {@code record} column with SQL of its own.
 */
abstract class JdbcSessionStoreContractBase extends SessionStoreContract {
  static final AtomicInteger TABLES = new AtomicInteger();
  String table;

  /** The database; may abort the test (a server that could not start). */
  abstract DataSource dataSource();

  /** The store on {@code table}: {@code SessionStores.jdbc} unless a subclass forces a dialect. */
  SessionStore store(DataSource ds, String tableName) {
    return SessionStores.jdbc(ds, tableName);
  }

  @Override
  protected void setUpStorage() {
    dataSource();
    table = "contract_" + TABLES.incrementAndGet();
  }

  @Override
  protected SessionStore openStore() {
    return store(dataSource(), table);
  }

  @Override
  protected boolean expectedShared() {
    return true;
  }

  @Override
  protected Expiry expiry() {
    return Expiry.KEPT_UNTIL_PURGED_UNLISTED;
  }

  @Override
  protected byte[] storedBytes(String id) throws Exception {
    try (Connection c = dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT record FROM \"" + table + "\" WHERE id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        assertTrue(rs.next(), id + " has no row");
        return rs.getBytes(1);
      }
    }
  }

  @Override
  protected void overwriteStoredBytes(String id, byte[] bytes) throws Exception {
    try (Connection c = dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement("UPDATE \"" + table + "\" SET record = ? WHERE id = ?")) {
      ps.setBytes(1, bytes);
      ps.setString(2, id);
      assertEquals(1, ps.executeUpdate());
    }
  }
}
