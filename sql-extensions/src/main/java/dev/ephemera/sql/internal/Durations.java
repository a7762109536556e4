package dev.ephemera.sql.internal;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** Durations as people write them: {@code 30m}, {@code 2h}, {@code 45s}, {@code 1d}, {@code 30 minutes}, {@code PT30M}. */
public final class Durations {
  private Durations() {}

  /** The duration, or {@code null} if {@code text} is not one (or is negative). */
  public static Duration parse(String text) {
    String s = text.strip().toLowerCase(Locale.ROOT);
    if (s.startsWith("p")) {
      try {
        Duration d = Duration.parse(s.toUpperCase(Locale.ROOT));
        return d.isNegative() ? null : d;
      } catch (DateTimeParseException e) {
        return null;
      }
    }
    int i = 0;
    while (i < s.length() && Character.isDigit(s.charAt(i))) {
      i++;
    }
    if (i == 0 || i > 12) {
      return null;
    }
    long n = Long.parseLong(s.substring(0, i));
    String unit = s.substring(i).strip();
    return switch (unit) {
      case "ms", "millis", "millisecond", "milliseconds" -> Duration.ofMillis(n);
      case "s", "sec", "secs", "second", "seconds" -> Duration.ofSeconds(n);
      case "m", "min", "mins", "minute", "minutes" -> Duration.ofMinutes(n);
      case "h", "hour", "hours" -> Duration.ofHours(n);
      case "d", "day", "days" -> Duration.ofDays(n);
      default -> null;
    };
  }
}
