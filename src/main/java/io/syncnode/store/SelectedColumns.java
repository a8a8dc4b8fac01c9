package io.syncnode.store;

import io.syncnode.protocol.RawJson;
import io.syncnode.protocol.SyncEntity;
import io.syncnode.protocol.json.ClockJson;
import io.syncnode.protocol.schema.EntitySchema;
import io.syncnode.protocol.schema.Field;
import io.syncnode.protocol.schema.FieldKind;
import io.vertx.sqlclient.Row;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * An entity table's select list, one column per field of its schema in field order, and the
 * reading of its rows into entities. Columns are read by position (looking each up by name costs a
 * scan of the row's column names, which shows on pages of thousands), and the positions are those
 * of the same field list that made the select list.
 */
final class SelectedColumns<E extends SyncEntity> {
  private final EntitySchema<E> schema;
  private final FieldKind[] kinds;
  private final boolean[] components;
  private final String first;
  private final String list;

  SelectedColumns(EntitySchema<E> schema) {
    this.schema = schema;
    List<Field<? super E>> fields = schema.fields();
    this.kinds = new FieldKind[fields.size()];
    this.components = new boolean[fields.size()];
    for (int i = 0; i < kinds.length; i++) {
      kinds[i] = fields.get(i).kind();
      components[i] = fields.get(i).isComponent();
    }
    this.first = fields.get(0).column();
    this.list = fields.stream().map(SelectedColumns::select).collect(Collectors.joining(", "));
  }

  private static String select(Field<?> field) {
    return field.kind().selectedAsText() ? field.column() + "::text AS " + field.column() : field.column();
  }

  /** The select list, with no table alias: {@code id, vector_clock::text AS vector_clock, ...}. */
  String list() {
    return list;
  }

  /** Where the select list starts in a row (queries may put other columns before it). */
  int start(Row row) {
    return row.getColumnIndex(first);
  }

  /** The number of columns of the select list. */
  int size() {
    return kinds.length;
  }

  E entity(Row row) {
    int start = start(row);
    Object[] values = new Object[kinds.length];
    for (int i = 0; i < kinds.length; i++) {
      if (components[i]) {
        values[i] = value(kinds[i], row.getValue(start + i));
      }
    }
    return schema.entity(values);
  }

  /** A column's value as the record component of its kind holds it. */
  private static Object value(FieldKind kind, Object column) {
    if (column == null) {
      return kind == FieldKind.CLOCK ? ClockJson.parse(null) : null;
    }
    return switch (kind) {
      case TEXT, BOOL, NUMBER -> column;
      case TEXTS -> Arrays.asList((String[]) column);
      case CLOCK -> ClockJson.parse((String) column);
      case TIME -> ((OffsetDateTime) column).toInstant();
      case JSON -> new RawJson((String) column);
      case FLOATS -> StoredText.floats((Float[]) column);
    };
  }
}
