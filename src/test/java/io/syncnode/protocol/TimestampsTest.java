package io.syncnode.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TimestampsTest {
  private static final String FIELD = "sessions[0].started_at";

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "2025-12-01T00:00:00.123456Z,       2025-12-01T00:00:00.123456Z",
      "2025-12-01T00:00:00Z,              2025-12-01T00:00:00Z",
      "2025-12-01T00:00:00,               2025-12-01T00:00:00Z",
      "2025-12-01T00:00:00.5,             2025-12-01T00:00:00.500Z",
      "2025-12-01T00:00:00+02:00,         2025-11-30T22:00:00Z",
      "2025-12-01T00:00:00.000001-05:30,  2025-12-01T05:30:00.000001Z",
      "2025-12-01T00:00:00+00:00,         2025-12-01T00:00:00Z",
      "2025-12-01 00:00:00,               2025-12-01T00:00:00Z",
      "2025-12-01 13:14:15.25+01:00,      2025-12-01T12:14:15.25Z",
      "2025-12-01T00:00:00.123456789Z,    2025-12-01T00:00:00.123456Z",
      "2025-12-01T00:00:00.999999999,     2025-12-01T00:00:00.999999Z",
      "0001-01-01T00:00:00Z,              0001-01-01T00:00:00Z",
      "9999-12-31T23:59:59.999999Z,       9999-12-31T23:59:59.999999Z",
  })
  void parses(String text, String expected) {
    assertThat(Timestamps.parse(text, FIELD)).isEqualTo(Instant.parse(expected));
  }

  @ParameterizedTest(name = "''{0}''")
  @ValueSource(strings = {
      "", "garbage", "2025-12-01", "2025-13-01T00:00:00Z", "2025-02-30T00:00:00", "2025-12-01T25:00:00Z",
      "2025-12-01X00:00:00", "2025-12-01T00:00:00Z ", "1733011200",
      "0000-01-01T00:00:00Z", "0000-12-31T23:59:59.999999", "10000-01-01T00:00:00Z", "+10000-01-01T00:00:00Z",
      "+10000-01-01T00:00:00", "0001-01-01T00:30:00+01:00", "9999-12-31T23:30:00-01:00",
  })
  void refuses(String text) {
    Throwable thrown = catchThrowable(() -> Timestamps.parse(text, FIELD));

    assertThat(thrown).isInstanceOf(InvalidInputException.class);
    InvalidInputException e = (InvalidInputException) thrown;
    assertThat(e.field()).isEqualTo(FIELD);
    assertThat(e.detail()).startsWith(FIELD + ": ");
  }

  @Test
  void nanosecondsInTheLastMicrosecondOfYear9999AreTruncatedNotRefused() {
    assertThat(Timestamps.parse("9999-12-31T23:59:59.9999999Z", FIELD))
        .isEqualTo(Instant.parse("9999-12-31T23:59:59.999999Z"));
  }

  @Test
  void refusalOfGarbageQuotesTheText() {
    InvalidInputException e = (InvalidInputException) catchThrowable(() -> Timestamps.parse("yesterday", "since"));

    assertThat(e.field()).isEqualTo("since");
    assertThat(e.problem()).contains("ISO-8601").contains("'yesterday'");
  }

  @Test
  void refusalOfOutOfRangeYearNamesTheRange() {
    InvalidInputException e =
        (InvalidInputException) catchThrowable(() -> Timestamps.parse("0000-06-01T00:00:00Z", "updated_at"));

    assertThat(e.field()).isEqualTo("updated_at");
    assertThat(e.problem()).isEqualTo("must be between years 1 and 9999");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "2025-12-01T00:00:00Z,             2025-12-01T00:00:00Z",
      "2025-12-01T00:00:00.000001Z,      2025-12-01T00:00:00.000001Z",
      "2025-12-01T00:00:00.123456Z,      2025-12-01T00:00:00.123456Z",
      "2025-12-01T00:00:00.5Z,           2025-12-01T00:00:00.500000Z",
      "2025-12-01T00:00:00.000000999Z,   2025-12-01T00:00:00Z",
      "2025-12-01T00:00:00.000001999Z,   2025-12-01T00:00:00.000001Z",
      "0001-01-01T00:00:00Z,             0001-01-01T00:00:00Z",
      "9999-12-31T23:59:59.999999Z,      9999-12-31T23:59:59.999999Z",
      "1999-07-04T05:06:07.010203Z,      1999-07-04T05:06:07.010203Z",
  })
  void formats(String instant, String expected) {
    assertThat(Timestamps.format(Instant.parse(instant))).isEqualTo(expected);
    // as the database client reads a timestamptz: in UTC, and in another offset
    java.time.OffsetDateTime utc = Instant.parse(instant).atOffset(java.time.ZoneOffset.UTC);
    assertThat(Timestamps.ascii(utc)).asString(java.nio.charset.StandardCharsets.US_ASCII).isEqualTo(expected);
    if (!instant.startsWith("0001") && !instant.startsWith("9999")) {
      assertThat(Timestamps.ascii(utc.withOffsetSameInstant(java.time.ZoneOffset.ofHours(-5))))
          .asString(java.nio.charset.StandardCharsets.US_ASCII).isEqualTo(expected);
    }
    // written into a page's array, after what it holds already
    byte[] page = "xy".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    page = java.util.Arrays.copyOf(page, 2 + Timestamps.MAX_ASCII_BYTES);
    int end = Timestamps.writeAscii(utc, page, 2);
    assertThat(new String(page, 0, end, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("xy" + expected);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "2025-12-01T00:00:00Z", "2025-12-01T00:00:00.000001Z", "2025-12-01T23:59:59.999999Z",
      "2024-02-29T12:00:00.100000Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999999Z",
  })
  void roundTrips(String text) {
    Instant instant = Instant.parse(text);

    assertThat(Timestamps.parse(Timestamps.format(instant), FIELD)).isEqualTo(instant);
  }

  @Test
  void nowIsTruncatedToTheMicrosecond() {
    Instant now = Timestamps.now();

    assertThat(now.getNano() % 1000).isZero();
    assertThat(Timestamps.parse(Timestamps.format(now), FIELD)).isEqualTo(now);
  }
}
