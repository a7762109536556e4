package dev.ephemera;

/** Where a session is in its life. Every state but {@link #ACTIVE} is final. */
public enum SessionState {
  /** Open and usable. */
  ACTIVE,
  /** Ended by {@link Session#close()} or by the engine's shutdown. */
  CLOSED,
  /** Ended by its idle timeout or its maximum lifetime. */
  EXPIRED,
  /** Ended by an administrator, a per-user limit or the engine's global limit. */
  KILLED
}
