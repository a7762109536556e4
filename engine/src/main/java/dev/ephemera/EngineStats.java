package dev.ephemera;

import java.time.Duration;
import java.util.Map;

/**
 * Counters of an engine since it was built.
 *
 * @param active sessions live now
 * @param peak the most sessions live at once
 * @param opened sessions opened (including forks)
 * @param closed sessions ended by {@link Session#close()} or engine shutdown
 * @param expired sessions ended by idle timeout or lifetime
 * @param killed sessions ended by an administrator, a per-user limit or eviction
 * @param endedBy the ended sessions counted by exact reason
 * @param averageDuration the mean time from open to end of the sessions that have ended
 * @param averageOperations the mean number of operations of the sessions that have ended
 * @param sqlConnections H2 connections held by sessions now (one per live session that has used SQL)
 * @param tempGraphs temporary graphs open now, in all sessions
 * @param graphOffHeapBytes the off-heap bytes those graphs hold (Chronicle Map's accounting)
 * @param auditWritten audit events written to the sink
 * @param auditDropped audit events dropped because the buffer was full or the sink failed
 * @param signInsLocked sign-ins refused by a lockout ({@link SignInLockedException})
 * @param restored sessions restored from the store (at start-up, or on resume from a shared store)
 * @param storeWrites records saved to or deleted from the store
 * @param storeFailures store operations that failed (each logged, and thrown where a caller waits)
 * @param corruptRecords unreadable records found in the store and skipped ({@link CorruptRecordException})
 */
public record EngineStats(
    long active,
    long peak,
    long opened,
    long closed,
    long expired,
    long killed,
    Map<EndReason, Long> endedBy,
    Duration averageDuration,
    double averageOperations,
    long sqlConnections,
    long tempGraphs,
    long graphOffHeapBytes,
    long auditWritten,
    long auditDropped,
    long signInsLocked,
    long restored,
    long storeWrites,
    long storeFailures,
    long corruptRecords) {}
