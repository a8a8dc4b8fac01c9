package io.syncnode.store;

import io.syncnode.protocol.Timestamps;
import io.syncnode.protocol.json.JsonStrings;
import io.syncnode.protocol.schema.EntitySchema;
import io.syncnode.protocol.schema.Field;
import io.syncnode.protocol.schema.FieldKind;
import io.vertx.sqlclient.Row;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;

/**
 * Writes rows of a table's select list ({@link SelectedColumns}) as the protocol's JSON objects,
 * in order and by position, without building the entity first: pages of thousands of rows are
 * written this way. Made from the same schema as {@link io.syncnode.protocol.json.EntityWriter}
 * writes the entity with, and it writes the same bytes, but for characters beyond the BMP: those
 * are their UTF-8 bytes here, two escaped surrogates from Jackson (kept so by FeedJsonTest).
 *
 * <p>The bytes are written directly, not through a JSON generator: a field's name with its quotes,
 * colon and comma is one array copied whole, and a string is copied whole once it is known to need
 * no escape ({@link JsonStrings}). Through Jackson, this writing took about a third of a reading
 * node's CPU. A field's name and its value go into the output's array together, after one check
 * for room, rather than through an {@link OutputStream} call for each piece.
 */
final class RowJson {
  private static final byte[] NULL = bytes("null");
  private static final byte[] TRUE = bytes("true");
  private static final byte[] FALSE = bytes("false");
  private static final byte[] EMPTY = new byte[0];

  private final FieldKind[] kinds;
  /** Each field's {@code ,"name":}; the object's first field written leaves the comma out. */
  private final byte[][] names;
  /** Each field's {@code ,"name":null}. */
  private final byte[][] nulls;
  private final boolean[] omitWhenNull;

  RowJson(EntitySchema<?> schema) {
    List<? extends Field<?>> fields = schema.fields();
    kinds = new FieldKind[fields.size()];
    names = new byte[fields.size()][];
    nulls = new byte[fields.size()][];
    omitWhenNull = new boolean[fields.size()];
    for (int i = 0; i < kinds.length; i++) {
      Field<?> field = fields.get(i);
      kinds[i] = field.kind();
      byte[] quoted = field.jsonName().asQuotedUTF8();
      names[i] = new byte[quoted.length + 4];
      names[i][0] = ',';
      names[i][1] = '"';
      System.arraycopy(quoted, 0, names[i], 2, quoted.length);
      names[i][quoted.length + 2] = '"';
      names[i][quoted.length + 3] = ':';
      nulls[i] = Arrays.copyOf(names[i], names[i].length + NULL.length);
      System.arraycopy(NULL, 0, nulls[i], names[i].length, NULL.length);
      omitWhenNull[i] = field.isOmittedWhenNull();
    }
  }

  /**
   * Writes the row's object; its select list starts at column {@code start}. A field's name and
   * its value are copied into the output's array together, after one check for room.
   */
  void write(Row row, int start, SegmentedOutput out) throws IOException {
    out.write('{');
    boolean first = true;
    for (int i = 0; i < kinds.length; i++) {
      Object value = row.getValue(start + i);
      if (value == null && omitWhenNull[i]) {
        continue;
      }
      int comma = first ? 1 : 0;
      first = false;
      if (value == null) {
        copy(nulls[i], comma, EMPTY, out);
        continue;
      }
      switch (kinds[i]) {
        case TEXT -> quoted(names[i], comma, ((String) value).getBytes(StandardCharsets.UTF_8), out);
        // json columns, selected as text: valid JSON already, written as it is
        case CLOCK, JSON -> copy(names[i], comma, ((String) value).getBytes(StandardCharsets.UTF_8), out);
        case TIME -> time(names[i], comma, (OffsetDateTime) value, out);
        case TEXTS -> {
          copy(names[i], comma, EMPTY, out);
          out.write('[');
          String[] texts = (String[]) value;
          for (int t = 0; t < texts.length; t++) {
            if (t > 0) {
              out.write(',');
            }
            string(texts[t], out);
          }
          out.write(']');
        }
        case FLOATS -> {
          copy(names[i], comma, EMPTY, out);
          out.write('[');
          Float[] numbers = (Float[]) value;
          for (int n = 0; n < numbers.length; n++) {
            if (n > 0) {
              out.write(',');
            }
            number(Float.toString(numbers[n]), Float.isFinite(numbers[n]), out);
          }
          out.write(']');
        }
        case BOOL -> copy(names[i], comma, (Boolean) value ? TRUE : FALSE, out);
        case NUMBER -> {
          copy(names[i], comma, EMPTY, out);
          double number = ((Number) value).doubleValue();
          number(Double.toString(number), Double.isFinite(number), out);
        }
      }
    }
    out.write('}');
  }

  /** The field's name from {@code from} (past its comma for the object's first field), then {@code value}. */
  private static void copy(byte[] name, int from, byte[] value, SegmentedOutput out) {
    int nameLength = name.length - from;
    byte[] into = out.room(nameLength + value.length);
    int at = out.position();
    System.arraycopy(name, from, into, at, nameLength);
    System.arraycopy(value, 0, into, at + nameLength, value.length);
    out.advance(at + nameLength + value.length);
  }

  /** The field's name, then {@code utf8} as a JSON string: copied whole, unless it has a byte to escape. */
  private static void quoted(byte[] name, int from, byte[] utf8, SegmentedOutput out) throws IOException {
    if (JsonStrings.firstToEscape(utf8, 0, utf8.length) < utf8.length) {
      copy(name, from, EMPTY, out);
      JsonStrings.writeQuoted(utf8, out);
      return;
    }
    openString(name, from, utf8.length + 1, out);
    byte[] into = out.room(utf8.length + 1);
    int at = out.position();
    System.arraycopy(utf8, 0, into, at, utf8.length);
    into[at + utf8.length] = '"';
    out.advance(at + utf8.length + 1);
  }

  private static void time(byte[] name, int from, OffsetDateTime time, SegmentedOutput out) {
    openString(name, from, Timestamps.MAX_ASCII_BYTES + 1, out);
    byte[] into = out.room(Timestamps.MAX_ASCII_BYTES + 1);
    int at = Timestamps.writeAscii(time, into, out.position());
    into[at] = '"';
    out.advance(at + 1);
  }

  /**
   * The field's name from {@code from} and a string's opening quote, with room left after them
   * for {@code rest} more bytes in the same array.
   */
  private static void openString(byte[] name, int from, int rest, SegmentedOutput out) {
    int nameLength = name.length - from;
    byte[] into = out.room(nameLength + 1 + rest);
    int at = out.position();
    System.arraycopy(name, from, into, at, nameLength);
    into[at + nameLength] = '"';
    out.advance(at + nameLength + 1);
  }

  private static void string(String value, OutputStream out) throws IOException {
    if (value == null) {
      out.write(NULL);
    } else {
      JsonStrings.writeQuoted(value.getBytes(StandardCharsets.UTF_8), out);
    }
  }

  /** A number as Jackson writes it: Java's shortest form, and NaN or an infinity as a string. */
  private static void number(String text, boolean finite, OutputStream out) throws IOException {
    byte[] ascii = text.getBytes(StandardCharsets.US_ASCII);
    if (finite) {
      out.write(ascii);
    } else {
      out.write('"');
      out.write(ascii);
      out.write('"');
    }
  }

  private static byte[] bytes(String ascii) {
    return ascii.getBytes(StandardCharsets.US_ASCII);
  }
}
