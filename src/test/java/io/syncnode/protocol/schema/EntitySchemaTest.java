package io.syncnode.protocol.schema;

import static io.syncnode.protocol.schema.Field.identifier;
import static io.syncnode.protocol.schema.Field.number;
import static io.syncnode.protocol.schema.Field.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.syncnode.protocol.Edge;
import io.syncnode.protocol.EntityType;
import io.syncnode.protocol.SyncEntity;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A schema is made only if its fields follow its record's components, so no value lands in another's place. */
class EntitySchemaTest {
  private static final List<Field<? super Edge>> EDGE_FIELDS = EntitySchemas.EDGE.fields();

  @ParameterizedTest
  @EnumSource(EntityType.class)
  void theDeclaredSchemasAreMadeAndFindTheirFieldsByName(EntityType type) {
    EntitySchema<SyncEntity> schema = EntitySchemas.of(type);
    assertThat(schema.type()).isEqualTo(type);
    assertThat(schema.table()).isEqualTo(type.plural());
    for (int i = 0; i < schema.fields().size(); i++) {
      assertThat(schema.indexOf(schema.fields().get(i).name())).isEqualTo(i);
    }
    assertThat(schema.indexOf("no_such_field")).isEqualTo(-1);
  }

  @Test
  void fieldsOutOfTheComponentsOrderAreRefused() {
    Field<? super Edge>[] swapped = EDGE_FIELDS.toArray(Field[]::new);
    Field<? super Edge> toId = swapped[8];
    swapped[8] = swapped[7];
    swapped[7] = toId;
    assertThatThrownBy(() -> new EntitySchema<>(EntityType.EDGE, "edges", Edge.class, swapped))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Edge.fromId (String) is where field to_id (TEXT) is declared: fields must follow the record's components");
  }

  @Test
  void aFieldOfAnotherKindThanItsComponentIsRefused() {
    Field<? super Edge>[] fields = EDGE_FIELDS.toArray(Field[]::new);
    fields[10] = text("weight", e -> "1");
    assertThatThrownBy(() -> new EntitySchema<>(EntityType.EDGE, "edges", Edge.class, fields))
        .hasMessageContaining("Edge.weight (double) is where field weight (TEXT) is declared");
  }

  @Test
  void aComponentWithoutAFieldAndAFieldWithoutAComponentAreRefused() {
    Field<? super Edge>[] fewer = EDGE_FIELDS.subList(0, EDGE_FIELDS.size() - 1).toArray(Field[]::new);
    assertThatThrownBy(() -> new EntitySchema<>(EntityType.EDGE, "edges", Edge.class, fewer))
        .hasMessage("Edge.metadata has no field");
    Field<? super Edge>[] more = EDGE_FIELDS.toArray(Field[]::new);
    Field<? super Edge>[] extra = java.util.Arrays.copyOf(more, more.length + 1);
    extra[more.length] = number("rank", e -> 0, 0);
    assertThatThrownBy(() -> new EntitySchema<>(EntityType.EDGE, "edges", Edge.class, extra))
        .hasMessage("Edge has no component for field rank");
  }

  @Test
  void aNameDeclaredTwiceIsRefused() {
    Field<? super Edge>[] fields = EDGE_FIELDS.toArray(Field[]::new);
    fields[12] = identifier("relation", (SyncEntity e) -> "x");
    assertThatThrownBy(() -> new EntitySchema<>(EntityType.EDGE, "edges", Edge.class, fields))
        .hasMessage("edges: field relation is declared twice");
  }

  @Test
  void namesAreCamelCasedAsRecordComponentsAre() {
    assertThat(EntitySchema.camelCase("last_modified_by")).isEqualTo("lastModifiedBy");
    assertThat(EntitySchema.camelCase("id")).isEqualTo("id");
  }
}
