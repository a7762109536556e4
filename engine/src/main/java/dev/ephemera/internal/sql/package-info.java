/**
 * A session's SQL side: its H2 connection and statements, H2 command inspection, transactions
 * and undo, the JDBC wrapper users get, live queries, and the engine's H2 database. Sees its session
 * only through {@link dev.ephemera.internal.sql.SqlOwner}.
 */
package dev.ephemera.internal.sql;
