package io.syncnode.store;

import io.syncnode.protocol.EntityType;
import io.syncnode.protocol.SyncEntity;
import io.syncnode.protocol.json.ClockJson;
import io.syncnode.protocol.schema.EntitySchema;
import io.syncnode.protocol.schema.Field;
import io.syncnode.resolve.StoredVersion;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * How one entity type is laid out in its table: its columns, its key, and the mapping between
 * rows and protocol records, all made once from the type's {@link EntitySchema}; what is not a
 * field (conflict content, namespace filter) is said by each table. {@link EntityStore} builds the
 * SQL from it.
 */
public abstract class EntityTable<E extends SyncEntity> {
  private final EntitySchema<E> schema;
  private final List<Field<? super E>> keys;
  private final List<String> keyColumns;
  private final List<Column<E>> dataColumns;
  private final SelectedColumns<E> selected;
  private final RowJson rowJson;

  protected EntityTable(EntitySchema<E> schema) {
    this.schema = schema;
    this.keys = schema.fields(Field.Storage.KEY);
    this.keyColumns = keys.stream().map(Field::column).toList();
    List<Column<E>> columns = new ArrayList<>();
    for (Field<? super E> field : schema.fields(Field.Storage.DATA)) {
      columns.add(Column.of(field));
    }
    columns.addAll(derivedColumns());
    this.dataColumns = List.copyOf(columns);
    this.selected = new SelectedColumns<>(schema);
    this.rowJson = new RowJson(schema);
  }

  public EntitySchema<E> schema() {
    return schema;
  }

  public EntityType type() {
    return schema.type();
  }

  public String table() {
    return schema.table();
  }

  /** The columns that identify a row within a tenant (after tenant_id). */
  public List<String> keyColumns() {
    return keyColumns;
  }

  /** The key columns' values of an entity, in {@link #keyColumns()} order. */
  public List<String> keyValues(E entity) {
    List<String> values = new ArrayList<>(keys.size());
    for (Field<? super E> key : keys) {
      values.add((String) key.value(entity));
    }
    return values;
  }

  /** Every stored column except the key, tenant_id, last_modified_by, generated ones and the change position. */
  public List<Column<E>> dataColumns() {
    return dataColumns;
  }

  /** The select list that {@link #fromRow} reads: every field's column, in field order. */
  public String selectList() {
    return selected.list();
  }

  public E fromRow(Row row) {
    return selected.entity(row);
  }

  /** Where a row's select list starts. */
  int selectStart(Row row) {
    return selected.start(row);
  }

  /** Writes rows of {@link #selectList()} as the JSON objects {@link io.syncnode.protocol.json.EntityWriter} writes for their entities. */
  RowJson rowJson() {
    return rowJson;
  }

  /** Columns a write stores besides the fields, worked out from the entity (none unless a table says so). */
  protected List<Column<E>> derivedColumns() {
    return List.of();
  }

  /** A row's Merkle bucket, as an expression over the table aliased {@code t}. */
  public String merkleBucket() {
    return "syncnode_merkle_bucket(t.id)";
  }

  /** The condition that a row of the table aliased {@code t} is in the buckets of the int[] parameter {@code param}. */
  public String inMerkleBuckets(String param) {
    return merkleBucket() + " = ANY(" + param + "::int[])";
  }

  /** What a conflict reports as the stored content, as an expression over the table aliased {@code t}. */
  public abstract String conflictContentColumn();

  /** The condition that a row of alias {@code alias} is in the namespaces of the array parameter {@code $ns}. */
  public abstract String namespaceFilter(String alias);

  /**
   * Whether a namespace-restricted pull filters this type. Edges are not filtered in pulls: their
   * namespace follows from the memories they link, which may arrive later than the edge.
   */
  public boolean pullsByNamespace() {
    return true;
  }

  /**
   * Whether the diff reports a stored row newer than the manifest's {@code updated_at} when
   * either side has no content hash. Only memories: clients send their own times for sessions and
   * edges, which say nothing about the server's version.
   */
  public boolean diffsByTime() {
    return false;
  }

  /** An entity's identity within its tenant as one string (key values joined with NUL, which no value contains). */
  public String key(E entity) {
    if (keys.size() == 1) {
      return (String) keys.get(0).value(entity);
    }
    return String.join("\u0000", keyValues(entity));
  }

  /** The identity of a row selected with its key columns, matching {@link #key(SyncEntity)}. */
  public String key(Row row) {
    if (keyColumns.size() == 1) {
      return row.getString(keyColumns.get(0));
    }
    StringBuilder out = new StringBuilder();
    for (String column : keyColumns) {
      if (out.length() > 0) out.append('\u0000');
      out.append(row.getString(column));
    }
    return out.toString();
  }

  public StoredVersion storedVersion(Row row) {
    return new StoredVersion(
        ClockJson.parse(row.getString("vector_clock")),
        row.getString("conflict_content"),
        StoredText.instant(row.getOffsetDateTime("updated_at")));
  }

  /** Adds the key columns' arrays to a tuple, one array per key column, for the entities given. */
  Tuple addKeyArrays(Tuple tuple, List<E> entities) {
    String[][] arrays = new String[keys.size()][entities.size()];
    for (int i = 0; i < entities.size(); i++) {
      E entity = entities.get(i);
      for (int k = 0; k < arrays.length; k++) {
        arrays[k][i] = (String) keys.get(k).value(entity);
      }
    }
    for (String[] array : arrays) {
      tuple.addValue(array);
    }
    return tuple;
  }
}
