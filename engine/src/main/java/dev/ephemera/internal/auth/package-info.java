/**
 * Users and sign-in: the user registry and password hashing, the per-user session limit, the
 * sign-in throttle.
 */
package dev.ephemera.internal.auth;
