package dev.ephemera.testkit;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * An attacker exploring a JDBC API: from the objects given, calls every getter with no arguments
 * that returns an interface (or {@code Object}), four steps deep, and reports every object of H2's
 * own JDBC or engine classes it reaches. Shared by the engine's and the driver's raw-connection tests.
 */
public final class JdbcWalk {
  private final Map<Object, Boolean> seen = new IdentityHashMap<>();
  private final List<String> leaks = new ArrayList<>();

  /** Walks from {@code start}, named {@code path} in the report. */
  public JdbcWalk from(Object start, String path) {
    walk(start, path, 0);
    return this;
  }

  /** The paths that reached an object of H2's, empty when none did. */
  public List<String> leaks() {
    return leaks;
  }

  /** How many distinct objects the walk reached. */
  public int reached() {
    return seen.size();
  }

  /** Whether {@code o} is an object of any of H2's classes. */
  public static boolean isH2s(Object o) {
    return o != null && o.getClass().getName().startsWith("org.h2.");
  }

  /** Whether {@code o} is one of H2's JDBC or engine objects (a way to its raw connection). */
  private static boolean isH2sJdbcOrEngine(Object o) {
    return o.getClass().getName().startsWith("org.h2.jdbc.") || o.getClass().getName().startsWith("org.h2.engine.");
  }

  private void walk(Object o, String path, int depth) {
    if (o == null || seen.put(o, Boolean.TRUE) != null || depth > 4) {
      return;
    }
    if (isH2sJdbcOrEngine(o)) {
      leaks.add(path + " -> " + o.getClass().getName());
      return;
    }
    for (Class<?> type : o.getClass().getInterfaces()) {
      if (!type.getName().startsWith("java.sql.")) {
        continue;
      }
      for (Method m : type.getMethods()) {
        if (m.getParameterCount() != 0 || !m.getName().startsWith("get")
            || !(m.getReturnType().isInterface() || m.getReturnType() == Object.class)) {
          continue;
        }
        Object next;
        try {
          next = m.invoke(o);
        } catch (ReflectiveOperationException | RuntimeException e) {
          continue; // not supported, or not now
        }
        walk(next, path + "." + m.getName() + "()", depth + 1);
      }
    }
  }
}
