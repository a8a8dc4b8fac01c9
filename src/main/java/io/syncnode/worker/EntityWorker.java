package io.syncnode.worker;

import io.syncnode.cluster.StripeKeys;
import io.syncnode.cluster.StripeLocks;
import io.syncnode.protocol.SyncEntity;
import io.syncnode.resolve.BatchResolution;
import io.syncnode.resolve.BatchResolver;
import io.syncnode.store.EntityStore;
import io.syncnode.store.ManifestTombstone;
import io.syncnode.store.PushTransaction;
import io.syncnode.store.StoredBatch;
import io.syncnode.worker.api.Addresses;
import io.syncnode.worker.api.AppliedDeletes;
import io.syncnode.worker.api.ChangeOp;
import io.syncnode.worker.api.DiffRow;
import io.syncnode.worker.api.EntityWorkerApi;
import io.syncnode.worker.api.FeedEntry;
import io.syncnode.worker.api.FeedJson;
import io.syncnode.worker.api.FeedPositions;
import io.syncnode.worker.api.FeedQuery;
import io.syncnode.worker.api.FeedRows;
import io.syncnode.worker.api.MerkleEntry;
import io.syncnode.worker.api.MerkleSummary;
import io.syncnode.worker.api.Messages.Chunk;
import io.syncnode.worker.api.Messages.DiffQuery;
import io.syncnode.worker.api.Messages.ManifestDeletes;
import io.syncnode.worker.api.Messages.MerkleQuery;
import io.syncnode.worker.api.Messages.PushBatch;
import io.syncnode.worker.api.Messages.PushOutcome;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The actor that owns one entity type's table: it decides each push batch against the rows its
 * store read and locked, serves change-feed pages, counts, diff slices and Merkle buckets from the
 * store, and tells the cluster what changed. Consumers are local, so a request is served on the
 * node that received it.
 */
public class EntityWorker<E extends SyncEntity> extends VerticleBase implements EntityWorkerApi<E> {
  private static final Logger LOG = LoggerFactory.getLogger(EntityWorker.class);
  /** Attempts of a push whose transaction met a concurrent insert of the same key, or a deadlock. */
  static final int PUSH_ATTEMPTS = 8;
  /** The most rows of a feed page read without a cursor: a page of the contextfs client's size. */
  static final int ROWS_AT_ONCE = 1_000;

  private final EntityStore<E> store;
  private final StripeLocks locks;
  private final int stripes;
  private List<MessageConsumer<?>> consumers = List.of();
  private StreamSessions streams;

  /** {@code locks} serialize conflict resolution per stripe ({@code stripes} per tenant and type). */
  public EntityWorker(EntityStore<E> store, StripeLocks locks, int stripes) {
    this.store = store;
    this.locks = locks;
    this.stripes = stripes;
  }

  @Override
  public Future<?> start() {
    Addresses.EntityAddresses addresses = Addresses.of(store.table().type());
    streams = new StreamSessions(vertx, addresses.streams());
    consumers = Bindings.entity(vertx.eventBus(), addresses, this);
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList()).compose(done -> streams.start());
  }

  /**
   * Decides and writes a batch while holding its stripes, then tells the cluster what changed.
   * The stripes only spare PostgreSQL contention: the transaction guards the rows on its own. The
   * batch that opens a push records the device's push in its own transaction.
   */
  @Override
  public Future<PushOutcome<E>> push(PushBatch<E> batch) {
    List<String> entityKeys = new ArrayList<>(batch.entities().size());
    for (E entity : batch.entities()) {
      entityKeys.add(store.table().key(entity));
    }
    return underStripes(batch.tenant(), entityKeys, () -> decideAndStore(batch, 1))
        .map(stored -> {
          if (!stored.ids().isEmpty()) {
            ChangeEvents.publish(vertx.eventBus(), batch.tenant(), store.table().type(), stored.ids(),
                stored.positions(), stored.ops());
          }
          return new PushOutcome<>(stored.resolution(), stored.recordedPush(), stored.pulledUpTo());
        });
  }

  /**
   * One transaction: the store reads and locks the batch's stored rows, the verdicts are decided
   * against them, and the store writes and commits. A transaction that met a concurrent insert of
   * the same key or a deadlock is decided again from the start against what it meets then.
   */
  private Future<StoredBatch<E>> decideAndStore(PushBatch<E> batch, int attempt) {
    return store.lockStored(batch.tenant(), batch.entities())
        .compose(transaction -> decide(batch, transaction))
        .recover(error -> {
          if (attempt < PUSH_ATTEMPTS && EntityStore.isRetryable(error)) {
            LOG.debug("{} push attempt {} retried: {}", store.table().type().plural(), attempt, error.getMessage());
            return decideAndStore(batch, attempt + 1);
          }
          return Future.failedFuture(error);
        });
  }

  private Future<StoredBatch<E>> decide(PushBatch<E> batch, PushTransaction<E> transaction) {
    BatchResolution<E> resolution;
    try {
      resolution = BatchResolver.resolve(batch.entities(), transaction.stored(), store.table()::key,
          batch.deviceId(), batch.force());
    } catch (RuntimeException e) {
      return transaction.rollback().transform(rolledBack -> Future.failedFuture(e));
    }
    return transaction.commit(batch.deviceId(), resolution, batch.opensPush());
  }

  /**
   * Applies a diff manifest's tombstones under the same stripes as a push of the same rows, then
   * tells the cluster of the deletes.
   */
  @Override
  public Future<AppliedDeletes> manifestDeletes(ManifestDeletes request) {
    return store.tombstoneTargets(request.tenant(), request.entries()).compose(targets -> {
      if (targets.isEmpty()) {
        return Future.succeededFuture(AppliedDeletes.NONE);
      }
      List<String> entityKeys = targets.stream().map(ManifestTombstone::joinedKey).toList();
      return underStripes(request.tenant(), entityKeys,
          () -> store.applyTombstones(request.tenant(), request.deviceId(), targets));
    }).map(applied -> {
      if (!applied.applied().isEmpty()) {
        ChangeEvents.publish(vertx.eventBus(), request.tenant(), store.table().type(), applied.applied(),
            applied.positions(), Collections.nCopies(applied.applied().size(), ChangeOp.DELETED));
      }
      return applied;
    });
  }

  @Override
  public Future<FeedPositions> feedPositions(FeedQuery window, int limit, boolean withAbove) {
    return store.feedPositions(window, limit, withAbove);
  }

  @Override
  public Future<FeedRows> feedRows(FeedQuery query, int atMost) {
    return store.feedRows(query, atMost);
  }

  /**
   * Up to {@link #ROWS_AT_ONCE} rows are read in one statement: a server-side cursor would cost a
   * transaction and a round trip per step, more than such a page's rows. If more turn up (written
   * above the bound meanwhile), the page is read again through a cursor.
   */
  @Override
  public Future<Chunk<FeedJson>> feedJson(FeedQuery query, int rowsExpected) {
    if (rowsExpected > ROWS_AT_ONCE) {
      return streams.first(store.feedJson(query));
    }
    return store.feedJsonAtOnce(query, ROWS_AT_ONCE).compose(json -> json != null
        ? Future.succeededFuture(Chunk.whole(List.of(json)))
        : streams.first(store.feedJson(query)));
  }

  @Override
  public Future<Chunk<FeedEntry<E>>> feedEntries(FeedQuery query) {
    return streams.first(store.feedEntries(query));
  }

  @Override
  public Future<Long> countAfter(String tenant, long position, String deviceId) {
    return store.countAfter(tenant, position, deviceId);
  }

  @Override
  public Future<Chunk<DiffRow<E>>> diff(DiffQuery query) {
    return streams.first(store.diff(query.tenant(), query.manifest(), query.namespaceIds()));
  }

  @Override
  public Future<MerkleSummary> merkle(MerkleQuery query) {
    return store.merkle(query.tenant(), query.namespaceIds());
  }

  @Override
  public Future<Chunk<MerkleEntry>> merkleEntries(MerkleQuery query) {
    return streams.first(store.merkleEntries(query.tenant(), query.namespaceIds(), query.buckets()));
  }

  /** Runs {@code work} while holding the stripes of the given entity keys, released whatever its outcome. */
  private <T> Future<T> underStripes(String tenant, List<String> entityKeys, Supplier<Future<T>> work) {
    List<String> stripeKeys = StripeKeys.of(tenant, store.table().type(), entityKeys, stripes);
    return locks.acquire(stripeKeys)
        .compose(lease -> work.get()
            .eventually(() -> locks.release(lease).recover(error -> {
              LOG.warn("releasing {} stripes failed (they expire with their lease): {}", stripeKeys.size(),
                  error.getMessage());
              return Future.succeededFuture();
            })));
  }

  @Override
  public Future<?> stop() {
    return Future.all(consumers.stream().map(MessageConsumer::unregister).toList()).compose(done -> streams.stop());
  }
}
