package dev.ephemera;

/**
 * A stored session record cannot be decoded: truncated, bytes flipped, or written by a newer
 * release. The engine skips it (logs it and counts it in {@link EngineStats#corruptRecords()}) and
 * goes on loading the others; a resume of that session fails with this exception.
 */
public class CorruptRecordException extends SessionStoreException {
  private static final long serialVersionUID = 1L;

  private final String sessionId;

  public CorruptRecordException(String sessionId, String message) {
    super("session record " + (sessionId == null ? "(unknown id)" : sessionId) + " is unreadable: " + message);
    this.sessionId = sessionId;
  }

  /** The id the record was stored under, or {@code null} if not even that is known. */
  public String sessionId() {
    return sessionId;
  }
}
