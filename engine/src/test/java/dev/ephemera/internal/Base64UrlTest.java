package dev.ephemera.internal;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Test;

class Base64UrlTest {
  @Test
  void idsRoundTripThroughTheirTextForm() {
    Random r = new Random(1);
    for (int i = 0; i < 10_000; i++) {
      IdKey k = new IdKey(r.nextLong(), r.nextInt());
      String text = k.toString();
      assertTrue(text.matches("sess_[A-Za-z0-9_-]{16}"), text);
      assertEquals(k, IdKey.parse(text));
    }
    assertNull(IdKey.parse("sess_AAAAAAAAAAAAAAA!"));
    assertNull(IdKey.parse("xess_AAAAAAAAAAAAAAAA"));
    assertNull(IdKey.parse("sess_AAAA"));
  }

  @Test
  void aSecretMatchesOnlyItsOwnText() {
    Random r = new Random(2);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (int i = 0; i < 2_000; i++) {
      long w0 = r.nextLong();
      long w1 = r.nextLong();
      long w2 = r.nextLong();
      long w3 = r.nextLong();
      byte[] expected = Base64Url.secretText(w0, w1, w2, w3);
      byte[] token = new byte[Base64Url.TOKEN_CHARS];
      System.arraycopy(expected, 0, token, IdKey.CHARS, expected.length);
      assertTrue(Base64Url.secretEquals(token, IdKey.CHARS, expected));
      assertFalse(Base64Url.secretEquals(token, IdKey.CHARS, Base64Url.secretText(w0, w1, w2, w3 ^ 1)));
      assertFalse(Base64Url.secretEquals(token, IdKey.CHARS, Base64Url.secretText(w0 ^ Long.MIN_VALUE, w1, w2, w3)));
      int pos = r.nextInt(Base64Url.SECRET_CHARS);
      byte[] changed = token.clone();
      changed[IdKey.CHARS + pos] = (byte) alphabet.charAt((alphabet.indexOf(token[IdKey.CHARS + pos]) + 1 + r.nextInt(63)) % 64);
      assertFalse(Base64Url.secretEquals(changed, IdKey.CHARS, expected), "changed at " + pos);
    }
  }

  @Test
  void idBytesDecodeLikeIdText() {
    Random r = new Random(3);
    for (int i = 0; i < 1000; i++) {
      IdKey k = new IdKey(r.nextLong(), r.nextInt());
      String text = k.toString().substring(IdKey.PREFIX.length());
      assertEquals(k, Base64Url.decodeId(text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), 0));
    }
    assertNull(Base64Url.decodeId("AAAAAAAAAAAAAAA?".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), 0));
    assertNull(Base64Url.decodeId(new byte[] {65, 65, 65, 65, 65, 65, 65, 65, 65, 65, 65, 65, 65, 65, 65, (byte) 0xC1}, 0));
  }

  @Test
  void theSameBitsHaveTheSameTextAsJavasEncoder() {
    long w0 = 0x0123456789ABCDEFL;
    long w1 = -1L;
    long w2 = 0;
    long w3 = 0x7F00FF00AA55AA55L;
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(32).putLong(w0).putLong(w1).putLong(w2).putLong(w3);
    String expected = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
    char[] out = new char[Base64Url.SECRET_CHARS];
    Base64Url.encodeSecret(w0, w1, w2, w3, out, 0);
    assertEquals(expected, new String(out));
  }
}
