package dev.ephemera.redis;

import dev.ephemera.Session;
import dev.ephemera.SessionEngine;

/**
 * The other process of {@link TwoProcessesOnRedisTest}: builds an engine on the Redis server at
 * {@code args[0]}, resumes the session whose token is {@code args[1]}, prints the variable
 * {@code cart} it reads, sets {@code fromChild}, and closes the engine (which keeps the record).
 */
public final class ChildEngine {
  private ChildEngine() {}

  /** {@code ChildEngine REDIS_URI TOKEN}. */
  public static void main(String[] args) {
    try (SessionEngine engine = SessionEngine.builder()
        .store(RedisSessionStore.open(args[0]))
        .warmUpGraphs(false)
        .build()) {
      Session s = engine.resume(args[1]);
      System.out.println("child read cart=" + s.get("cart") + " in " + s.id());
      s.set("fromChild", "hello from pid " + ProcessHandle.current().pid());
    }
    System.out.println("child done");
  }
}
