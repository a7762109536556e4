package dev.ephemera;

/** The engine has been closed; it opens and resumes no more sessions. */
public final class EngineClosedException extends EphemeraException {
  private static final long serialVersionUID = 1L;

  public EngineClosedException() {
    super("the session engine is closed");
  }
}
