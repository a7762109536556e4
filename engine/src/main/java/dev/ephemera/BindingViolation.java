package dev.ephemera;

/** What the engine does when a bound session is resumed by another client. Both are audited. */
public enum BindingViolation {
  /** Refuse the resume with {@link SessionBindingException}; the session lives on for its own client. */
  REFUSE,
  /**
   * Refuse the resume and kill the session as hijacked (its token was seen elsewhere): the
   * rightful client has to sign in again too.
   */
  REFUSE_AND_KILL
}
