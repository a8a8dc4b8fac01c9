package io.syncnode.worker;

import io.syncnode.worker.api.Messages;
import io.syncnode.worker.api.Addresses;

import io.syncnode.cluster.StripeKeys;
import io.syncnode.cluster.StripeLocks;
import io.syncnode.protocol.SyncEntity;
import io.syncnode.worker.api.AppliedDeletes;
import io.syncnode.worker.api.ChangeOp;
import io.syncnode.store.EntityStore;
import io.syncnode.store.ManifestTombstone;
import io.syncnode.worker.api.Addresses.EntityAddresses;
import io.syncnode.worker.api.Messages.CountAfter;
import io.syncnode.worker.api.Messages.DiffQuery;
import io.syncnode.worker.api.Messages.FeedPositions;
import io.syncnode.worker.api.Messages.FeedPositionsQuery;
import io.syncnode.worker.api.Messages.ManifestDeletes;
import io.syncnode.worker.api.Messages.PushBatch;
import io.syncnode.worker.api.Messages.PushOutcome;
import io.syncnode.worker.api.FeedQuery;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The actor that owns one entity type's table: its push batches, change-feed pages, counts and
 * diff slices arrive on its addresses and are answered from its store. Consumers are local, so a
 * request is served on the node that received it.
 */
public class EntityWorker<E extends SyncEntity> extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(EntityWorker.class);

  private final EntityStore<E> store;
  private final StripeLocks locks;
  private final int stripes;
  private final EntityAddresses addresses;
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private StreamSessions streams;

  /** {@code locks} serialize conflict resolution per stripe ({@code stripes} per tenant and type). */
  public EntityWorker(EntityStore<E> store, StripeLocks locks, int stripes) {
    this.store = store;
    this.locks = locks;
    this.stripes = stripes;
    this.addresses = Addresses.of(store.table().type());
  }

  @Override
  public Future<?> start() {
    EventBus bus = vertx.eventBus();
    streams = new StreamSessions(vertx, addresses.streams());
    consumers.add(bus.<PushBatch<E>>localConsumer(addresses.push(), message ->
        Replies.reply(message, push(message.body()))));
    consumers.add(bus.<FeedPositionsQuery>localConsumer(addresses.feedPositions(), message ->
        Replies.reply(message, store.feedPositions(message.body().query(), message.body().limit())
            .map(FeedPositions::new))));
    consumers.add(bus.<FeedQuery>localConsumer(addresses.feedJson(), message ->
        Replies.reply(message, streams.first(store.feedJson(message.body())))));
    consumers.add(bus.<FeedQuery>localConsumer(addresses.feedEntries(), message ->
        Replies.reply(message, streams.first(store.feedEntries(message.body())))));
    consumers.add(bus.<CountAfter>localConsumer(addresses.countAfter(), message ->
        Replies.reply(message, store.countAfter(message.body().tenant(), message.body().position(),
            message.body().deviceId()))));
    consumers.add(bus.<DiffQuery>localConsumer(addresses.diff(), message -> {
      DiffQuery query = message.body();
      Replies.reply(message, streams.first(store.diff(query.tenant(), query.manifest(), query.namespaceIds())));
    }));
    consumers.add(bus.<ManifestDeletes>localConsumer(addresses.manifestDeletes(), message ->
        Replies.reply(message, manifestDeletes(message.body()))));
    consumers.add(bus.<Messages.MerkleQuery>localConsumer(addresses.merkle(), message ->
        Replies.reply(message, store.merkle(message.body().tenant(), message.body().namespaceIds()))));
    consumers.add(bus.<Messages.MerkleQuery>localConsumer(addresses.merkleEntries(), message -> {
      Messages.MerkleQuery query = message.body();
      Replies.reply(message, streams.first(store.merkleEntries(query.tenant(), query.namespaceIds(), query.buckets())));
    }));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList()).compose(done -> streams.start());
  }

  /**
   * Decides and writes a batch while holding its stripes, then tells the cluster what changed.
   * The stripes only spare PostgreSQL contention: the transaction guards the rows on its own.
   */
  private Future<PushOutcome<E>> push(PushBatch<E> batch) {
    List<String> entityKeys = new ArrayList<>(batch.entities().size());
    for (E entity : batch.entities()) {
      entityKeys.add(store.table().key(entity));
    }
    return underStripes(batch.tenant(), entityKeys,
            () -> store.push(batch.tenant(), batch.deviceId(), batch.force(), batch.entities(), batch.recordPush()))
        .map(stored -> {
          if (stored.ids().size() > 0) {
            ChangeEvents.publish(vertx.eventBus(), batch.tenant(), store.table().type(), stored.ids(),
                stored.positions(), stored.ops());
          }
          return new PushOutcome<>(stored.resolution(), stored.recordedPush(), stored.pulledUpTo());
        });
  }

  /**
   * Applies a diff manifest's tombstones under the same stripes as a push of the same rows, then
   * tells the cluster of the deletes.
   */
  private Future<AppliedDeletes> manifestDeletes(ManifestDeletes request) {
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
            applied.positions(), java.util.Collections.nCopies(applied.applied().size(), ChangeOp.DELETED));
      }
      return applied;
    });
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
