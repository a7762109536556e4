package dev.ephemera.internal.store;

import dev.ephemera.AuthLevel;
import dev.ephemera.ClientInfo;
import dev.ephemera.CorruptRecordException;
import dev.ephemera.Identity;
import dev.ephemera.SessionRecord;
import dev.ephemera.internal.util.Buf;
import dev.ephemera.internal.util.ValueCodec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.CRC32;

/**
 * The binary form of a {@link SessionRecord}. Version 2 (written):
 *
 * <pre>
 * version (1 byte, = 1)
 * id, token hash (length-prefixed), identity (flag; user, level name, namespace, database),
 * namespace, database, priority (int), client (address, user agent, platform, certificate),
 * created, last active, reauth (flag + instant), expires (instants: epoch second long + nano int),
 * revision (long), signed in (flag + instant), variables, flash (maps in {@link ValueCodec}'s form)
 * CRC-32 of everything before it (int)
 * </pre>
 *
 * Version 1 (read) is the same without "signed in".
 *
 * Strings are length-prefixed UTF-8 with length + 1 (0 is {@code null}); numbers little-endian.
 * A new release adds a new version and keeps reading this one.
 */
public final class RecordCodec {
  static final int VERSION_1 = 1;
  static final int VERSION_2 = 2;

  private RecordCodec() {}

  public static byte[] encode(SessionRecord r) {
    Buf out = new Buf(256);
    out.put(VERSION_2);
    string(out, r.id());
    byte[] hash = r.tokenHash();
    out.putVar(hash.length).putBytes(hash, 0, hash.length);
    Identity id = r.identity();
    if (id == null) {
      out.put(0);
    } else {
      out.put(1);
      string(out, id.user());
      string(out, id.level().name());
      string(out, id.namespace());
      string(out, id.database());
    }
    string(out, r.namespace());
    string(out, r.database());
    out.putInt(r.priority());
    ClientInfo c = r.client();
    string(out, c.address());
    string(out, c.userAgent());
    string(out, c.platform());
    string(out, c.certificateFingerprint());
    instant(out, r.createdAt());
    instant(out, r.lastActiveAt());
    if (r.reauthAt() == null) {
      out.put(0);
    } else {
      out.put(1);
      instant(out, r.reauthAt());
    }
    instant(out, r.expiresAt());
    out.putLong(r.revision());
    if (r.signedInAt() == null) {
      out.put(0);
    } else {
      out.put(1);
      instant(out, r.signedInAt());
    }
    ValueCodec.writeMap(out, r.variables());
    ValueCodec.writeMap(out, r.flash());
    CRC32 crc = new CRC32();
    crc.update(out.b, 0, out.len);
    out.putInt((int) crc.getValue());
    return Arrays.copyOf(out.b, out.len);
  }

  public static SessionRecord decode(byte[] bytes, String storedUnder) {
    if (bytes == null || bytes.length < 5) {
      throw new CorruptRecordException(storedUnder, "truncated (" + (bytes == null ? 0 : bytes.length) + " bytes)");
    }
    int version = bytes[0] & 0xFF;
    if (version != VERSION_1 && version != VERSION_2) {
      throw new CorruptRecordException(storedUnder, "unknown format version " + version
          + " (this release reads versions " + VERSION_1 + " and " + VERSION_2 + ")");
    }
    int body = bytes.length - 4;
    CRC32 crc = new CRC32();
    crc.update(bytes, 0, body);
    Buf in = new Buf(0);
    in.b = bytes;
    in.len = body;
    if (in.getInt(body) != (int) crc.getValue()) {
      throw new CorruptRecordException(storedUnder, "checksum mismatch (truncated or altered)");
    }
    try {
      in.pos = 1;
      String sid = string(in);
      byte[] hash = in.getBytes(in.getVar());
      Identity id = null;
      if (in.get() == 1) {
        String user = string(in);
        AuthLevel level = AuthLevel.valueOf(string(in));
        id = new Identity(user, level, string(in), string(in));
      }
      String ns = string(in);
      String db = string(in);
      int priority = in.getInt();
      ClientInfo client = new ClientInfo(string(in), string(in), string(in), string(in));
      Instant created = instant(in);
      Instant last = instant(in);
      Instant reauth = in.get() == 1 ? instant(in) : null;
      Instant expires = instant(in);
      long revision = in.getLong();
      Instant signedIn = version >= VERSION_2 && in.get() == 1 ? instant(in) : null;
      Map<String, Object> vars = ValueCodec.readMap(in);
      Map<String, Object> flash = ValueCodec.readMap(in);
      if (in.pos != body) {
        throw new IllegalStateException((body - in.pos) + " bytes left over");
      }
      if (storedUnder != null && !storedUnder.equals(sid)) {
        throw new IllegalStateException("it holds session " + sid);
      }
      return new SessionRecord(sid, hash, id, ns, db, vars, flash, priority, client, created, last, reauth, expires,
          revision, signedIn);
    } catch (RuntimeException e) { // a checksum match with bad contents: a bug or a deliberate forgery
      throw new CorruptRecordException(storedUnder, "malformed: " + e);
    }
  }

  private static void string(Buf out, String s) {
    if (s == null) {
      out.putVar(0);
    } else {
      byte[] u = s.getBytes(StandardCharsets.UTF_8);
      out.putVar(u.length + 1).putBytes(u, 0, u.length);
    }
  }

  private static String string(Buf in) {
    int n = in.getVar();
    if (n == 0) {
      return null;
    }
    byte[] u = in.getBytes(n - 1);
    return new String(u, StandardCharsets.UTF_8);
  }

  private static void instant(Buf out, Instant t) {
    out.putLong(t.getEpochSecond()).putInt(t.getNano());
  }

  private static Instant instant(Buf in) {
    long s = in.getLong();
    return Instant.ofEpochSecond(s, in.getInt());
  }

  /** Map equality that compares byte arrays by content (records hold normalized values). */
  public static boolean sameValues(Map<String, Object> a, Map<String, Object> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (Map.Entry<String, Object> e : a.entrySet()) {
      if (!b.containsKey(e.getKey()) || !same(e.getValue(), b.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  private static boolean same(Object x, Object y) {
    if (x instanceof byte[] p && y instanceof byte[] q) {
      return Arrays.equals(p, q);
    }
    if (x instanceof List<?> p && y instanceof List<?> q) {
      if (p.size() != q.size()) {
        return false;
      }
      for (int i = 0; i < p.size(); i++) {
        if (!same(p.get(i), q.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (x instanceof Map<?, ?> p && y instanceof Map<?, ?> q) {
      @SuppressWarnings("unchecked")
      boolean s = sameValues((Map<String, Object>) p, (Map<String, Object>) q);
      return s;
    }
    return Objects.equals(x, y);
  }
}
