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
 * node's CPU.
 */
final class RowJson {
  private static final byte[] NULL = bytes("null");
  private static final byte[] TRUE = bytes("true");
  private static final byte[] FALSE = bytes("false");

  private final FieldKind[] kinds;
  /** Each field's {@code ,"name":}; the object's first field written leaves the comma out. */
  private final byte[][] names;
  private final boolean[] omitWhenNull;

  RowJson(EntitySchema<?> schema) {
    List<? extends Field<?>> fields = schema.fields();
    kinds = new FieldKind[fields.size()];
    names = new byte[fields.size()][];
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
      omitWhenNull[i] = field.isOmittedWhenNull();
    }
  }

  /** Writes the row's object; its select list starts at column {@code start}. */
  void write(Row row, int start, OutputStream out) throws IOException {
    out.write('{');
    boolean first = true;
    for (int i = 0; i < kinds.length; i++) {
      Object value = row.getValue(start + i);
      if (value == null && omitWhenNull[i]) {
        continue;
      }
      int comma = first ? 1 : 0;
      out.write(names[i], comma, names[i].length - comma);
      first = false;
      if (value == null) {
        out.write(NULL);
        continue;
      }
      switch (kinds[i]) {
        case TEXT -> string((String) value, out);
        // json columns, selected as text: valid JSON already, written as it is
        case CLOCK, JSON -> out.write(((String) value).getBytes(StandardCharsets.UTF_8));
        case TIME -> {
          out.write('"');
          out.write(Timestamps.ascii((OffsetDateTime) value));
          out.write('"');
        }
        case TEXTS -> {
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
        case BOOL -> out.write((Boolean) value ? TRUE : FALSE);
        case NUMBER -> {
          double number = ((Number) value).doubleValue();
          number(Double.toString(number), Double.isFinite(number), out);
        }
      }
    }
    out.write('}');
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
