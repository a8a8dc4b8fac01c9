package io.syncnode.protocol.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncnode.protocol.EntityType;
import io.syncnode.protocol.SyncEntity;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * openapi.json describes each entity type as its {@link EntitySchema} declares it: the same
 * fields (in order for responses), required and nullable as the schema says, of the JSON types of
 * their kinds, with the defaults named. Descriptions are free text, apart from the defaults.
 */
class EntitySchemaOpenApiTest {
  private static final String REF = "#/components/schemas/";

  @ParameterizedTest
  @EnumSource(EntityType.class)
  void theResponseObjectIsTheSchemas(EntityType type) throws IOException {
    EntitySchema<SyncEntity> schema = EntitySchemas.of(type);
    JsonObject documented = component(type, "");
    JsonObject properties = documented.getJsonObject("properties");

    assertThat(properties.fieldNames()).containsExactlyElementsOf(names(schema.fields()));
    assertThat(documented.getJsonArray("required").getList())
        .containsExactlyElementsOf(names(schema.fields().stream().filter(f -> !f.isOmittedWhenNull()).toList()));
    assertThat(documented.getBoolean("additionalProperties")).isFalse();
    for (Field<?> field : schema.fields()) {
      assertThat(withoutDescription(properties.getJsonObject(field.name()))).as(type.plural() + "." + field.name())
          .isEqualTo(written(field.kind(), field.nullable() && !field.isOmittedWhenNull()));
    }
  }

  @ParameterizedTest
  @EnumSource(EntityType.class)
  void theInputObjectIsTheSchemas(EntityType type) throws IOException {
    EntitySchema<SyncEntity> schema = EntitySchemas.of(type);
    JsonObject documented = component(type, "Input");
    JsonObject properties = documented.getJsonObject("properties");

    assertThat(properties.fieldNames()).containsExactlyInAnyOrderElementsOf(names(schema.fields()));
    assertThat(documented.getJsonArray("required").getList())
        .containsExactlyInAnyOrderElementsOf(names(schema.fields().stream().filter(Field::isRequired).toList()));
    for (Field<?> field : schema.fields()) {
      JsonObject property = properties.getJsonObject(field.name());
      String at = type.plural() + " input ." + field.name();
      assertThat(withoutDescription(property)).as(at).isEqualTo(read(field));
      Instant now = Instant.now();
      Object fallback = field.fallback(now);
      if (fallback instanceof String text) {
        assertThat(property.getString("description")).as(at).contains("Default \"" + text + "\".");
      } else if (fallback instanceof Double number) {
        assertThat(property.getString("description")).as(at).contains("Default " + number + ".");
      } else if (fallback == now) {
        assertThat(property.getString("description")).as(at).startsWith("Default: the server's time.");
      }
    }
  }

  /** The JSON Schema of a field as responses have it. */
  private static JsonObject written(FieldKind kind, boolean nullable) {
    return property(kind, nullable, false);
  }

  /** The JSON Schema of a field as a push may send it: null, when it may be left out. */
  private static JsonObject read(Field<?> field) {
    JsonObject property = property(field.kind(), !field.isRequired(), true);
    return field.identifier() ? property.put("minLength", 1) : property;
  }

  /** Requests take any datetime string and any object as metadata; responses have the stricter schemas. */
  private static JsonObject property(FieldKind kind, boolean nullable, boolean request) {
    return switch (kind) {
      case TEXT -> type("string", nullable);
      case TEXTS -> type("array", nullable).put("items", type("string", false));
      case CLOCK -> ref("VectorClock", nullable);
      case TIME -> request ? type("string", nullable) : ref("Timestamp", nullable);
      case JSON -> request ? type("object", nullable) : ref("Metadata", nullable);
      case FLOATS -> type("array", nullable).put("items", type("number", false));
      case BOOL -> type("boolean", nullable);
      case NUMBER -> type("number", nullable);
    };
  }

  private static JsonObject type(String type, boolean nullable) {
    return new JsonObject().put("type", nullable ? new JsonArray().add(type).add("null") : type);
  }

  private static JsonObject ref(String schema, boolean nullable) {
    JsonObject ref = new JsonObject().put("$ref", REF + schema);
    return nullable ? new JsonObject().put("oneOf", new JsonArray().add(ref).add(type("null", false))) : ref;
  }

  private static JsonObject withoutDescription(JsonObject property) {
    JsonObject copy = property.copy();
    copy.remove("description");
    return copy;
  }

  private static List<String> names(List<? extends Field<?>> fields) {
    return fields.stream().map(Field::name).toList();
  }

  private static JsonObject component(EntityType type, String suffix) throws IOException {
    String name = Character.toUpperCase(type.singular().charAt(0)) + type.singular().substring(1) + suffix;
    try (InputStream in = EntitySchemaOpenApiTest.class.getClassLoader().getResourceAsStream("openapi.json")) {
      JsonObject document = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      return document.getJsonObject("components").getJsonObject("schemas").getJsonObject(name);
    }
  }
}
