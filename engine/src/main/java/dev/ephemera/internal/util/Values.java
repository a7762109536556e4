package dev.ephemera.internal.util;

import dev.ephemera.UnsupportedValueException;
import dev.ephemera.ValueTooLargeException;
import dev.ephemera.VariableTypeException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The closed set of value types a session variable holds (ARCHITECTURE.md, "Values"): normalizing what a
 * caller passes in (widening, defensive copies, immutable collections), accounting sizes, and
 * converting on the way out.
 */
public final class Values {
  /** How deeply lists and maps may nest; also stops cyclic structures. */
  static final int MAX_DEPTH = 32;
  /** Key prefix of flash values in a session's table: never a valid variable name. */
  public static final String FLASH_PREFIX = "#";

  private Values() {}

  /**
   * The index of the first unpaired surrogate in {@code s}, or -1 if it is well-formed UTF-16.
   * Text stored as UTF-8 (graph keys and names, map keys in a stored value) cannot hold one: it
   * would come back as {@code '?'}.
   */
  public static int unpairedSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        } else {
          return i;
        }
      }
    }
    return -1;
  }

  /**
   * Returns the value as stored: {@code Integer}/{@code Short}/{@code Byte} widened to
   * {@code Long}, {@code Float} to {@code Double}, {@code byte[]} copied, lists and maps copied
   * into immutable ones with normalized elements.
   *
   * @throws UnsupportedValueException for any other type
   */
  public static Object normalize(String name, Object v) {
    if (v == null || v instanceof String || v instanceof Long || v instanceof Boolean || v instanceof Double
        || v instanceof BigDecimal || v instanceof Instant) {
      return v;
    }
    return normalizeSlow(name, v, 0);
  }

  private static Object normalizeSlow(String name, Object v, int depth) {
    if (v == null || v instanceof String || v instanceof Long || v instanceof Boolean || v instanceof Double
        || v instanceof BigDecimal || v instanceof Instant) {
      return v;
    }
    if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof Float f) {
      return f.doubleValue();
    }
    if (v instanceof byte[] b) {
      return b.clone();
    }
    if (depth >= MAX_DEPTH) {
      throw new UnsupportedValueException("value of '" + displayKey(name) + "' nests lists and maps deeper than "
          + MAX_DEPTH + " levels (or contains itself)");
    }
    if (v instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      for (Object e : list) {
        out.add(normalizeSlow(name, e, depth + 1));
      }
      return Collections.unmodifiableList(out);
    }
    if (v instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>(Math.max(4, map.size() * 2));
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!(e.getKey() instanceof String k)) {
          throw new UnsupportedValueException("value of '" + displayKey(name) + "' is a map with a key of type "
              + typeName(e.getKey()) + "; map keys must be strings");
        }
        int bad = unpairedSurrogate(k);
        if (bad >= 0) {
          throw new UnsupportedValueException("value of '" + displayKey(name) + "' is a map with a key that has an"
              + " unpaired surrogate at index " + bad + "; map keys must be well-formed Unicode");
        }
        out.put(k, normalizeSlow(name, e.getValue(), depth + 1));
      }
      return Collections.unmodifiableMap(out);
    }
    throw new UnsupportedValueException("value of '" + displayKey(name) + "' has unsupported type "
        + typeName(v) + "; supported: null, Boolean, Long (Integer, Short, Byte), Double (Float), BigDecimal,"
        + " String, byte[], Instant, and List or Map<String, ?> of these");
  }

  /** The error for a value past the per-value limit. */
  public static ValueTooLargeException tooLarge(String name, long size, long maxValueBytes) {
    return new ValueTooLargeException("value of '" + displayKey(name) + "' is " + size
        + " bytes; the per-value limit is " + maxValueBytes, size, maxValueBytes);
  }

  /** The accounted size of a normalized value. */
  public static long sizeOf(Object v) {
    if (v instanceof String s) {
      return 2L * s.length();
    }
    if (v == null || v instanceof Boolean) {
      return 1;
    }
    if (v instanceof Long || v instanceof Double) {
      return 8;
    }
    if (v instanceof Instant) {
      return 12;
    }
    if (v instanceof BigDecimal d) {
      return 4 + d.unscaledValue().bitLength() / 8 + 1;
    }
    if (v instanceof byte[] b) {
      return b.length;
    }
    if (v instanceof List<?> list) {
      long n = 4;
      for (Object e : list) {
        n += sizeOf(e);
      }
      return n;
    }
    if (v instanceof Map<?, ?> map) {
      long n = 4;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        n += 2L * ((String) e.getKey()).length() + sizeOf(e.getValue());
      }
      return n;
    }
    throw new IllegalStateException("not a normalized value: " + v.getClass());
  }

  /** What a caller gets back: byte arrays are copied, everything else is immutable already. */
  public static Object export(Object v) {
    return v instanceof byte[] b ? b.clone() : v;
  }

  /** Converts a stored value to {@code type} as {@code Session.get(name, type)} documents. */
  @SuppressWarnings("unchecked")
  public static <T> T as(String name, Object v, Class<T> type) {
    if (v == null) {
      return null;
    }
    Class<?> t = type.isPrimitive() ? wrapper(type) : type;
    if (t.isInstance(v)) {
      return (T) export(v);
    }
    if (v instanceof Long l) {
      long x = l;
      if (t == Integer.class && x == (int) x) {
        return (T) Integer.valueOf((int) x);
      }
      if (t == Short.class && x == (short) x) {
        return (T) Short.valueOf((short) x);
      }
      if (t == Byte.class && x == (byte) x) {
        return (T) Byte.valueOf((byte) x);
      }
      if (t == Double.class) {
        return (T) Double.valueOf(x);
      }
      if (t == Float.class) {
        return (T) Float.valueOf(x);
      }
      if (t == Integer.class || t == Short.class || t == Byte.class) {
        throw new VariableTypeException("variable '" + displayKey(name) + "' holds " + x
            + ", which does not fit in " + t.getSimpleName());
      }
    }
    if (v instanceof Double d && t == Float.class) {
      return (T) Float.valueOf(d.floatValue());
    }
    throw new VariableTypeException("variable '" + displayKey(name) + "' holds a " + typeName(v)
        + ", not a " + type.getSimpleName());
  }

  /** A stored key as the user knows it (flash values are stored under a prefix). */
  public static String displayKey(String key) {
    return key.startsWith(FLASH_PREFIX) ? key.substring(FLASH_PREFIX.length()) : key;
  }

  private static String typeName(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof List) {
      return "List";
    }
    if (v instanceof Map) {
      return "Map";
    }
    return v.getClass().getSimpleName();
  }

  private static Class<?> wrapper(Class<?> p) {
    if (p == int.class) {
      return Integer.class;
    }
    if (p == long.class) {
      return Long.class;
    }
    if (p == double.class) {
      return Double.class;
    }
    if (p == boolean.class) {
      return Boolean.class;
    }
    if (p == float.class) {
      return Float.class;
    }
    if (p == short.class) {
      return Short.class;
    }
    if (p == byte.class) {
      return Byte.class;
    }
    return p;
  }
}
