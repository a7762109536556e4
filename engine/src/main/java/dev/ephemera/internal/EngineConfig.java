package dev.ephemera.internal;

import dev.ephemera.AuditSink;
import dev.ephemera.Authenticator;
import dev.ephemera.BindingViolation;
import dev.ephemera.CapacityPolicy;
import dev.ephemera.ClientBinding;
import dev.ephemera.ExceedPolicy;
import dev.ephemera.SessionListener;
import dev.ephemera.SessionStore;
import dev.ephemera.Ticker;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;

/** The validated settings of an engine, as {@code SessionEngine.Builder} hands them over. Times in nanoseconds. */
public record EngineConfig(
    long idleTimeoutNanos,
    long maxLifetimeNanos,
    long idleWarningNanos,
    int maxSessions,
    CapacityPolicy capacityPolicy,
    int maxSessionsPerUser,
    ExceedPolicy exceedPolicy,
    Ticker ticker,
    Clock clock,
    SecureRandom random,
    List<SessionListener> listeners,
    String rootUser,
    String rootPassword,
    Authenticator authenticator,
    long maxValueBytes,
    long maxSessionBytes,
    int passwordIterations,
    String database,
    long maxTempTables,
    long maxTempRows,
    long maxGraphBytes,
    boolean warmUpGraphs,
    AuditSink auditSink,
    int auditBuffer,
    boolean auditValues,
    long reauthNanos,
    int maxFailedSignIns,
    long lockoutNanos,
    ClientBinding binding,
    BindingViolation bindingViolation,
    SessionStore store,
    long writeBehindNanos,
    long statementTimeoutNanos,
    boolean rootFileAccess) {

  @Override
  public String toString() {
    return "EngineConfig[idleTimeoutNanos=" + idleTimeoutNanos + ", maxLifetimeNanos=" + maxLifetimeNanos
        + ", maxSessions=" + maxSessions + ", maxSessionsPerUser=" + maxSessionsPerUser + ", rootUser="
        + rootUser + ", rootPassword=***]";
  }
}
