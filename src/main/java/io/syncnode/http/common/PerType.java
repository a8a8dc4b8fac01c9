package io.syncnode.http.common;

import io.syncnode.protocol.EntityType;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One value per entity type, in the protocol's order (memories, sessions, edges): the answers of a
 * request sent to the three workers at once.
 */
public final class PerType<T> {
  private static final EntityType[] TYPES = EntityType.values();

  private final List<T> values;

  private PerType(List<T> values) {
    this.values = values;
  }

  /** Asks {@code call} for every type at once; fails with the first failure. */
  public static <T> Future<PerType<T>> all(Function<EntityType, Future<T>> call) {
    List<Future<T>> asked = new ArrayList<>(TYPES.length);
    for (EntityType type : TYPES) {
      asked.add(call.apply(type));
    }
    return Future.all(asked).map(done -> new PerType<>(done.list()));
  }

  /** The values computed from each type, in order. */
  public static <T> PerType<T> of(Function<EntityType, T> value) {
    List<T> values = new ArrayList<>(TYPES.length);
    for (EntityType type : TYPES) {
      values.add(value.apply(type));
    }
    return new PerType<>(values);
  }

  public T of(EntityType type) {
    return values.get(type.ordinal());
  }
}
