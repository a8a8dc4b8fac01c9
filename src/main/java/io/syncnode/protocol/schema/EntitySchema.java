package io.syncnode.protocol.schema;

import io.syncnode.protocol.EntityType;
import io.syncnode.protocol.SyncEntity;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The fields of one entity type, in the order of its JSON objects, of its table's select list and
 * of its record's components. The JSON reader and writer ({@code protocol/json}) and the table
 * ({@code store}) are built from it, so each field is declared once, in {@link EntitySchemas}.
 *
 * <p>It lives in {@code protocol} because both sides use it and {@code store} depends on
 * {@code protocol}, never the reverse; the column names and SQL types it holds are plain strings.
 * The record stays the entity's type in the code (resolver, handlers, tests read its accessors);
 * it is built from values in field order through its canonical constructor, found once here, and
 * the fields must follow its components: checked when the schema is made.
 */
public final class EntitySchema<E extends SyncEntity> {
  private final EntityType type;
  private final String table;
  private final List<Field<? super E>> fields;
  private final Map<String, Integer> indexes = new HashMap<>();
  /** (Object[] values in field order) -> the record; generated fields' values are dropped. */
  private final MethodHandle constructor;

  @SafeVarargs
  public EntitySchema(EntityType type, String table, Class<E> record, Field<? super E>... fields) {
    this.type = type;
    this.table = table;
    this.fields = List.of(fields);
    for (int i = 0; i < fields.length; i++) {
      if (indexes.put(fields[i].name(), i) != null) {
        throw new IllegalStateException(type.plural() + ": field " + fields[i].name() + " is declared twice");
      }
    }
    this.constructor = constructor(record);
  }

  public EntityType type() {
    return type;
  }

  /** The entity type's table. */
  public String table() {
    return table;
  }

  /** In the order of the JSON objects, the select list and the record's components. */
  public List<Field<? super E>> fields() {
    return fields;
  }

  /** The position of the field of this JSON name, or -1 if the type has none. */
  public int indexOf(String name) {
    Integer index = indexes.get(name);
    return index == null ? -1 : index;
  }

  /** The fields of one storage role, in field order. */
  public List<Field<? super E>> fields(Field.Storage storage) {
    List<Field<? super E>> out = new ArrayList<>();
    for (Field<? super E> field : fields) {
      if (field.storage() == storage) {
        out.add(field);
      }
    }
    return out;
  }

  /** The entity of these values, given in field order (one per field, generated fields' ignored). */
  @SuppressWarnings("unchecked")
  public E entity(Object[] values) {
    try {
      Object entity = constructor.invokeExact(values);
      return (E) entity;
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }

  private MethodHandle constructor(Class<E> record) {
    RecordComponent[] components = record.getRecordComponents();
    List<Class<?>> types = new ArrayList<>();
    int next = 0;
    for (Field<? super E> field : fields) {
      if (!field.isComponent()) {
        continue;
      }
      if (next == components.length) {
        throw new IllegalStateException(record.getSimpleName() + " has no component for field " + field.name());
      }
      RecordComponent component = components[next++];
      if (!component.getName().equals(camelCase(field.name())) || component.getType() != field.kind().javaType()) {
        throw new IllegalStateException(record.getSimpleName() + "." + component.getName() + " ("
            + component.getType().getSimpleName() + ") is where field " + field + " is declared:"
            + " fields must follow the record's components");
      }
      types.add(component.getType());
    }
    if (next != components.length) {
      throw new IllegalStateException(record.getSimpleName() + "." + components[next].getName() + " has no field");
    }
    try {
      MethodHandle handle = MethodHandles.publicLookup()
          .findConstructor(record, MethodType.methodType(void.class, types));
      for (int i = 0; i < fields.size(); i++) {
        if (!fields.get(i).isComponent()) {
          handle = MethodHandles.dropArguments(handle, i, Object.class);
        }
      }
      return handle.asSpreader(Object[].class, fields.size())
          .asType(MethodType.methodType(Object.class, Object[].class));
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(record.getSimpleName() + " has no public canonical constructor", e);
    }
  }

  /** {@code namespace_id} as {@code namespaceId}. */
  static String camelCase(String name) {
    StringBuilder out = new StringBuilder(name.length());
    boolean upper = false;
    for (char c : name.toCharArray()) {
      if (c == '_') {
        upper = true;
      } else {
        out.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return type.plural() + fields;
  }
}
