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
