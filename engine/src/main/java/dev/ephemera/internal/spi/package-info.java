/**
 * What the SQL module ({@code dev.ephemera.sql}) may call of the engine: the only internal package
 * exported, and to that module only.
 */
package dev.ephemera.internal.spi;
