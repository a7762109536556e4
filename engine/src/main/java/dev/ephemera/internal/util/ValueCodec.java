package dev.ephemera.internal.util;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stable binary form of the variable value types (ARCHITECTURE.md, "Values"): one tag byte, then the
 * value. Used for temporary graph properties off the heap and stored session records; strings
 * round-trip exactly, unpaired surrogates included; values must be normalized first
 * ({@link Values#normalize}). Tags are never renumbered: add new ones at the end.
 */
public final class ValueCodec {
  private static final int NULL = 0;
  private static final int FALSE = 1;
  private static final int TRUE = 2;
  private static final int LONG = 3;
  private static final int DOUBLE = 4;
  private static final int DECIMAL = 5;
  private static final int STRING = 6;
  private static final int BYTES = 7;
  private static final int INSTANT = 8;
  private static final int LIST = 9;
  private static final int MAP = 10;
  /** A string UTF-8 cannot hold (an unpaired surrogate): its UTF-16 chars, two bytes each. */
  private static final int STRING_UTF16 = 11;

  private ValueCodec() {}

  static void write(Buf out, Object v) {
    if (v == null) {
      out.put(NULL);
    } else if (v instanceof Boolean x) {
      out.put(x ? TRUE : FALSE);
    } else if (v instanceof Long x) {
      out.put(LONG).putLong(x);
    } else if (v instanceof Double x) {
      out.put(DOUBLE).putLong(Double.doubleToRawLongBits(x));
    } else if (v instanceof BigDecimal x) {
      byte[] u = x.unscaledValue().toByteArray();
      out.put(DECIMAL).putInt(x.scale()).putVar(u.length).putBytes(u, 0, u.length);
    } else if (v instanceof String x) {
      if (Values.unpairedSurrogate(x) < 0) {
        out.put(STRING).putString(x);
      } else { // UTF-8 would turn each unpaired surrogate into '?'
        out.put(STRING_UTF16).putVar(x.length());
        for (int i = 0; i < x.length(); i++) {
          char c = x.charAt(i);
          out.put(c >>> 8).put(c);
        }
      }
    } else if (v instanceof byte[] x) {
      out.put(BYTES).putVar(x.length).putBytes(x, 0, x.length);
    } else if (v instanceof Instant x) {
      out.put(INSTANT).putLong(x.getEpochSecond()).putInt(x.getNano());
    } else if (v instanceof List<?> x) {
      out.put(LIST).putVar(x.size());
      for (Object e : x) {
        write(out, e);
      }
    } else if (v instanceof Map<?, ?> x) {
      out.put(MAP);
      writeMap(out, x);
    } else {
      throw new IllegalArgumentException("not a normalized value: " + v.getClass().getName());
    }
  }

  /** A map's entries without the tag: count, then name and value of each. */
  public static void writeMap(Buf out, Map<?, ?> m) {
    out.putVar(m.size());
    for (Map.Entry<?, ?> e : m.entrySet()) {
      out.putString((String) e.getKey());
      write(out, e.getValue());
    }
  }

  static Object read(Buf in) {
    int tag = in.get();
    switch (tag) {
      case NULL:
        return null;
      case FALSE:
        return Boolean.FALSE;
      case TRUE:
        return Boolean.TRUE;
      case LONG:
        return in.getLong();
      case DOUBLE:
        return Double.longBitsToDouble(in.getLong());
      case DECIMAL: {
        int scale = in.getInt();
        return new BigDecimal(new BigInteger(in.getBytes(in.getVar())), scale);
      }
      case STRING:
        return in.getString();
      case STRING_UTF16: {
        int n = in.getVar();
        in.checkRemaining(n < 0 || n > Integer.MAX_VALUE / 2 ? -1 : 2 * n);
        char[] c = new char[n];
        for (int i = 0; i < n; i++) {
          c[i] = (char) ((in.get() << 8) | in.get());
        }
        return new String(c);
      }
      case BYTES:
        return in.getBytes(in.getVar());
      case INSTANT: {
        long s = in.getLong();
        return Instant.ofEpochSecond(s, in.getInt());
      }
      case LIST: {
        int n = in.checkRemaining(in.getVar()); // every element takes a byte at least
        List<Object> l = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          l.add(read(in));
        }
        return Collections.unmodifiableList(l);
      }
      case MAP:
        return Collections.unmodifiableMap(readMap(in));
      default:
        throw new IllegalStateException("corrupt value: unknown tag " + tag);
    }
  }

  /**
   * The value of entry {@code name} (UTF-8) of a map written by {@link #writeMap} at {@code
   * in.pos}, or {@code null}: names are compared as bytes and the other values skipped by their
   * lengths, never decoded.
   */
  public static Object findInMap(Buf in, byte[] name) {
    int n = in.checkRemaining(in.getVar());
    for (int i = 0; i < n; i++) {
      int len = in.checkRemaining(in.getVar());
      boolean match = len == name.length && java.util.Arrays.equals(in.b, in.pos, in.pos + len, name, 0, len);
      in.pos += len;
      if (match) {
        return read(in);
      }
      skip(in);
    }
    return null;
  }

  /** Moves {@code in.pos} past one value. */
  static void skip(Buf in) {
    int tag = in.get();
    switch (tag) {
      case NULL, FALSE, TRUE -> { }
      case LONG, DOUBLE -> in.pos += 8;
      case DECIMAL -> {
        in.pos += 4;
        int n = in.getVar();
        in.pos += in.checkRemaining(n);
      }
      case STRING, BYTES -> {
        int n = in.getVar();
        in.pos += in.checkRemaining(n);
      }
      case STRING_UTF16 -> {
        int n = in.getVar();
        in.pos += in.checkRemaining(n < 0 || n > Integer.MAX_VALUE / 2 ? -1 : 2 * n);
      }
      case INSTANT -> in.pos += 12;
      case LIST -> {
        int n = in.checkRemaining(in.getVar());
        for (int i = 0; i < n; i++) {
          skip(in);
        }
      }
      case MAP -> {
        int n = in.checkRemaining(in.getVar());
        for (int i = 0; i < n; i++) {
          int len = in.getVar();
          in.pos += in.checkRemaining(len);
          skip(in);
        }
      }
      default -> throw new IllegalStateException("corrupt value: unknown tag " + tag);
    }
  }

  public static Map<String, Object> readMap(Buf in) {
    int n = in.checkRemaining(in.getVar());
    Map<String, Object> m = new LinkedHashMap<>(Math.max(4, n * 2));
    for (int i = 0; i < n; i++) {
      String k = in.getString();
      m.put(k, read(in));
    }
    return m;
  }
}
