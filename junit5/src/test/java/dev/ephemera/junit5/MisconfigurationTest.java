package dev.ephemera.junit5;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.cause;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.ephemera.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * A wrong annotation fails its tests with a message naming the mistake (JUnit wraps the
 * extension's {@link ExtensionConfigurationException} in its parameter-resolution error).
 */
class MisconfigurationTest {
  @EphemeraTest(seed = "/no-such-script.sql")
  static class MissingSeed {
    @Test
    void test(Session s) {
      s.ping();
    }
  }

  @EphemeraTest(database = "orders")
  static class DatabaseWithoutNamespace {
    @Test
    void test(Session s) {
      s.ping();
    }
  }

  @EphemeraTest(user = "alice")
  static class UserWithoutDatabase {
    @Test
    void test(Session s) {
      s.ping();
    }
  }

  static void failsWith(Class<?> c, String text) {
    EngineTestKit.engine("junit-jupiter").selectors(selectClass(c)).execute().testEvents()
        .assertStatistics(stats -> stats.started(1).failed(1))
        .assertThatEvents().haveExactly(1, event(finishedWithFailure(
            instanceOf(org.junit.jupiter.api.extension.ParameterResolutionException.class), message(m -> m.contains(text)),
            cause(instanceOf(ExtensionConfigurationException.class)))));
  }

  @Test
  void aMissingSeedScriptIsNamed() {
    failsWith(MissingSeed.class, "seed script not found on the class path: /no-such-script.sql");
  }

  @Test
  void aDatabaseNeedsANamespace() {
    failsWith(DatabaseWithoutNamespace.class, "database 'orders' needs a namespace");
  }

  @Test
  void aUserOtherThanRootNeedsADatabase() {
    failsWith(UserWithoutDatabase.class, "user 'alice' is created as a database user");
  }
}
