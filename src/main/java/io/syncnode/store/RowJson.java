package io.syncnode.store;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import io.syncnode.protocol.Timestamps;
import io.syncnode.protocol.schema.EntitySchema;
import io.syncnode.protocol.schema.Field;
import io.syncnode.protocol.schema.FieldKind;
import io.vertx.sqlclient.Row;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * Writes rows of a table's select list ({@link SelectedColumns}) as the protocol's JSON objects,
 * in order and by position, without building the entity first: pages of thousands of rows are
 * written this way. Made from the same schema as {@link io.syncnode.protocol.json.EntityWriter}
 * writes the entity with, and it writes the same JSON (kept so by FeedJsonTest).
 */
final class RowJson {
  private final FieldKind[] kinds;
  private final SerializableString[] names;
  private final boolean[] omitWhenNull;

  RowJson(EntitySchema<?> schema) {
    List<? extends Field<?>> fields = schema.fields();
    kinds = new FieldKind[fields.size()];
    names = new SerializableString[fields.size()];
    omitWhenNull = new boolean[fields.size()];
    for (int i = 0; i < kinds.length; i++) {
      kinds[i] = fields.get(i).kind();
      names[i] = fields.get(i).jsonName();
      omitWhenNull[i] = fields.get(i).isOmittedWhenNull();
    }
  }

  /** Writes the row's object; its select list starts at column {@code start}. */
  void write(Row row, int start, JsonGenerator g) throws IOException {
    g.writeStartObject();
    for (int i = 0; i < kinds.length; i++) {
      Object value = row.getValue(start + i);
      if (value == null) {
        if (!omitWhenNull[i]) {
          g.writeFieldName(names[i]);
          g.writeNull();
        }
        continue;
      }
      g.writeFieldName(names[i]);
      switch (kinds[i]) {
        case TEXT -> string(g, (String) value);
        // json columns, selected as text: valid JSON already, written as it is
        case CLOCK, JSON -> g.writeRawValue((String) value);
        case TIME -> g.writeString(Timestamps.format((OffsetDateTime) value));
        case TEXTS -> {
          g.writeStartArray();
          for (String text : (String[]) value) {
            string(g, text);
          }
          g.writeEndArray();
        }
        case FLOATS -> {
          g.writeStartArray();
          for (Float number : (Float[]) value) {
            g.writeNumber(number.floatValue());
          }
          g.writeEndArray();
        }
        case BOOL -> g.writeBoolean((Boolean) value);
        case NUMBER -> g.writeNumber(((Number) value).doubleValue());
      }
    }
    g.writeEndObject();
  }

  /**
   * Jackson escapes a String char by char; the same text as UTF-8 bytes (a bulk copy for the
   * usual ASCII text) is escaped byte by byte, about a third faster for pages of long contents.
   */
  private static void string(JsonGenerator g, String value) throws IOException {
    if (value == null) {
      g.writeNull();
      return;
    }
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    g.writeUTF8String(utf8, 0, utf8.length);
  }
}
