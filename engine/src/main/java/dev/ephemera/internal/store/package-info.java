/**
 * The built-in session stores (memory, file, JDBC) and the binary form of a stored record.
 */
package dev.ephemera.internal.store;
