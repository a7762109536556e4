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
  void idHighAndLowDecodeLikeDecodeIdAndRefuseEveryBadCharacter() {
    Random r = new Random(5);
    for (int i = 0; i < 10_000; i++) {
      IdKey k = new IdKey(r.nextLong(), r.nextInt());
      byte[] token = (k.toString().substring(IdKey.PREFIX.length()) + "x".repeat(Base64Url.SECRET_CHARS))
          .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
      long high = Base64Url.idHigh(token);
      long low = Base64Url.idLow(token);
      assertTrue(high >= 0 && low >= 0);
      assertEquals(k, new IdKey((high << 4) | (low >>> 32), (int) low));
      // every position, every byte that is not base64url: refused by the half that holds it, never decoded
      int at = r.nextInt(IdKey.CHARS);
      for (int b = 0; b < 256; b++) {
        byte[] bad = token.clone();
        bad[at] = (byte) b;
        boolean valid = b < 128 && "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".indexOf(b) >= 0;
        long h = Base64Url.idHigh(bad);
        long l = Base64Url.idLow(bad);
        assertEquals(valid, (h | l) >= 0, "byte " + b + " at " + at);
        if (valid) {
          assertEquals(Base64Url.decodeId(bad, 0), new IdKey((h << 4) | (l >>> 32), (int) l));
        } else {
          assertNull(Base64Url.decodeId(bad, 0));
        }
      }
    }
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
