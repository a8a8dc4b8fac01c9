package io.syncnode.support;

import io.syncnode.protocol.SyncEntity;
import io.syncnode.protocol.schema.EntitySchema;
import io.syncnode.protocol.schema.Field;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * An entity of every field of a schema, each with a value of its own that is not its default, as a
 * client sends it: driven by the schema, so that a new field is in it without a change here. Only
 * a new {@link io.syncnode.protocol.schema.FieldKind} needs a case below.
 */
public final class SchemaSamples {
  private SchemaSamples() {}

  /** Every field of the schema set; ids and edge keys made unique with {@code unique}. */
  public static <E extends SyncEntity> JsonObject entity(EntitySchema<E> schema, String unique) {
    JsonObject entity = new JsonObject();
    List<Field<? super E>> fields = schema.fields();
    for (int i = 0; i < fields.size(); i++) {
      entity.put(fields.get(i).name(), value(fields.get(i), i, unique));
    }
    if (entity.containsKey("from_id")) {
      entity.put("id", entity.getString("from_id") + ":" + entity.getString("to_id") + ":"
          + entity.getString("relation"));
    }
    return entity;
  }

  /** Only the required fields of the schema. */
  public static <E extends SyncEntity> JsonObject required(EntitySchema<E> schema, String unique) {
    JsonObject entity = new JsonObject();
    List<Field<? super E>> fields = schema.fields();
    for (int i = 0; i < fields.size(); i++) {
      if (fields.get(i).isRequired()) {
        entity.put(fields.get(i).name(), value(fields.get(i), i, unique));
      }
    }
    return entity;
  }

  /** A value of the field's kind, unlike the other fields' and unlike the field's default. */
  public static Object value(Field<?> field, int index, String unique) {
    String name = field.name();
    return switch (field.kind()) {
      case TEXT -> field.identifier() ? name + "-" + unique : "the " + name + " \"" + index + "\" ✓";
      case TEXTS -> new JsonArray().add(name).add("with,comma").add("").add("quote\"d");
      case CLOCK -> new JsonObject().put("device-" + index, index + 2);
      case TIME -> "2025-%02d-%02dT%02d:04:05.%06dZ".formatted(1 + index % 12, 1 + index % 28, index % 24, 1 + 1001 * index);
      case JSON -> new JsonObject().put("field", name).put("n", 1.5).put("list", new JsonArray().add(index).addNull());
      case FLOATS -> new JsonArray().add(0.25).add(-1.5 - index).add(1.0E-5);
      case BOOL -> index % 2 == 0;
      case NUMBER -> 0.25 + index;
    };
  }
}
