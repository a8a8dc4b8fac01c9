package io.syncnode.protocol.json;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.syncnode.protocol.EntityType;
import io.syncnode.protocol.InputLimits;
import io.syncnode.protocol.InvalidInputException;
import io.syncnode.protocol.Requests;
import io.syncnode.protocol.SyncEntity;
import io.syncnode.protocol.schema.EntitySchema;
import io.syncnode.protocol.schema.EntitySchemas;
import io.syncnode.protocol.schema.Field;
import io.syncnode.support.SchemaSamples;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The reader and the writer made from each {@link EntitySchema}: every field, driven by the schema
 * itself, is read, checked, defaulted and written back as the protocol has it.
 */
class EntitySchemaJsonTest {
  private final RequestReader reader = new RequestReader(InputLimits.DEFAULTS);

  @ParameterizedTest
  @EnumSource(EntityType.class)
  void everyFieldIsWrittenAsItWasRead(EntityType type) {
    EntitySchema<SyncEntity> schema = EntitySchemas.of(type);
    JsonObject sent = SchemaSamples.entity(schema, "u1");

    JsonObject written = written(read(type, sent));

    assertThat(written.fieldNames()).containsExactlyElementsOf(schema.fields().stream().map(Field::name).toList());
    assertThat(written).isEqualTo(sent);
  }

  @ParameterizedTest
  @EnumSource(EntityType.class)
  void fieldsLeftOutGetTheirDefaults(EntityType type) {
    EntitySchema<SyncEntity> schema = EntitySchemas.of(type);
    Requests.Push push = push(type, SchemaSamples.required(schema, "u1"));
    SyncEntity entity = entities(push).get(0);
    JsonObject written = written(entity);

    for (Field<? super SyncEntity> field : schema.fields()) {
      if (field.isRequired() || field.name().equals("id")) {
        continue;
      }
      Object expected = field.fallback(entity.createdAt());
      assertThat(field.value(entity)).as(field.name()).isEqualTo(expected);
      assertThat(written.containsKey(field.name())).as(field.name()).isEqualTo(!(expected == null && field.isOmittedWhenNull()));
    }
    assertThat(written.getString("created_at")).isEqualTo(written.getString("updated_at"));
  }

  @ParameterizedTest
  @EnumSource(EntityType.class)
  void theProtocolsDefaults(EntityType type) {
    JsonObject written = written(read(type, SchemaSamples.required(EntitySchemas.of(type), "u1")));
    JsonObject defaults = switch (type) {
      case MEMORY -> new JsonObject().put("type", "fact").put("namespace_id", "global").put("tags", new JsonArray())
          .put("metadata", new JsonObject()).put("vector_clock", new JsonObject()).putNull("embedding");
      case SESSION -> new JsonObject().put("namespace_id", "global").put("tool", "contextfs").putNull("ended_at");
      case EDGE -> new JsonObject().put("weight", 1.0).put("metadata", new JsonObject()).putNull("created_by");
    };
    defaults.forEach(e -> assertThat(written.getValue(e.getKey())).as(e.getKey()).isEqualTo(e.getValue()));
  }

  @ParameterizedTest
  @EnumSource(EntityType.class)
  void aRequiredFieldLeftOutIsNamed(EntityType type) {
    EntitySchema<SyncEntity> schema = EntitySchemas.of(type);
    List<Field<? super SyncEntity>> required = schema.fields().stream().filter(Field::isRequired).toList();
    assertThat(required).isNotEmpty();
    for (Field<? super SyncEntity> field : required) {
      JsonObject sent = SchemaSamples.required(schema, "u1");
      sent.remove(field.name());
      InvalidInputException refused = catchThrowableOfType(() -> push(type, sent), InvalidInputException.class);
      assertThat(refused).as(field.name()).isNotNull();
      assertThat(refused.field()).isEqualTo(type.plural() + "[0]." + field.name());
      assertThat(refused.problem()).isEqualTo("is required");
    }
  }

  @ParameterizedTest
  @EnumSource(EntityType.class)
  void everyFieldRefusesAValueOfAnotherShape(EntityType type) {
    EntitySchema<SyncEntity> schema = EntitySchemas.of(type);
    for (Field<? super SyncEntity> field : schema.fields()) {
      Object wrong = switch (field.kind()) {
        case CLOCK, JSON -> new JsonArray();
        case TEXT, TEXTS, TIME, FLOATS, BOOL, NUMBER -> new JsonObject();
      };
      JsonObject sent = SchemaSamples.entity(schema, "u1").put(field.name(), wrong);
      InvalidInputException refused = catchThrowableOfType(() -> push(type, sent), InvalidInputException.class);
      assertThat(refused).as(field.name()).isNotNull();
      assertThat(refused.field()).isEqualTo(type.plural() + "[0]." + field.name());
    }
  }

  private SyncEntity read(EntityType type, JsonObject entity) {
    Requests.Push push = push(type, entity);
    assertThat(push.rejected()).isEmpty();
    return entities(push).get(0);
  }

  private Requests.Push push(EntityType type, JsonObject entity) {
    JsonObject body = new JsonObject().put("device_id", "d1").put(type.plural(), new JsonArray().add(entity));
    return reader.push(new ByteArrayInputStream(body.encode().getBytes(UTF_8)));
  }

  private static List<SyncEntity> entities(Requests.Push push) {
    return Stream.of(push.memories(), push.sessions(), push.edges()).flatMap(List::stream)
        .map(SyncEntity.class::cast).toList();
  }

  private static JsonObject written(SyncEntity entity) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
      EntityWriter.write(g, entity);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new JsonObject(out.toString(UTF_8));
  }
}
