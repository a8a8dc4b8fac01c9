package io.syncnode.store;

import io.syncnode.protocol.Requests.ManifestEntry;
import io.syncnode.protocol.SyncEntity;
import io.syncnode.protocol.json.ClockJson;
import io.syncnode.resolve.StoredVersion;
import io.syncnode.worker.api.AppliedDeletes;
import io.syncnode.worker.api.DiffRow;
import io.syncnode.worker.api.FeedEntry;
import io.syncnode.worker.api.FeedJson;
import io.syncnode.worker.api.FeedPositions;
import io.syncnode.worker.api.FeedQuery;
import io.syncnode.worker.api.FeedRows;
import io.syncnode.worker.api.MerkleEntry;
import io.syncnode.worker.api.MerkleSummary;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** All SQL of one entity table: batch pushes, the change feed, counts and the diff slice. */
public final class EntityStore<E extends SyncEntity> {

  private final Pool pool;
  private final ReadPools reads;
  private final EntityTable<E> table;
  private final EntitySql sql;
  private final String feedRowsAtOnce;
  private final String feedRowsAndAboveAtOnce;

  public EntityStore(Pool pool, EntityTable<E> table) {
    this(pool, ReadPools.primaryOnly(pool), table);
  }

  /** Writes on the primary's {@code pool}; feed, count, diff and Merkle reads where {@code reads} sends them. */
  public EntityStore(Pool pool, ReadPools reads, EntityTable<E> table) {
    this.pool = pool;
    this.reads = reads;
    this.table = table;
    this.sql = new EntitySql(table);
    this.feedRowsAtOnce = sql.feedRows + " LIMIT $9";
    this.feedRowsAndAboveAtOnce = sql.feedRowsAndAbove + " LIMIT $10";
  }

  public EntityTable<E> table() {
    return table;
  }

  /**
   * Opens a push's transaction and reads the stored rows of the batch, locked {@code FOR UPDATE}
   * in key order: one round trip, a pipeline of BEGIN, the feed writer's registration, the
   * transaction id and the locking read. The caller decides the verdicts against what it read and
   * commits them with {@link PushTransaction#commit}, or rolls back.
   */
  public Future<PushTransaction<E>> lockStored(String tenant, List<E> entities) {
    return pool.getConnection().compose(conn -> lockStored(conn, tenant, entities)
        .recover(error -> PushTransaction.rollBack(conn).eventually(conn::close)
            .transform(rolledBack -> Future.failedFuture(error))));
  }

  private Future<PushTransaction<E>> lockStored(SqlConnection conn, String tenant, List<E> entities) {
    Future<RowSet<Row>> begin = conn.query("BEGIN").execute();
    // The feed's writers' protocol (see FeedWatermark): the table's RowExclusiveLock is taken before
    // the transaction has an id, so that a reader sees the writer in pg_locks as soon as it can hold
    // a position. The id is taken before the write's timestamp is read, so that a reader that does
    // not yet see this transaction running has a watermark time below every changed_at it will write.
    Future<RowSet<Row>> registered = conn.query(sql.registerWriter).execute();
    Future<RowSet<Row>> xid = conn.query("SELECT pg_current_xact_id()::text::bigint").execute();
    Map<String, E> distinct = new LinkedHashMap<>();
    for (E entity : entities) {
      distinct.put(table.key(entity), entity);
    }
    Tuple lockParams = table.addKeyArrays(Tuple.of(tenant), new ArrayList<>(distinct.values()));
    Future<RowSet<Row>> stored = conn.preparedQuery(sql.lockStored).execute(lockParams);
    return Future.all(begin, registered, xid, stored).map(read -> {
      Map<String, StoredVersion> versions = new HashMap<>();
      for (Row row : stored.result()) {
        versions.put(table.key(row), table.storedVersion(row));
      }
      long base = xid.result().iterator().next().getLong(0) * EntitySql.POSITIONS_PER_TRANSACTION;
      return new PushTransaction<>(conn, table, sql, tenant, base, versions);
    });
  }

  /**
   * Whether a push that failed with {@code error} meets the same batch decided again: a deadlock,
   * a concurrent update found by the V3 check, or a concurrent insert of a key found absent.
   */
  public static boolean isRetryable(Throwable error) {
    return error instanceof PgException pg
        && ("40P01".equals(pg.getSqlState()) || "40001".equals(pg.getSqlState()) || "23505".equals(pg.getSqlState()));
  }

  /**
   * The alive rows that a manifest's tombstones name (entries with {@code deleted_at}), with their
   * keys, in key order; ids the server does not have, or holds deleted already, are left out.
   */
  public Future<List<ManifestTombstone>> tombstoneTargets(String tenant, List<ManifestEntry> entries) {
    Map<String, ManifestEntry> byId = new LinkedHashMap<>();
    for (ManifestEntry entry : entries) {
      if (entry.deletedAt() != null) {
        byId.put(entry.id(), entry);
      }
    }
    if (byId.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    Tuple params = Tuple.tuple().addString(tenant).addValue(byId.keySet().toArray(String[]::new));
    return pool.preparedQuery(sql.aliveByIds).execute(params).map(rows -> {
      List<ManifestTombstone> targets = new ArrayList<>(rows.size());
      for (Row row : rows) {
        ManifestEntry entry = byId.get(row.getString("wire_id"));
        List<String> key = new ArrayList<>(table.keyColumns().size());
        for (String column : table.keyColumns()) {
          key.add(row.getString(column));
        }
        targets.add(new ManifestTombstone(List.copyOf(key), entry.id(), entry.contentHash(), entry.updatedAt(),
            entry.deletedAt()));
      }
      targets.sort((a, b) -> a.joinedKey().compareTo(b.joinedKey()));
      return targets;
    });
  }

  /**
   * Turns the targets into tombstones written by {@code deviceId}, in one transaction that reads and
   * locks their rows {@code FOR UPDATE} in key order as a push does, where the device had seen the
   * stored version: its manifest hash equals the stored one, or (without hashes on both sides) the
   * stored memory is not newer than the manifest's {@code updated_at}; sessions and edges, whose
   * manifest times are the client's own, by presence. The others are refused and stay alive. Each
   * tombstone takes the stored clock with the device's counter incremented and a change position.
   */
  public Future<AppliedDeletes> applyTombstones(String tenant, String deviceId, List<ManifestTombstone> targets) {
    if (targets.isEmpty()) {
      return Future.succeededFuture(AppliedDeletes.NONE);
    }
    return pool.getConnection()
        .compose(conn -> tombstonesInTransaction(conn, tenant, deviceId, targets)
            .recover(error -> PushTransaction.rollBack(conn).transform(rolledBack -> Future.failedFuture(error)))
            .eventually(conn::close));
  }

  private Future<AppliedDeletes> tombstonesInTransaction(SqlConnection conn, String tenant, String deviceId,
      List<ManifestTombstone> targets) {
    Future<RowSet<Row>> begin = conn.query("BEGIN").execute();
    // The feed's writers' protocol, as for a push (see FeedWatermark): the table's RowExclusiveLock
    // before the transaction has an id. The locking read alone would take the id under a lesser lock.
    Future<RowSet<Row>> registered = conn.query(sql.registerWriter).execute();
    Future<RowSet<Row>> xid = conn.query("SELECT pg_current_xact_id()::text::bigint").execute();
    Future<RowSet<Row>> locked = conn.preparedQuery(sql.lockForTombstone)
        .execute(keyArrays(Tuple.of(tenant), targets));
    return Future.all(begin, registered, xid, locked).compose(read -> {
      Map<String, ManifestTombstone> byId = new HashMap<>();
      for (ManifestTombstone target : targets) {
        byId.put(target.id(), target);
      }
      List<ManifestTombstone> applied = new ArrayList<>();
      List<String> clocks = new ArrayList<>();
      List<String> refused = new ArrayList<>();
      for (Row row : locked.result()) {
        ManifestTombstone target = byId.get(row.getString("wire_id"));
        if (target == null || row.getOffsetDateTime("deleted_at") != null) {
          continue; // deleted meanwhile: nothing to do
        }
        if (deviceSawStoredVersion(target, row.getString("content_hash"),
            StoredText.instant(row.getOffsetDateTime("updated_at")))) {
          applied.add(target);
          clocks.add(ClockJson.text(ClockJson.parse(row.getString("vector_clock")).increment(deviceId)));
        } else {
          refused.add(target.id());
        }
      }
      long base = xid.result().iterator().next().getLong(0) * EntitySql.POSITIONS_PER_TRANSACTION;
      Future<RowSet<Row>> written = Future.succeededFuture();
      if (!applied.isEmpty()) {
        Tuple params = keyArrays(Tuple.of(tenant, deviceId, base), applied);
        java.time.OffsetDateTime[] deletedAt = new java.time.OffsetDateTime[applied.size()];
        for (int i = 0; i < applied.size(); i++) {
          deletedAt[i] = StoredText.utc(applied.get(i).deletedAt());
        }
        params.addValue(deletedAt).addValue(clocks.toArray(String[]::new));
        written = conn.preparedQuery(sql.writeTombstones).execute(params);
      }
      Future<RowSet<Row>> commit = conn.query("COMMIT").execute();
      return Future.all(written, commit).map(done -> {
        long[] positions = new long[applied.size()];
        List<String> ids = new ArrayList<>(applied.size());
        for (int i = 0; i < applied.size(); i++) {
          positions[i] = base + i + 1;
          ids.add(applied.get(i).id());
        }
        return new AppliedDeletes(ids, positions, refused);
      });
    });
  }

  private boolean deviceSawStoredVersion(ManifestTombstone target, String storedHash, Instant storedUpdatedAt) {
    if (target.contentHash() != null && storedHash != null) {
      return target.contentHash().equals(storedHash);
    }
    if (!table.diffsByTime()) {
      return true;
    }
    return target.updatedAt() != null && !storedUpdatedAt.isAfter(target.updatedAt());
  }

  /** Adds one text[] per key column, the targets' key values in order. */
  private Tuple keyArrays(Tuple tuple, List<ManifestTombstone> targets) {
    int keys = table.keyColumns().size();
    for (int k = 0; k < keys; k++) {
      String[] values = new String[targets.size()];
      for (int i = 0; i < targets.size(); i++) {
        values[i] = targets.get(i).key().get(k);
      }
      tuple.addValue(values);
    }
    return tuple;
  }

  /**
   * The change positions of this type's next {@code limit} changes in {@code window}, and with
   * {@code withAbove} those stored at or above its bound, both in one round trip.
   */
  public Future<FeedPositions> feedPositions(FeedQuery window, int limit, boolean withAbove) {
    return reads.belowBound(window.bound()).compose(pool -> {
      if (!withAbove) {
        return positions(pool, window, limit).map(in -> new FeedPositions(in, FeedPositions.NONE));
      }
      return pool.withConnection(conn -> {
        Future<long[]> in = positions(conn, window, limit);
        Future<long[]> above = positions(conn, window.aboveBound(), FeedQuery.ABOVE_LIMIT);
        return Future.all(in, above).map(both -> new FeedPositions(in.result(), above.result()));
      });
    });
  }

  private Future<long[]> positions(io.vertx.sqlclient.SqlClient client, FeedQuery window, int limit) {
    return client.preparedQuery(sql.feedPositions).execute(feedParams(window).addInteger(limit)).map(rows -> {
      long[] positions = new long[rows.size()];
      int i = 0;
      for (Row row : rows) {
        positions[i++] = row.getLong(0);
      }
      return positions;
    });
  }

  /**
   * This type's changes with positions in ({@code query.after()}, {@code query.bound()}], in order,
   * read by chunks, each chunk as one buffer of protocol JSON: the chunks one after the other are
   * the inside of the page's JSON array.
   */
  public Future<RowCursor<FeedJson>> feedJson(FeedQuery query) {
    JsonChunks<E> json = new JsonChunks<>(table);
    return reads.belowBound(query.bound()).compose(pool ->
        RowCursor.openChunks(pool, feedRowsSql(query), feedRowParams(query), rows -> List.of(feedJson(json, query, rows))));
  }

  /**
   * The rows of {@link #feedJson} in one statement, for a page expected to hold no more than
   * {@code atMost} rows; null if it holds more (rows written meanwhile above the bound), which are
   * then to be read through {@link #feedJson}: no more than {@code atMost + 1} rows are held.
   */
  public Future<FeedJson> feedJsonAtOnce(FeedQuery query, int atMost) {
    String limited = query.withAbove() ? feedRowsAndAboveAtOnce : feedRowsAtOnce;
    return reads.belowBound(query.bound()).compose(pool -> pool.preparedQuery(limited)
        .execute(feedRowParams(query).addInteger(atMost + 1)))
        .map(rows -> rows.size() > atMost ? null : feedJson(new JsonChunks<>(table), query, rows));
  }

  /**
   * This type's first {@code atMost} rows of a window read with the rows above its bound ({@code
   * query.withAbove()}), in one statement: those below the bound in order, then those at or above
   * {@code query.aboveFrom()}. Written as JSON only for as many as the caller serves.
   */
  public Future<FeedRows> feedRows(FeedQuery query, int atMost) {
    if (!query.withAbove()) {
      throw new IllegalArgumentException("feedRows reads the rows above the bound too: the query needs aboveFrom");
    }
    return reads.pullClientBelowBound(query.bound())
        .compose(client -> client.preparedQuery(feedRowsAndAboveAtOnce)
            .execute(feedRowParams(query).addInteger(atMost)))
        .map(rows -> {
          long[] positions = new long[rows.size()];
          int below = 0;
          int i = 0;
          for (Row row : rows) {
            long position = row.getLong(row.size() - 1);
            positions[i++] = position;
            below += position < query.aboveFrom() ? 1 : 0;
          }
          JsonChunks<E> json = new JsonChunks<>(table);
          return new FeedRows(positions, below, rows.size() < atMost, count -> json.first(rows, count));
        });
  }

  private static <E extends SyncEntity> FeedJson feedJson(JsonChunks<E> json, FeedQuery query, RowSet<Row> rows) {
    long[] above = FeedPositions.NONE;
    if (query.withAbove()) {
      java.util.stream.LongStream.Builder positions = java.util.stream.LongStream.builder();
      for (Row row : rows) {
        long position = row.getLong("change_pos");
        if (position >= query.aboveFrom()) {
          positions.add(position);
        }
      }
      above = positions.build().toArray();
    }
    return new FeedJson(json.apply(rows).get(0), above);
  }

  /** This type's changes like {@link #feedJson}, as entities with their positions. */
  public Future<RowCursor<FeedEntry<E>>> feedEntries(FeedQuery query) {
    return reads.belowBound(query.bound()).compose(pool -> RowCursor.open(pool, feedRowsSql(query),
        feedRowParams(query), row -> new FeedEntry<>(row.getLong("change_pos"), table.fromRow(row))));
  }

  private Tuple feedParams(FeedQuery query) {
    return Tuple.of(query.tenant(), query.after(), query.bound(), StoredText.utc(query.since()),
        query.namespaceIds() == null ? null : query.namespaceIds().toArray(String[]::new), query.device(),
        query.devicePosition(), boxed(query.skip()));
  }

  private String feedRowsSql(FeedQuery query) {
    return query.withAbove() ? sql.feedRowsAndAbove : sql.feedRows;
  }

  private Tuple feedRowParams(FeedQuery query) {
    return query.withAbove() ? feedParams(query).addLong(query.aboveFrom()) : feedParams(query);
  }

  private static Long[] boxed(long[] values) {
    if (values == null) {
      return null;
    }
    Long[] boxed = new Long[values.length];
    for (int i = 0; i < values.length; i++) {
      boxed[i] = values[i];
    }
    return boxed;
  }

  /** How many of the tenant's entities of this type other devices than {@code device} changed after a position. */
  public Future<Long> countAfter(String tenant, long position, String device) {
    return reads.current().compose(pool -> pool.preparedQuery(sql.countAfter).execute(Tuple.of(tenant, position, device)))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  /**
   * Compares a client's manifest of this type with the stored rows, in PostgreSQL, and reads the
   * differences by chunks: entities the client lacks or has outdated first, then the ids it
   * should delete, then the ids the server lacks.
   */
  public Future<RowCursor<DiffRow<E>>> diff(String tenant, List<ManifestEntry> manifest, List<String> namespaceIds) {
    Map<String, ManifestEntry> distinct = new LinkedHashMap<>();
    for (ManifestEntry entry : manifest) {
      distinct.put(entry.id(), entry);
    }
    int n = distinct.size();
    String[] ids = new String[n];
    String[] hashes = new String[n];
    java.time.OffsetDateTime[] updated = new java.time.OffsetDateTime[n];
    java.time.OffsetDateTime[] deleted = new java.time.OffsetDateTime[n];
    int i = 0;
    for (ManifestEntry entry : distinct.values()) {
      ids[i] = entry.id();
      hashes[i] = entry.contentHash();
      updated[i] = StoredText.utc(entry.updatedAt());
      deleted[i] = StoredText.utc(entry.deletedAt());
      i++;
    }
    Tuple params = Tuple.of(tenant, ids, hashes, updated, deleted,
        namespaceIds == null ? null : namespaceIds.toArray(String[]::new));
    return reads.current().compose(pool -> RowCursor.open(pool, sql.diff, params, row -> {
      DiffRow.Kind kind = DiffRow.Kind.valueOf(row.getString("kind").toUpperCase(java.util.Locale.ROOT));
      E entity = kind == DiffRow.Kind.MISSING || kind == DiffRow.Kind.UPDATED ? table.fromRow(row) : null;
      return new DiffRow<>(kind, row.getString("entry_id"), entity);
    }));
  }

  /** The type's 256 bucket hashes (see {@link MerkleSummary}), computed in PostgreSQL. */
  public Future<MerkleSummary> merkle(String tenant, List<String> namespaceIds) {
    // Tuple.of(a, array) would spread the array as varargs
    Tuple params = Tuple.tuple().addString(tenant).addValue(namespaces(namespaceIds));
    return reads.current().compose(pool -> pool.preparedQuery(sql.merkleBuckets).execute(params)).map(rows -> {
      String[] hashes = MerkleSummary.emptyBuckets();
      long entries = 0;
      for (Row row : rows) {
        hashes[row.getInteger("bucket")] = row.getString("hash");
        entries += row.getLong("entries");
      }
      return new MerkleSummary(entries, hashes);
    });
  }

  /** The entries of the given buckets, by bucket then id bytes, read by chunks. */
  public Future<RowCursor<MerkleEntry>> merkleEntries(String tenant, List<String> namespaceIds, int[] buckets) {
    Integer[] wanted = new Integer[buckets.length];
    for (int i = 0; i < buckets.length; i++) {
      wanted[i] = buckets[i];
    }
    return reads.current().compose(pool -> RowCursor.open(pool, sql.merkleEntries,
        Tuple.of(tenant, namespaces(namespaceIds), wanted),
        row -> new MerkleEntry(row.getInteger("bucket"), row.getString("id"), row.getString("content_hash"),
            row.getBoolean("deleted"))));
  }

  private static String[] namespaces(List<String> namespaceIds) {
    return namespaceIds == null ? null : namespaceIds.toArray(String[]::new);
  }
}
