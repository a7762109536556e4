/**
 * Pieces with no business with sessions: byte buffers, an int map, saturating arithmetic,
 * random bytes, JSON text, the value types and their codec, the engine's clock, Chronicle Map's JVM
 * requirements. Depends on no other internal package.
 */
package dev.ephemera.internal.util;
