/** Ephemera's engine: sessions, variables, expiry, limits, sign-in and administration. */
module dev.ephemera.engine {
  requires com.github.benmanes.caffeine;

  exports dev.ephemera;
}
