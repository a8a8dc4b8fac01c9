package io.syncnode.store;

import io.syncnode.protocol.EntityType;
import io.syncnode.protocol.SyncEntity;
import io.syncnode.resolve.StoredVersion;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * How one entity type is laid out in its table: its columns, its key, and the mapping between
 * rows and protocol records. {@link EntityStore} builds the SQL from it.
 */
public abstract class EntityTable<E extends SyncEntity> {
  /** Columns every entity table has, in the order the write statement lists them. */
  protected final List<Column<E>> commonColumns() {
    List<Column<E>> columns = new ArrayList<>();
    columns.add(Column.castText("vector_clock", "jsonb", w -> StoredText.clockJson(w.clock())));
    columns.add(Column.text("content_hash", w -> w.entity().contentHash()));
    columns.add(Column.time("deleted_at", w -> StoredText.utc(w.entity().deletedAt())));
    columns.add(Column.time("created_at", w -> StoredText.utc(w.entity().createdAt())));
    columns.add(Column.time("updated_at", w -> StoredText.utc(w.entity().updatedAt())));
    return columns;
  }

  public abstract EntityType type();

  public abstract String table();

  /** The columns that identify a row within a tenant (after tenant_id). */
  public abstract List<String> keyColumns();

  /** The key columns' values of an entity, in {@link #keyColumns()} order. */
  public abstract List<String> keyValues(E entity);

  /** Every stored column except the key, tenant_id, last_modified_by and the change position. */
  public abstract List<Column<E>> dataColumns();

  /** The select list that {@link #fromRow} reads. */
  public abstract String selectList();

  public abstract E fromRow(Row row);

  /** Writes a row of {@link #selectList()} as the JSON object {@link io.syncnode.protocol.json.EntityWriter} writes for its entity. */
  abstract void writeJson(RowJson row) throws java.io.IOException;

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
    List<String> values = keyValues(entity);
    return values.size() == 1 ? values.get(0) : String.join("\u0000", values);
  }

  /** The identity of a row selected with its key columns, matching {@link #key(SyncEntity)}. */
  public String key(Row row) {
    List<String> columns = keyColumns();
    if (columns.size() == 1) {
      return row.getString(columns.get(0));
    }
    StringBuilder out = new StringBuilder();
    for (String column : columns) {
      if (out.length() > 0) out.append('\u0000');
      out.append(row.getString(column));
    }
    return out.toString();
  }

  public StoredVersion storedVersion(Row row) {
    return new StoredVersion(
        StoredText.parseClock(row.getString("vector_clock")),
        row.getString("conflict_content"),
        StoredText.instant(row.getOffsetDateTime("updated_at")));
  }

  /** The select list of the common columns, for {@link #selectList()}. */
  protected static String commonSelect() {
    return "id, vector_clock::text AS vector_clock, content_hash, deleted_at, created_at, updated_at, last_modified_by";
  }

  /** Adds the key columns' arrays to a tuple, one array per key column, for the entities given. */
  Tuple addKeyArrays(Tuple tuple, List<E> entities) {
    int keys = keyColumns().size();
    String[][] arrays = new String[keys][entities.size()];
    for (int i = 0; i < entities.size(); i++) {
      List<String> values = keyValues(entities.get(i));
      for (int k = 0; k < keys; k++) {
        arrays[k][i] = values.get(k);
      }
    }
    for (String[] array : arrays) {
      tuple.addValue(array);
    }
    return tuple;
  }
}
