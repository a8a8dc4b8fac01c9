package io.syncnode.store;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Conversions between protocol values and what is sent to or read from PostgreSQL: times, and
 * array literals for the per-row arrays (tags, embeddings) of a batch write.
 */
final class StoredText {
  private StoredText() {}

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
