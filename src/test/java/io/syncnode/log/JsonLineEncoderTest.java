package io.syncnode.log;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

class JsonLineEncoderTest {
  private final LoggerContext context = new LoggerContext();
  private final JsonLineEncoder encoder = new JsonLineEncoder();

  private String encode(LoggingEvent event) {
    return new String(encoder.encode(event), StandardCharsets.UTF_8);
  }

  private LoggingEvent event(Level level, String message, Throwable thrown, Object... args) {
    LoggingEvent event = new LoggingEvent(JsonLineEncoderTest.class.getName(), context.getLogger("syncnode.test"),
        level, message, thrown, args);
    event.setThreadName("main \"quoted\"");
    event.setTimeStamp(Instant.parse("2025-03-04T05:06:07.089Z").toEpochMilli());
    return event;
  }

  @Test
  void oneJsonObjectOnOneLine() {
    String line = encode(event(Level.INFO, "pushed {} memories\nin one batch", null, 3));

    assertThat(line).endsWith("\n").hasLineCount(1);
    JsonObject json = new JsonObject(line);
    assertThat(json.getString("ts")).isEqualTo("2025-03-04T05:06:07.089Z");
    assertThat(json.getString("level")).isEqualTo("INFO");
    assertThat(json.getString("logger")).isEqualTo("syncnode.test");
    assertThat(json.getString("thread")).isEqualTo("main \"quoted\"");
    assertThat(json.getString("msg")).isEqualTo("pushed 3 memories\nin one batch");
    assertThat(json.containsKey("exception")).isFalse();
  }

  @Test
  void anExceptionIsItsStackTrace() {
    JsonObject json = new JsonObject(encode(event(Level.ERROR, "failed", new IllegalStateException("pool closed"))));

    assertThat(json.getString("level")).isEqualTo("ERROR");
    assertThat(json.getString("exception"))
        .startsWith("java.lang.IllegalStateException: pool closed")
        .contains("at io.syncnode.log.JsonLineEncoderTest");
  }

  @Test
  void keyValuePairsAreFieldsOfTheirOwnWithTheirJsonTypes() {
    LoggingEvent event = event(Level.INFO, "GET /health 200", null);
    event.addKeyValuePair(new KeyValuePair("status", 200));
    event.addKeyValuePair(new KeyValuePair("duration_ms", 12L));
    event.addKeyValuePair(new KeyValuePair("path", "/health"));
    event.addKeyValuePair(new KeyValuePair("tenant", null));
    event.addKeyValuePair(new KeyValuePair("msg", "not the message"));

    JsonObject json = new JsonObject(encode(event));

    assertThat(json.getValue("status")).isEqualTo(200);
    assertThat(json.getValue("duration_ms")).isEqualTo(12);
    assertThat(json.getString("path")).isEqualTo("/health");
    assertThat(json.containsKey("tenant")).isTrue();
    assertThat(json.getValue("tenant")).isNull();
    assertThat(json.getString("msg")).isEqualTo("GET /health 200");
  }
}
