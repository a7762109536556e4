/**
 * The audit log's bounded queue and its writer thread.
 */
package dev.ephemera.internal.audit;
