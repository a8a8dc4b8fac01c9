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
 * the stored json column are written by the same function. Clocks in requests are read, with
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

  /**
   * A clock the node stored (any JSON object of integer counters: as {@link #text} writes it, or
   * as PostgreSQL printed the jsonb that clocks were stored as before schema 9); null is the empty
   * clock. Read for every row a push locks or a diff sends: the usual text, device ids without
   * escapes, is read here directly, anything else by Jackson.
   */
  public static VectorClock parse(String json) {
    if (json == null) {
      return VectorClock.EMPTY;
    }
    VectorClock plain = parsePlain(json);
    return plain != null ? plain : parseAny(json);
  }

  /** The clock of {@code {"device": 1, ...}} with no escape in a device id; null for any other text. */
  private static VectorClock parsePlain(String s) {
    int n = s.length();
    int i = skipSpaces(s, 0);
    if (i == n || s.charAt(i) != '{') {
      return null;
    }
    TreeMap<String, Long> counters = new TreeMap<>();
    i = skipSpaces(s, i + 1);
    if (i < n && s.charAt(i) == '}') {
      return skipSpaces(s, i + 1) == n ? VectorClock.EMPTY : null;
    }
    while (i < n && s.charAt(i) == '"') {
      int start = ++i;
      while (i < n && s.charAt(i) != '"' && s.charAt(i) != '\\') {
        i++;
      }
      if (i == n || s.charAt(i) != '"') {
        return null;
      }
      String device = s.substring(start, i);
      i = skipSpaces(s, i + 1);
      if (i == n || s.charAt(i) != ':') {
        return null;
      }
      i = skipSpaces(s, i + 1);
      int digits = i;
      long counter = 0;
      for (char c; i < n && (c = s.charAt(i)) >= '0' && c <= '9'; i++) {
        if (counter > (Long.MAX_VALUE - (c - '0')) / 10) {
          return null;
        }
        counter = counter * 10 + (c - '0');
      }
      if (i == digits) {
        return null;
      }
      counters.put(device, counter);
      i = skipSpaces(s, i);
      if (i < n && s.charAt(i) == ',') {
        i = skipSpaces(s, i + 1);
      } else if (i < n && s.charAt(i) == '}' && skipSpaces(s, i + 1) == n) {
        return VectorClock.of(counters);
      } else {
        return null;
      }
    }
    return null;
  }

  private static int skipSpaces(String s, int i) {
    while (i < s.length() && s.charAt(i) == ' ') {
      i++;
    }
    return i;
  }

  private static VectorClock parseAny(String json) {
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
