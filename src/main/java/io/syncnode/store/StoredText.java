package io.syncnode.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.syncnode.protocol.VectorClock;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Conversions between protocol values and what is sent to or read from PostgreSQL: clocks as
 * jsonb text, and array literals for the per-row arrays (tags, embeddings) of a batch write.
 */
final class StoredText {
  private static final JsonFactory JSON = new JsonFactory();

  private StoredText() {}

  static String clockJson(VectorClock clock) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      for (Map.Entry<String, Long> e : clock.counters().entrySet()) {
        g.writeNumberField(e.getKey(), e.getValue());
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  static VectorClock parseClock(String json) {
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

  /** A text[] literal such as {"a","b \"c\""}: every element quoted, quotes and backslashes escaped. */
  static String textArray(List<String> values) {
    StringBuilder out = new StringBuilder(2 + values.size() * 12).append('{');
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) out.append(',');
      out.append('"');
      String v = values.get(i);
      for (int j = 0; j < v.length(); j++) {
        char c = v.charAt(j);
        if (c == '"' || c == '\\') out.append('\\');
        out.append(c);
      }
      out.append('"');
    }
    return out.append('}').toString();
  }

  /** A real[] literal; Float.toString gives the shortest text that reads back as the same float. */
  static String realArray(float[] values) {
    if (values == null) {
      return null;
    }
    StringBuilder out = new StringBuilder(2 + values.length * 11).append('{');
    for (int i = 0; i < values.length; i++) {
      if (i > 0) out.append(',');
      out.append(Float.toString(values[i]));
    }
    return out.append('}').toString();
  }

  static float[] floats(Float[] values) {
    if (values == null) {
      return null;
    }
    float[] out = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }

  static OffsetDateTime utc(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }

  static Instant instant(OffsetDateTime time) {
    return time == null ? null : time.toInstant();
  }
}
