package io.syncnode.protocol;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** ISO-8601 datetimes as the protocol carries them, kept to the microsecond. */
public final class Timestamps {
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
    return format(LocalDateTime.ofEpochSecond(instant.getEpochSecond(), instant.getNano(), ZoneOffset.UTC));
  }

  /**
   * {@link #format(Instant)} as ASCII bytes, of a time as the database client reads it: its UTC
   * fields are used as they are, without a conversion through an Instant (which in profiles of
   * pulled pages cost as much as the writing).
   */
  public static byte[] ascii(OffsetDateTime time) {
    return ascii(utc(time));
  }

  /** The most bytes {@link #writeAscii} writes. */
  public static final int MAX_ASCII_BYTES = 27;

  /**
   * Writes {@link #ascii(OffsetDateTime)} into {@code out} from {@code at}, which has room for
   * {@link #MAX_ASCII_BYTES}; returns the position after it.
   */
  public static int writeAscii(OffsetDateTime time, byte[] out, int at) {
    return writeAscii(utc(time), out, at);
  }

  private static LocalDateTime utc(OffsetDateTime time) {
    return ZoneOffset.UTC.equals(time.getOffset()) ? time.toLocalDateTime()
        : time.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
  }

  private static String format(LocalDateTime t) {
    return new String(ascii(t), StandardCharsets.US_ASCII);
  }

  private static byte[] ascii(LocalDateTime t) {
    byte[] out = new byte[t.getNano() / 1000 == 0 ? 20 : MAX_ASCII_BYTES];
    writeAscii(t, out, 0);
    return out;
  }

  private static int writeAscii(LocalDateTime t, byte[] out, int at) {
    // written digit by digit: DateTimeFormatter showed in profiles of pages of thousands of entities
    int micros = t.getNano() / 1000;
    digits(out, at, t.getYear(), 4);
    out[at + 4] = '-';
    digits(out, at + 5, t.getMonthValue(), 2);
    out[at + 7] = '-';
    digits(out, at + 8, t.getDayOfMonth(), 2);
    out[at + 10] = 'T';
    digits(out, at + 11, t.getHour(), 2);
    out[at + 13] = ':';
    digits(out, at + 14, t.getMinute(), 2);
    out[at + 16] = ':';
    digits(out, at + 17, t.getSecond(), 2);
    int end = at + 19;
    if (micros != 0) {
      out[end] = '.';
      digits(out, end + 1, micros, 6);
      end += 7;
    }
    out[end] = 'Z';
    return end + 1;
  }

  private static void digits(byte[] out, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      out[i] = (byte) ('0' + value % 10);
      value /= 10;
    }
  }

  /** The current time, truncated to the microsecond like stored values. */
  public static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MICROS);
  }

  private static String abbreviate(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "...";
  }
}
