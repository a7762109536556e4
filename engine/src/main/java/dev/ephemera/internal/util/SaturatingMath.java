package dev.ephemera.internal.util;

/** Saturating arithmetic on nanosecond times, which may be near {@code Long.MAX_VALUE} ("never"). */
public final class SaturatingMath {
  private SaturatingMath() {}

  public static long add(long a, long b) {
    long r = a + b;
    if (((a ^ r) & (b ^ r)) < 0) {
      return r < 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
    }
    return r;
  }

  public static long sub(long a, long b) {
    long r = a - b;
    if (((a ^ b) & (a ^ r)) < 0) {
      return r < 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
    }
    return r;
  }
}
