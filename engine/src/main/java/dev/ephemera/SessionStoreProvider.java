package dev.ephemera;

import java.net.URI;

/**
 * Opens stores of one URI scheme for {@link SessionStores#open(String)}; found with
 * {@link java.util.ServiceLoader}. The Redis store module provides the {@code redis} scheme.
 */
public interface SessionStoreProvider {
  /** The URI scheme this provider opens, such as {@code redis}. */
  String scheme();

  /** Opens a store at {@code uri}. */
  SessionStore open(URI uri);
}
