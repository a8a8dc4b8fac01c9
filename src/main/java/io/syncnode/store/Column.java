package io.syncnode.store;

import io.syncnode.resolve.BatchResolution.Write;
import java.util.function.Function;

/**
 * One stored column of an entity table, as a batch write sends it: an array parameter of
 * {@code arrayType} whose elements become the column's values through {@code cast}.
 */
record Column<E extends io.syncnode.protocol.SyncEntity>(String name, String arrayType, String cast, Class<?> elementType, Function<Write<E>, Object> value) {
  static <E extends io.syncnode.protocol.SyncEntity> Column<E> text(String name, Function<Write<E>, Object> value) {
    return new Column<>(name, "text[]", "", String.class, value);
  }

  /** Sent as text and cast on the server: jsonb, text[] and real[] values of a whole batch. */
  static <E extends io.syncnode.protocol.SyncEntity> Column<E> castText(String name, String cast, Function<Write<E>, Object> value) {
    return new Column<>(name, "text[]", "::" + cast, String.class, value);
  }

  static <E extends io.syncnode.protocol.SyncEntity> Column<E> time(String name, Function<Write<E>, Object> value) {
    return new Column<>(name, "timestamptz[]", "", java.time.OffsetDateTime.class, value);
  }

  static <E extends io.syncnode.protocol.SyncEntity> Column<E> bool(String name, Function<Write<E>, Object> value) {
    return new Column<>(name, "bool[]", "", Boolean.class, value);
  }

  static <E extends io.syncnode.protocol.SyncEntity> Column<E> float8(String name, Function<Write<E>, Object> value) {
    return new Column<>(name, "float8[]", "", Double.class, value);
  }
}
