package io.syncnode.store;

import io.syncnode.protocol.SyncEntity;
import io.syncnode.resolve.BatchResolution;
import io.syncnode.resolve.StoredVersion;
import io.syncnode.worker.api.ChangeOp;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.lang.reflect.Array;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A push batch's transaction between its locking read and its commit: the stored versions it
 * read (locked until the end) and the change positions it will write at. It ends once, by
 * {@link #commit} or {@link #rollback}, and gives its connection back either way.
 */
public final class PushTransaction<E extends SyncEntity> {
  private final SqlConnection conn;
  private final EntityTable<E> table;
  private final EntitySql sql;
  private final String tenant;
  private final long base;
  private final Map<String, StoredVersion> stored;

  PushTransaction(SqlConnection conn, EntityTable<E> table, EntitySql sql, String tenant, long base,
      Map<String, StoredVersion> stored) {
    this.conn = conn;
    this.table = table;
    this.sql = sql;
    this.tenant = tenant;
    this.base = base;
    this.stored = stored;
  }

  /** The stored versions of the batch's rows by entity key; a key the table lacks is absent. */
  public Map<String, StoredVersion> stored() {
    return stored;
  }

  /**
   * One round trip, a pipeline: the resolution's writes in one statement, the device's push when
   * {@code recordPush}, and COMMIT. A failed write aborts the transaction, so the COMMIT sent
   * behind it rolls back, and the future fails.
   */
  public Future<StoredBatch<E>> commit(String deviceId, BatchResolution<E> resolution, boolean recordPush) {
    List<BatchResolution.Write<E>> writes = sortedByKey(resolution.writes());
    Future<RowSet<Row>> written = writes.isEmpty() ? Future.succeededFuture() : write(deviceId, writes);
    Future<RowSet<Row>> recorded = recordPush
        ? conn.preparedQuery(DeviceStore.RECORD_PUSH).execute(Tuple.of(tenant, deviceId))
        : Future.succeededFuture();
    Future<RowSet<Row>> commit = conn.query("COMMIT").execute();
    return Future.all(written, recorded, commit)
        .map(done -> stored(resolution, writes, recordPush, recordPush ? DeviceStore.pulledUpTo(recorded.result()) : null))
        .recover(error -> rollBack(conn).transform(rolledBack -> Future.failedFuture(error)))
        .eventually(conn::close);
  }

  /** Ends the transaction without writing. */
  public Future<Void> rollback() {
    return rollBack(conn).eventually(conn::close);
  }

  static Future<Void> rollBack(SqlConnection conn) {
    return conn.query("ROLLBACK").execute().<Void>mapEmpty().otherwiseEmpty();
  }

  private StoredBatch<E> stored(BatchResolution<E> resolution, List<BatchResolution.Write<E>> writes,
      boolean recordPush, Instant pulledUpTo) {
    // Row i of the write took position base + i + 1 (its ordinal in the statement's input).
    long[] positions = new long[writes.size()];
    List<String> ids = new ArrayList<>(writes.size());
    List<ChangeOp> ops = new ArrayList<>(writes.size());
    for (int i = 0; i < writes.size(); i++) {
      positions[i] = base + i + 1;
      ids.add(writes.get(i).entity().id());
      ops.add(ChangeOp.of(writes.get(i).insert(), writes.get(i).entity().deletedAt() != null));
    }
    return new StoredBatch<>(resolution, ids, positions, ops, recordPush, pulledUpTo);
  }

  /** Sorted by key, so that concurrent batches inserting the same new ids wait for each other in one order. */
  private List<BatchResolution.Write<E>> sortedByKey(List<BatchResolution.Write<E>> writes) {
    List<BatchResolution.Write<E>> sorted = new ArrayList<>(writes);
    sorted.sort((a, b) -> table.key(a.entity()).compareTo(table.key(b.entity())));
    return sorted;
  }

  private Future<RowSet<Row>> write(String deviceId, List<BatchResolution.Write<E>> sorted) {
    List<E> entities = new ArrayList<>(sorted.size());
    for (BatchResolution.Write<E> write : sorted) {
      entities.add(write.entity());
    }
    Tuple params = table.addKeyArrays(Tuple.of(tenant, deviceId, base), entities);
    for (Column<E> column : table.dataColumns()) {
      // element types are boxed, so the typed array can be filled as an Object[] without reflection
      Object[] array = (Object[]) Array.newInstance(column.elementType(), sorted.size());
      boolean anyValue = false;
      for (int i = 0; i < sorted.size(); i++) {
        array[i] = column.value().apply(sorted.get(i));
        anyValue |= array[i] != null;
      }
      // unnest pads a NULL array with NULLs to the length of the others, as it would an array of NULLs
      params.addValue(anyValue ? array : null);
    }
    Boolean[] inserts = new Boolean[sorted.size()];
    long insertCount = 0;
    for (int i = 0; i < sorted.size(); i++) {
      inserts[i] = sorted.get(i).insert();
      insertCount += inserts[i] ? 1 : 0;
    }
    long updateCount = sorted.size() - insertCount;
    if (updateCount == 0) {
      return conn.preparedQuery(sql.write.insertOnly).execute(params);
    }
    if (insertCount == 0) {
      return conn.preparedQuery(sql.write.updateOnly).execute(params.addLong(updateCount));
    }
    return conn.preparedQuery(sql.write.insertAndUpdate).execute(params.addValue(inserts).addLong(updateCount));
  }
}
