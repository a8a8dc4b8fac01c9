package io.syncnode.protocol;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** ISO-8601 datetimes as the protocol carries them, kept to the microsecond. */
public final class Timestamps {
  private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");
  private static final Instant MIN = Instant.parse("0001-01-01T00:00:00Z");
  private static final Instant MAX = Instant.parse("9999-12-31T23:59:59.999999Z");

  private Timestamps() {}

  /**
   * Parses {@code 2025-12-01T00:00:00.123456Z}, {@code +02:00} offsets and naive datetimes (taken as UTC),
   * with 'T' or a space between date and time. Digits below the microsecond are dropped.
   */
  public static Instant parse(String text, String field) {
    String s = text.length() > 10 && text.charAt(10) == ' ' ? text.substring(0, 10) + 'T' + text.substring(11) : text;
    Instant instant;
    try {
      instant = OffsetDateTime.parse(s).toInstant();
    } catch (DateTimeParseException withOffset) {
      try {
        instant = LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException naive) {
        throw new InvalidInputException(field, "must be an ISO-8601 datetime, got '" + abbreviate(text) + "'");
      }
    } catch (DateTimeException e) {
      throw new InvalidInputException(field, "must be an ISO-8601 datetime, got '" + abbreviate(text) + "'");
    }
    instant = instant.truncatedTo(ChronoUnit.MICROS);
    if (instant.isBefore(MIN) || instant.isAfter(MAX)) {
      throw new InvalidInputException(field, "must be between years 1 and 9999");
    }
    return instant;
  }

  /** UTC with a 'Z', with six fraction digits when the time has a fraction (as Python clients write it). */
  public static String format(Instant instant) {
    OffsetDateTime t = instant.atOffset(ZoneOffset.UTC);
    String seconds = SECONDS.format(t);
    int micros = t.getNano() / 1000;
    if (micros == 0) {
      return seconds + "Z";
    }
    StringBuilder out = new StringBuilder(seconds.length() + 8).append(seconds).append('.');
    String digits = Integer.toString(micros);
    for (int i = digits.length(); i < 6; i++) out.append('0');
    return out.append(digits).append('Z').toString();
  }

  /** The current time, truncated to the microsecond like stored values. */
  public static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MICROS);
  }

  private static String abbreviate(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "...";
  }
}
