package io.syncnode.protocol.json;

import com.fasterxml.jackson.core.JsonGenerator;
import io.syncnode.protocol.RawJson;
import io.syncnode.protocol.SyncEntity;
import io.syncnode.protocol.Timestamps;
import io.syncnode.protocol.VectorClock;
import io.syncnode.protocol.schema.EntitySchema;
import io.syncnode.protocol.schema.EntitySchemas;
import io.syncnode.protocol.schema.Field;
import io.syncnode.protocol.schema.FieldKind;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/** Writes entities in the protocol's JSON shape: the fields of their {@link EntitySchema}, in its order. */
public final class EntityWriter {
  private EntityWriter() {}

  public static void write(JsonGenerator g, SyncEntity entity) throws IOException {
    write(g, EntitySchemas.of(entity.entityType()), entity);
  }

  private static <E extends SyncEntity> void write(JsonGenerator g, EntitySchema<E> schema, E entity)
      throws IOException {
    g.writeStartObject();
    for (Field<? super E> field : schema.fields()) {
      field(g, field, entity);
    }
    g.writeEndObject();
  }

  private static <E> void field(JsonGenerator g, Field<E> field, E entity) throws IOException {
    if (field.kind() == FieldKind.NUMBER) {
      g.writeFieldName(field.jsonName());
      g.writeNumber(field.number(entity));
      return;
    }
    Object value = field.value(entity);
    if (value == null) {
      if (!field.isOmittedWhenNull()) {
        g.writeFieldName(field.jsonName());
        g.writeNull();
      }
      return;
    }
    g.writeFieldName(field.jsonName());
    switch (field.kind()) {
      case TEXT -> g.writeString((String) value);
      case TEXTS -> {
        g.writeStartArray();
        for (Object text : (List<?>) value) {
          g.writeString((String) text);
        }
        g.writeEndArray();
      }
      case CLOCK -> ClockJson.write(g, (VectorClock) value);
      case TIME -> g.writeString(Timestamps.format((Instant) value));
      case JSON -> g.writeRawValue(((RawJson) value).text());
      case FLOATS -> {
        g.writeStartArray();
        for (float number : (float[]) value) {
          g.writeNumber(number);
        }
        g.writeEndArray();
      }
      case BOOL -> g.writeBoolean((Boolean) value);
      case NUMBER -> g.writeNumber((Double) value);
    }
  }

  public static void time(JsonGenerator g, String field, Instant value) throws IOException {
    if (value == null) {
      g.writeNullField(field);
    } else {
      g.writeStringField(field, Timestamps.format(value));
    }
  }
}
