package dev.ephemera;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AuthTest {
  final RecordingListener events = new RecordingListener();
  final SessionEngine engine = SessionEngine.builder()
      .ticker(new FakeTicker())
      .rootUser("root", "secret")
      .passwordHashIterations(1000)
      .listener(events)
      .build();

  AuthTest() {
    engine.users().create(Credentials.namespace("acme", "nsadmin", "pw-ns"));
    engine.users().create(Credentials.database("acme", "sales", "user1", "pass1"));
  }

  @AfterEach
  void close() {
    engine.close();
  }

  @Test
  void aNewSessionIsSignedOutWithNothingSelected() {
    SessionInfo i = engine.open().info();
    assertNull(i.identity());
    assertNull(i.namespace());
    assertNull(i.database());
  }

  @Test
  void rootSignsInAndMayUseAnything() {
    Session s = engine.open();
    Identity id = s.signIn(Credentials.root("root", "secret"));
    assertEquals(new Identity("root", AuthLevel.ROOT, null, null), id);
    s.use("any_ns", "any_db");
    assertEquals("any_ns", s.info().namespace());
    assertEquals("any_db", s.info().database());
    s.use("other", null);
    assertNull(s.info().database());
  }

  @Test
  void aDatabaseUserGetsItsDatabaseSelectedAndCannotLeaveIt() {
    Session s = engine.open();
    s.signIn(Credentials.database("acme", "sales", "user1", "pass1"));
    assertEquals("acme", s.info().namespace());
    assertEquals("sales", s.info().database());
    s.use("acme", "sales");
    AccessDeniedException e = assertThrows(AccessDeniedException.class, () -> s.use("acme", "hr"));
    assertTrue(e.getMessage().contains("db:acme:sales:user1") && e.getMessage().contains("'hr'"), e.getMessage());
    assertThrows(AccessDeniedException.class, () -> s.use("other", "sales"));
    assertEquals("sales", s.info().database(), "a refused use changes nothing");
  }

  @Test
  void aNamespaceUserMayUseAnyDatabaseOfItsNamespaceOnly() {
    Session s = engine.open();
    s.signIn(Credentials.namespace("acme", "nsadmin", "pw-ns"));
    assertEquals("acme", s.info().namespace());
    assertNull(s.info().database());
    s.use("acme", "hr");
    s.use("acme", "sales");
    assertThrows(AccessDeniedException.class, () -> s.use("globex", "sales"));
    assertEquals("sales", s.info().database());
  }

  @Test
  void aSignedOutSessionMayNotSelectANamespace() {
    Session s = engine.open();
    AccessDeniedException e = assertThrows(AccessDeniedException.class, () -> s.use("acme", "sales"));
    assertTrue(e.getMessage().contains("not signed in"), e.getMessage());
  }

  @Test
  void refusedCredentialsChangeNothingAndSayOnlyThatTheyWereRefused() {
    Session s = engine.open();
    s.signIn(Credentials.database("acme", "sales", "user1", "pass1"));
    String token = s.token();
    List<Credentials> bad = List.of(
        Credentials.root("root", "wrong"),
        Credentials.root("nobody", "secret"),
        Credentials.database("acme", "hr", "user1", "pass1"),
        Credentials.namespace("acme", "user1", "pass1"));
    for (Credentials c : bad) {
      AuthenticationException e = assertThrows(AuthenticationException.class, () -> s.signIn(c));
      assertEquals("the credentials were refused", e.getMessage());
    }
    assertEquals(token, s.token());
    assertEquals("db:acme:sales:user1", s.info().identity().key());
    assertEquals(1, events.count("signedIn"));
  }

  @Test
  void signingInRotatesTheTokenAndTheOldOneStopsResuming() {
    Session s = engine.open();
    String before = s.token();
    s.signIn(Credentials.root("root", "secret"));
    String after = s.token();
    assertNotEquals(before, after);
    assertThrows(SessionNotFoundException.class, () -> engine.resume(before));
    assertSame(s, engine.resume(after));
    assertEquals(1, events.count("tokenRotated"));
  }

  @Test
  void signOutClearsSignInAndSelectionAndRotatesTheToken() {
    Session s = engine.open();
    s.signIn(Credentials.database("acme", "sales", "user1", "pass1"));
    s.set("kept", 1);
    String before = s.token();
    s.signOut();
    assertNull(s.info().identity());
    assertNull(s.info().namespace());
    assertNotEquals(before, s.token());
    assertThrows(SessionNotFoundException.class, () -> engine.resume(before));
    assertEquals(1L, s.get("kept"), "variables survive sign-out");
  }

  @Test
  void rotateTokenReplacesTheToken() {
    Session s = engine.open();
    String before = s.token();
    String after = s.rotateToken();
    assertEquals(after, s.token());
    assertThrows(SessionNotFoundException.class, () -> engine.resume(before));
    assertSame(s, engine.resume(after));
  }

  @Test
  void theRegistryRefusesDuplicatesAndChangesPasswords() {
    assertThrows(IllegalStateException.class, () -> engine.users().create(Credentials.root("root", "again")));
    engine.users().changePassword(Credentials.database("acme", "sales", "user1", "new-pass"));
    Session s = engine.open();
    assertThrows(AuthenticationException.class, () -> s.signIn(Credentials.database("acme", "sales", "user1", "pass1")));
    s.signIn(Credentials.database("acme", "sales", "user1", "new-pass"));
    assertThrows(IllegalStateException.class,
        () -> engine.users().changePassword(Credentials.root("ghost", "x")));
    assertEquals(List.of("db:acme:sales:user1", "ns:acme:nsadmin", "root:root"),
        engine.users().list().stream().map(Identity::key).toList());
  }

  @Test
  void removingAUserEndsItsSessions() {
    Session s = engine.open();
    s.signIn(Credentials.database("acme", "sales", "user1", "pass1"));
    Identity id = s.info().identity();
    assertTrue(engine.users().remove(id));
    assertFalse(engine.users().exists(id));
    assertEquals(SessionState.KILLED, s.state());
    assertFalse(engine.users().remove(id));
  }

  @Test
  void credentialsNeverShowThePasswordAndValidateNames() {
    assertFalse(Credentials.root("root", "secret").toString().contains("secret"));
    assertThrows(InvalidNameException.class, () -> Credentials.root("bad name", "x"));
    assertThrows(InvalidNameException.class, () -> Credentials.database("ns", "d;b", "u", "x"));
    assertThrows(IllegalArgumentException.class, () -> Credentials.root("u", null));
    assertThrows(IllegalArgumentException.class, () -> engine.users().create(Credentials.root("empty", "")));
  }

  @Test
  void aCustomAuthenticatorIsAskedFirstAndTheRegistryAfter() {
    SessionEngine custom = SessionEngine.builder()
        .ticker(new FakeTicker())
        .rootUser("root", "secret")
        .passwordHashIterations(1000)
        .authenticator(c -> c.identity().user().equals("ldap_user")
            ? Optional.of(new Identity("ldap_user", AuthLevel.NAMESPACE, "corp", null))
            : Optional.empty())
        .build();
    try {
      Session s = custom.open();
      assertEquals("corp", s.signIn(Credentials.root("ldap_user", "whatever")).namespace());
      assertEquals(AuthLevel.ROOT, s.signIn(Credentials.root("root", "secret")).level());
      assertThrows(AuthenticationException.class, () -> s.signIn(Credentials.root("root", "nope")));
    } finally {
      custom.close();
    }
  }
}
