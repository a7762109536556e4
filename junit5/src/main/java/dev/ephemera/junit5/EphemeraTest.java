package dev.ephemera.junit5;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class (or method) with the {@link EphemeraExtension}: each test gets a fresh
 * {@link dev.ephemera.Session} or {@link java.sql.Connection} parameter, from one engine per test
 * class, ended after the test. On a method it overrides the class's settings for that method.
 *
 * <pre>{@code
 * @EphemeraTest(namespace = "shop", database = "orders", user = "alice", seed = "/schema.sql")
 * class OrderTest {
 *   @Test
 *   void totals(Session s) { ... }           // signed in as alice in shop/orders, schema.sql run
 *
 *   @Test
 *   void viaJdbc(Connection c) { ... }       // the same, through the jdbc:ephemera: driver
 * }
 * }</pre>
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@ExtendWith(EphemeraExtension.class)
public @interface EphemeraTest {
  /**
   * The namespace the session selects; with {@link #database()}, the database too. Empty: none.
   * Selecting one needs a signed-in {@link #user()}; without one the session signs in as root.
   */
  String namespace() default "";

  /** The database the session selects in {@link #namespace()}. Empty: none. */
  String database() default "";

  /**
   * Who the session signs in as: {@code "root"}, or a user name, which the extension creates as a
   * database user of {@link #namespace()}/{@link #database()} (both then required). Empty: not
   * signed in (unless a namespace is given: then root).
   */
  String user() default "";

  /**
   * A SQL script on the class path (for example {@code "/seed.sql"}) run in the session before each
   * test, one statement at a time through the session dialect ({@code CREATE TEMPORARY TABLE …},
   * {@code SET SESSION …}, plain H2 SQL). Statements end with {@code ;}; {@code --} starts a comment.
   */
  String seed() default "";
}
