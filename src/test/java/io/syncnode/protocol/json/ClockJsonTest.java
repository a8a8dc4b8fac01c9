package io.syncnode.protocol.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.syncnode.protocol.VectorClock;
import java.io.IOException;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClockJsonTest {
  private static final VectorClock CLOCK = VectorClock.of(Map.of("laptop", 3L, "desk\"top", 9_223_372_036_854_775_807L,
      "ünï ✓", 1L, "b", 0L));

  @Test
  void aClockIsAnObjectOfCountersInDeviceOrderWithoutZeros() {
    assertThat(ClockJson.text(CLOCK))
        .isEqualTo("{\"desk\\\"top\":9223372036854775807,\"laptop\":3,\"ünï ✓\":1}");
    assertThat(ClockJson.text(VectorClock.EMPTY)).isEqualTo("{}");
  }

  @Test
  void theTextIsWhatAGeneratorGetsWritten() throws IOException {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
      g.writeStartArray();
      ClockJson.write(g, CLOCK);
      g.writeEndArray();
    }
    assertThat(out.toString()).isEqualTo("[" + ClockJson.text(CLOCK) + "]");
  }

  @Test
  void parsingGivesTheClockBackAsWrittenOrAsPostgresqlFormatsJsonb() {
    assertThat(ClockJson.parse(ClockJson.text(CLOCK))).isEqualTo(CLOCK);
    assertThat(ClockJson.parse("{\"laptop\": 3, \"desk\\\"top\": 9223372036854775807, \"ünï ✓\": 1}")).isEqualTo(CLOCK);
    assertThat(ClockJson.parse("{}")).isSameAs(VectorClock.EMPTY);
    assertThat(ClockJson.parse(null)).isSameAs(VectorClock.EMPTY);
  }
}
