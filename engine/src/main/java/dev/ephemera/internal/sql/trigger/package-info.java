/**
 * The live-query trigger, alone because H2 instantiates it by class name: the only package of
 * the engine opened to H2.
 */
package dev.ephemera.internal.sql.trigger;
