/**
 * The core of the implementation (not exported): the engine ({@link dev.ephemera.internal.EngineImpl}),
 * its registry and the session object, ids and tokens, expiry, and the link to the session store.
 * The capability packages below it never import it: they see a session through a small interface
 * ({@code SqlOwner}, {@code GraphOwner}, {@code UserIndex.Member}). See ARCHITECTURE.md.
 */
package dev.ephemera.internal;
