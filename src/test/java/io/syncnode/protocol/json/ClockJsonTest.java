package io.syncnode.protocol.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.syncnode.protocol.VectorClock;
import java.io.IOException;
import java.io.StringWriter;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
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

  /** Device ids with escapes, in either layout, and ids that look like separators, read as Jackson reads them. */
  @Test
  void everyDeviceIdIsReadBackWhateverItHolds() {
    Random random = new Random(7);
    String alphabet = "ab ✓😀\"\\\n\t\u0001:,{}";
    for (int round = 0; round < 2000; round++) {
      TreeMap<String, Long> counters = new TreeMap<>();
      for (int d = random.nextInt(4); d > 0; d--) {
        StringBuilder device = new StringBuilder();
        for (int c = 1 + random.nextInt(6); c > 0; c--) {
          device.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        counters.put(device.toString(), random.nextBoolean() ? Long.MAX_VALUE : random.nextInt(1000));
      }
      VectorClock clock = VectorClock.of(counters);
      assertThat(ClockJson.parse(ClockJson.text(clock))).isEqualTo(clock);
      assertThat(ClockJson.parse(postgresLayout(clock))).isEqualTo(clock);
    }
  }

  @Test
  void textThatIsNotAPlainClockIsLeftToTheFullParser() {
    assertThat(ClockJson.parse(" {\"a\":1,\"a\":2} ")).isEqualTo(VectorClock.of(Map.of("a", 2L)));
    assertThat(ClockJson.parse("{\n\"a\": 3\n}")).isEqualTo(VectorClock.of(Map.of("a", 3L)));
  }

  /** As PostgreSQL prints a jsonb object: a space after each colon and comma. */
  private static String postgresLayout(VectorClock clock) {
    StringBuilder out = new StringBuilder("{");
    clock.counters().forEach((device, counter) -> {
      if (out.length() > 1) out.append(", ");
      out.append('"').append(JsonStringEncoder.getInstance().quoteAsString(device)).append("\": ").append(counter);
    });
    return out.append('}').toString();
  }
}
