package dev.ephemera;

import static org.junit.jupiter.api.Assertions.*;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The stable binary form of a session record: round trip, and every kind of damage recognised. */
class SessionRecordTest {
  static SessionRecord sample() {
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("s", "text ünïcödé");
    vars.put("l", 42L);
    vars.put("d", 2.5);
    vars.put("dec", new BigDecimal("-12.3400"));
    vars.put("t", true);
    vars.put("f", false);
    vars.put("b", new byte[] {0, 1, (byte) 255});
    vars.put("i", Instant.parse("2026-03-04T05:06:07.123456789Z"));
    vars.put("list", List.of(1L, "x", List.of()));
    vars.put("map", Map.of("k", Map.of("n", 1L)));
    vars.put("none", null);
    vars.put("lone", "a\uD800b\uDC00"); // unpaired surrogates: UTF-8 cannot hold them, the record must
    vars.put("lones", List.of("\uDBFF", "ok \uD83D\uDE80", Map.of("k", "\uDFFFz")));
    byte[] hash = new byte[32];
    Arrays.fill(hash, (byte) 7);
    return new SessionRecord("sess_AAAAAAAAAAAAAAAA", hash, new Identity("alice", AuthLevel.DATABASE, "ns", "db"),
        "ns", "db", vars, Map.of("notice", "hi"), -3, new ClientInfo("10.0.0.1", "ua", "p").withCertificate("fp"),
        Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-01T00:05:00Z"),
        Instant.parse("2026-01-01T01:00:00Z"), Instant.parse("2026-01-01T00:35:00Z"), 123456789L,
        Instant.parse("2026-01-01T00:01:02.000000003Z"));
  }

  /** A record as version 1 (the first release) wrote it: alice in ns/db, variables n = 42 and s = "hi". */
  static final String VERSION_1_RECORD = "0116736573735f41414141414141414141414141414141200707070707070707070707070707070707070707"
      + "0707070707070707070707070106616c696365094441544142415345036e73036462036e73036462000000000000000000b95569000000"
      + "00000000002cba556900000000000000000034c155690000000000000000630000000000000002016e032a000000000000000173060268690086762936";

  @Test
  void everyFieldAndValueTypeSurvivesTheRoundTrip() {
    SessionRecord r = sample();
    SessionRecord back = SessionRecord.fromBytes(r.toBytes(), r.id());
    assertEquals(r, back);
    assertArrayEquals((byte[]) r.variables().get("b"), (byte[]) back.variables().get("b"));
    assertEquals("a\uD800b\uDC00", back.variables().get("lone"));
    SessionRecord bare = new SessionRecord("sess_BBBBBBBBBBBBBBBB", new byte[32], null, null, null, Map.of(), Map.of(),
        0, ClientInfo.none(), Instant.EPOCH, Instant.EPOCH, null, Instant.EPOCH, 0);
    assertEquals(bare, SessionRecord.fromBytes(bare.toBytes(), null));
    assertNotEquals(r, bare);
  }

  @Test
  void theFirstByteIsTheFormatVersion() {
    assertEquals(2, sample().toBytes()[0]);
  }

  @Test
  void aVersion1RecordStillReadsWithItsSignInTimeUnknown() {
    SessionRecord r = SessionRecord.fromBytes(java.util.HexFormat.of().parseHex(VERSION_1_RECORD), "sess_AAAAAAAAAAAAAAAA");
    assertEquals("alice", r.identity().user());
    assertEquals(Map.of("n", 42L, "s", "hi"), r.variables());
    assertEquals(Instant.parse("2026-01-01T00:05:00Z"), r.lastActiveAt());
    assertEquals(99L, r.revision());
    assertNull(r.signedInAt());
    SessionRecord again = SessionRecord.fromBytes(r.toBytes(), r.id()); // written back as version 2
    assertEquals(r, again);
  }

  @Test
  void everySingleBitFlipAnywhereIsRecognised() {
    byte[] good = sample().toBytes();
    for (int i = 0; i < good.length; i++) {
      for (int bit = 0; bit < 8; bit++) {
        byte[] bad = good.clone();
        bad[i] ^= (byte) (1 << bit);
        int at = i;
        assertThrows(CorruptRecordException.class, () -> SessionRecord.fromBytes(bad, "sess_AAAAAAAAAAAAAAAA"),
            () -> "flip at byte " + at);
      }
    }
  }

  @Test
  void everyTruncationIsRecognised() {
    byte[] good = sample().toBytes();
    for (int n = 0; n < good.length; n++) {
      byte[] cut = Arrays.copyOf(good, n);
      CorruptRecordException x = assertThrows(CorruptRecordException.class,
          () -> SessionRecord.fromBytes(cut, "sess_AAAAAAAAAAAAAAAA"));
      assertTrue(x.getMessage().startsWith("session record sess_AAAAAAAAAAAAAAAA is unreadable"), x.getMessage());
    }
    assertThrows(CorruptRecordException.class, () -> SessionRecord.fromBytes(null, null));
  }

  @Test
  void anUnknownVersionIsRefusedByName() {
    byte[] b = sample().toBytes();
    b[0] = 3;
    CorruptRecordException x = assertThrows(CorruptRecordException.class, () -> SessionRecord.fromBytes(b, null));
    assertTrue(x.getMessage().contains("unknown format version 3"), x.getMessage());
  }

  @Test
  void aRecordStoredUnderAnotherIdIsRefused() {
    byte[] b = sample().toBytes();
    CorruptRecordException x = assertThrows(CorruptRecordException.class,
        () -> SessionRecord.fromBytes(b, "sess_CCCCCCCCCCCCCCCC"));
    assertTrue(x.getMessage().contains("holds session sess_AAAAAAAAAAAAAAAA"), x.getMessage());
  }

  @Test
  void aForgedLengthWithAValidChecksumFailsWithoutAllocating() {
    // version, id of length 2^31-ish, then a correct CRC: the length check stops it before any allocation
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.write(1);
    out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07});
    byte[] body = out.toByteArray();
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(body);
    int c = (int) crc.getValue();
    byte[] forged = Arrays.copyOf(body, body.length + 4);
    for (int i = 0; i < 4; i++) {
      forged[body.length + i] = (byte) (c >>> (8 * i));
    }
    CorruptRecordException x = assertThrows(CorruptRecordException.class, () -> SessionRecord.fromBytes(forged, null));
    assertTrue(x.getMessage().contains("malformed"), x.getMessage());
  }

  @Test
  void toStringShowsNeitherTheTokenHashNorValues() {
    String s = sample().toString();
    assertTrue(s.contains("sess_AAAAAAAAAAAAAAAA") && s.contains("alice"), s);
    assertFalse(s.contains("ünïcödé"), s);
    assertFalse(s.contains("7, 7"), s);
  }

  @Test
  void theConstructorCopiesAndChecks() {
    byte[] hash = new byte[32];
    SessionRecord r = new SessionRecord("sess_AAAAAAAAAAAAAAAA", hash, null, null, null, Map.of(), Map.of(), 0,
        ClientInfo.none(), Instant.EPOCH, Instant.EPOCH, null, Instant.EPOCH, 0);
    hash[0] = 1;
    assertEquals(0, r.tokenHash()[0], "the record keeps its own copy");
    r.tokenHash()[0] = 1;
    assertEquals(0, r.tokenHash()[0], "and hands out copies");
    assertThrows(IllegalArgumentException.class, () -> new SessionRecord("sess_AAAAAAAAAAAAAAAA", new byte[3], null,
        null, null, Map.of(), Map.of(), 0, ClientInfo.none(), Instant.EPOCH, Instant.EPOCH, null, Instant.EPOCH, 0));
    assertThrows(NullPointerException.class, () -> new SessionRecord(null, new byte[32], null, null, null, Map.of(),
        Map.of(), 0, ClientInfo.none(), Instant.EPOCH, Instant.EPOCH, null, Instant.EPOCH, 0));
  }
}
