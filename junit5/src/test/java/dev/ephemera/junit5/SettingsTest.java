package dev.ephemera.junit5;

import static org.junit.jupiter.api.Assertions.*;

import dev.ephemera.AuthLevel;
import dev.ephemera.Session;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Namespace, database and user from the annotation; a method's annotation overrides the class's. */
@EphemeraTest(namespace = "shop", database = "orders", user = "alice")
class SettingsTest {
  @Test
  void theSessionIsSignedInAsTheUserInTheDatabase(Session s) {
    assertEquals("alice", s.info().identity().user());
    assertEquals(AuthLevel.DATABASE, s.info().identity().level());
    assertEquals("shop", s.info().namespace());
    assertEquals("orders", s.info().database());
  }

  @Test
  void theConnectionToo(Connection c) throws Exception {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT CURRENT_SESSION_USER(), CURRENT_NAMESPACE(), CURRENT_DATABASE()")) {
      assertTrue(rs.next());
      assertEquals(List.of("alice", "shop", "orders"), List.of(rs.getString(1), rs.getString(2), rs.getString(3)));
    }
  }

  @Test
  @EphemeraTest(user = "root")
  void aMethodsAnnotationOverridesTheClasss(Session s) {
    assertEquals(AuthLevel.ROOT, s.info().identity().level());
    assertNull(s.info().namespace());
  }

  @Test
  @EphemeraTest
  void withoutSettingsTheSessionIsNotSignedIn(Session s) {
    assertNull(s.info().identity());
  }
}
