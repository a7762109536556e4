package dev.ephemera;

import dev.ephemera.storetest.SessionStoreContract;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link SessionStoreContract} on {@link MapStore}, the test store other engine tests use in place of
 * a real one: they can trust it only as far as it keeps the contract. Every store of a test shares one
 * map; it uses the SPI's default {@code sessionsOf} and {@code purgeExpired}.
 */
class MapStoreContractTest extends SessionStoreContract {
  final Map<String, byte[]> records = new ConcurrentHashMap<>();

  @Override
  protected SessionStore openStore() {
    return new MapStore(records, false);
  }

  @Override
  protected boolean expectedShared() {
    return false;
  }

  @Override
  protected byte[] storedBytes(String id) {
    return records.get(id).clone();
  }

  @Override
  protected void overwriteStoredBytes(String id, byte[] bytes) {
    records.put(id, bytes.clone());
  }
}
