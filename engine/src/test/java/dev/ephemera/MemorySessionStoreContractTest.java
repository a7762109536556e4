package dev.ephemera;

import dev.ephemera.storetest.SessionStoreContract;

/**
 * {@link SessionStoreContract} on {@code SessionStores.memory()}: no persistence. It keeps nothing (each
 * test asserts that), is not shared, and is one instance for the process, so a close does not end it.
 */
class MemorySessionStoreContractTest extends SessionStoreContract {
  @Override
  protected SessionStore openStore() {
    return SessionStores.memory();
  }

  @Override
  protected boolean expectedShared() {
    return false;
  }

  @Override
  protected boolean keepsRecords() {
    return false;
  }

  @Override
  protected boolean closeEndsTheStore() {
    return false;
  }

  @Override
  protected byte[] storedBytes(String id) {
    throw new UnsupportedOperationException("the memory store keeps no bytes");
  }

  @Override
  protected void overwriteStoredBytes(String id, byte[] bytes) {
    throw new UnsupportedOperationException("the memory store keeps no bytes");
  }
}
