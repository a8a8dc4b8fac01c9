package io.syncnode.protocol.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.syncnode.protocol.VectorClock;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * A vector clock as JSON: an object of device ids to counters, in device id order. Responses and
 * the stored jsonb column are written by the same function. Clocks in requests are read, with
 * their limits, by the request readers; {@link #parse} reads clocks the node wrote itself.
 */
public final class ClockJson {
  private static final JsonFactory JSON = new JsonFactory();

  private ClockJson() {}

  public static void write(JsonGenerator g, VectorClock clock) throws IOException {
    g.writeStartObject();
    for (Map.Entry<String, Long> e : clock.counters().entrySet()) {
      g.writeNumberField(e.getKey(), e.getValue());
    }
    g.writeEndObject();
  }

  /** What {@link #write} writes, as text. */
  public static String text(VectorClock clock) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      write(g, clock);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** A clock the node stored (any JSON object of integer counters); null is the empty clock. */
  public static VectorClock parse(String json) {
    if (json == null) {
      return VectorClock.EMPTY;
    }
    TreeMap<String, Long> counters = new TreeMap<>();
    try (JsonParser p = JSON.createParser(json)) {
      p.nextToken();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String device = p.currentName();
        p.nextToken();
        counters.put(device, p.getLongValue());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return VectorClock.of(counters);
  }
}
