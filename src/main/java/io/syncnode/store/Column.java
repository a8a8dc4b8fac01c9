package io.syncnode.store;

import io.syncnode.protocol.RawJson;
import io.syncnode.protocol.SyncEntity;
import io.syncnode.protocol.json.ClockJson;
import io.syncnode.protocol.schema.Field;
import io.syncnode.resolve.BatchResolution.Write;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.function.Function;

/**
 * One stored column of an entity table, as a batch write sends it: an array parameter of
 * {@code arrayType} whose elements become the column's values through {@code cast}.
 */
record Column<E extends SyncEntity>(String name, String arrayType, String cast, Class<?> elementType,
    Function<Write<E>, Object> value) {

  /**
   * The column of a data field. json, text[] and real[] values are sent as text and cast on
   * the server. A clock column stores the write's clock (the one the resolver gave it), not the
   * clock the entity was pushed with.
   */
  static <E extends SyncEntity> Column<E> of(Field<? super E> field) {
    String name = field.column();
    String cast = "::" + field.kind().sqlType();
    return switch (field.kind()) {
      case TEXT -> new Column<>(name, "text[]", "", String.class, w -> field.value(w.entity()));
      case TEXTS -> new Column<>(name, "text[]", cast, String.class,
          w -> StoredText.textArray(castList(field.value(w.entity()))));
      case CLOCK -> new Column<>(name, "text[]", cast, String.class, w -> ClockJson.text(w.clock()));
      case TIME -> new Column<>(name, "timestamptz[]", "", OffsetDateTime.class,
          w -> StoredText.utc((Instant) field.value(w.entity())));
      case JSON -> new Column<>(name, "text[]", cast, String.class, w -> text((RawJson) field.value(w.entity())));
      case FLOATS -> new Column<>(name, "text[]", cast, String.class,
          w -> StoredText.realArray((float[]) field.value(w.entity())));
      case BOOL -> new Column<>(name, "bool[]", "", Boolean.class, w -> field.value(w.entity()));
      case NUMBER -> new Column<>(name, "float8[]", "", Double.class, w -> field.number(w.entity()));
    };
  }

  @SuppressWarnings("unchecked")
  private static List<String> castList(Object value) {
    return (List<String>) value;
  }

  private static String text(RawJson json) {
    return json == null ? null : json.text();
  }
}
