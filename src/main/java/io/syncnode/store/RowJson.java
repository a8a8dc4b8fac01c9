package io.syncnode.store;

import com.fasterxml.jackson.core.JsonGenerator;
import io.syncnode.protocol.Timestamps;
import io.vertx.sqlclient.Row;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;

/**
 * Writes a table's select list from a row as the fields of a protocol JSON object, in order and
 * by position like {@link SelectedColumns}, without building the entity first: pages of thousands
 * of rows are written this way. Each table's {@code writeJson} must match what
 * {@link io.syncnode.protocol.json.EntityWriter} writes for the entity {@code fromRow} reads.
 */
final class RowJson {
  private final Row row;
  private final JsonGenerator g;
  private int next;

  RowJson(Row row, JsonGenerator g) {
    this.row = row;
    this.g = g;
    this.next = row.getColumnIndex("id");
  }

  void startObject() throws IOException {
    g.writeStartObject();
  }

  void endObject() throws IOException {
    g.writeEndObject();
  }

  void text(String field) throws IOException {
    g.writeFieldName(field);
    string(row.getString(next++));
  }

  /** A text column left out of the object when it is null. */
  void textOrAbsent(String field) throws IOException {
    String value = row.getString(next++);
    if (value != null) {
      g.writeFieldName(field);
      string(value);
    }
  }

  /**
   * Jackson escapes a String char by char; the same text as UTF-8 bytes (a bulk copy for the
   * usual ASCII text) is escaped byte by byte, about a third faster for pages of long contents.
   */
  private void string(String value) throws IOException {
    if (value == null) {
      g.writeNull();
      return;
    }
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    g.writeUTF8String(utf8, 0, utf8.length);
  }

  void time(String field) throws IOException {
    OffsetDateTime value = row.getOffsetDateTime(next++);
    if (value == null) {
      g.writeNullField(field);
    } else {
      g.writeStringField(field, Timestamps.format(value.toInstant()));
    }
  }

  /** A json or jsonb column selected as text (clocks, metadata): valid JSON already, written as it is. */
  void json(String field) throws IOException {
    g.writeFieldName(field);
    g.writeRawValue(row.getString(next++));
  }

  void texts(String field) throws IOException {
    g.writeArrayFieldStart(field);
    for (String value : row.getArrayOfStrings(next++)) {
      string(value);
    }
    g.writeEndArray();
  }

  void floats(String field) throws IOException {
    Float[] values = row.getArrayOfFloats(next++);
    g.writeFieldName(field);
    if (values == null) {
      g.writeNull();
      return;
    }
    g.writeStartArray();
    for (Float value : values) {
      g.writeNumber(value.floatValue());
    }
    g.writeEndArray();
  }

  /** A boolean column left out of the object when it is null. */
  void boolOrAbsent(String field) throws IOException {
    Boolean value = row.getBoolean(next++);
    if (value != null) {
      g.writeBooleanField(field, value);
    }
  }

  void number(String field) throws IOException {
    g.writeNumberField(field, row.getDouble(next++));
  }

  /** The common columns of {@link EntityTable#commonSelect()}. */
  void common() throws IOException {
    text("id");
    json("vector_clock");
    text("content_hash");
    time("deleted_at");
    time("created_at");
    time("updated_at");
    text("last_modified_by");
  }
}
