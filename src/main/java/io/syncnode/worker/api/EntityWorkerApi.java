package io.syncnode.worker.api;

import io.syncnode.protocol.SyncEntity;
import io.syncnode.worker.api.Messages.Chunk;
import io.syncnode.worker.api.Messages.DiffQuery;
import io.syncnode.worker.api.Messages.ManifestDeletes;
import io.syncnode.worker.api.Messages.MerkleQuery;
import io.syncnode.worker.api.Messages.PushBatch;
import io.syncnode.worker.api.Messages.PushOutcome;
import io.vertx.core.Future;

/**
 * What the worker of one entity type does for the HTTP side. Answers that can be long come as a
 * first {@link Chunk}; the rest is read with {@link Workers#eachChunk}.
 */
public interface EntityWorkerApi<E extends SyncEntity> {
  /** Decides and stores one batch of a push, and tells the cluster what changed. */
  Future<PushOutcome<E>> push(PushBatch<E> batch);

  /**
   * The change positions of this type's next {@code limit} changes in {@code window}, and with
   * {@code withAbove} those stored at or above its bound (up to {@link FeedQuery#ABOVE_LIMIT}).
   */
  Future<FeedPositions> feedPositions(FeedQuery window, int limit, boolean withAbove);

  /**
   * This type's first {@code atMost} changes in the query's window (which reads from its {@code
   * aboveFrom} up too), in one statement: a small page's rows without a separate look for their
   * positions.
   */
  Future<FeedRows> feedRows(FeedQuery query, int atMost);

  /**
   * This type's changes in the query's window, as protocol JSON. {@code rowsExpected} is how many
   * the caller counted there: a small page is read in one statement and comes as one last chunk,
   * a larger one through a cursor.
   */
  Future<Chunk<FeedJson>> feedJson(FeedQuery query, int rowsExpected);

  /** This type's changes in the query's window, as entities with their positions. */
  Future<Chunk<FeedEntry<E>>> feedEntries(FeedQuery query);

  /** How many of the tenant's entities of this type other devices than {@code deviceId} changed after a position. */
  Future<Long> countAfter(String tenant, long position, String deviceId);

  /** The differences between a client's manifest of this type and the stored rows. */
  Future<Chunk<DiffRow<E>>> diff(DiffQuery query);

  /** Applies a manifest's tombstones where the device had seen the stored version. */
  Future<AppliedDeletes> manifestDeletes(ManifestDeletes request);

  /** The type's 256 bucket hashes. */
  Future<MerkleSummary> merkle(MerkleQuery query);

  /** The entries of the query's buckets. */
  Future<Chunk<MerkleEntry>> merkleEntries(MerkleQuery query);
}
