package io.syncnode.worker;

import io.syncnode.protocol.SyncEntity;
import io.syncnode.store.EntityStore;
import io.syncnode.worker.Addresses.EntityAddresses;
import io.syncnode.worker.Messages.CountAfter;
import io.syncnode.worker.Messages.DiffQuery;
import io.syncnode.worker.Messages.Entities;
import io.syncnode.worker.Messages.FeedPositions;
import io.syncnode.worker.Messages.FeedPositionsQuery;
import io.syncnode.worker.Messages.PushBatch;
import io.syncnode.store.FeedQuery;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.List;

/**
 * The actor that owns one entity type's table: its push batches, change-feed pages, counts and
 * diff slices arrive on its addresses and are answered from its store. Consumers are local, so a
 * request is served on the node that received it.
 */
public class EntityWorker<E extends SyncEntity> extends VerticleBase {
  private final EntityStore<E> store;
  private final EntityAddresses addresses;
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();

  public EntityWorker(EntityStore<E> store) {
    this.store = store;
    this.addresses = Addresses.of(store.table().type());
  }

  @Override
  public Future<?> start() {
    EventBus bus = vertx.eventBus();
    consumers.add(bus.<PushBatch<E>>localConsumer(addresses.push(), message -> {
      PushBatch<E> batch = message.body();
      Replies.reply(message, store.push(batch.tenant(), batch.deviceId(), batch.force(), batch.entities()));
    }));
    consumers.add(bus.<FeedPositionsQuery>localConsumer(addresses.feedPositions(), message ->
        Replies.reply(message, store.feedPositions(message.body().query(), message.body().limit())
            .map(FeedPositions::new))));
    consumers.add(bus.<FeedQuery>localConsumer(addresses.feedRows(), message ->
        Replies.reply(message, store.feedRows(message.body()).map(Entities::new))));
    consumers.add(bus.<CountAfter>localConsumer(addresses.countAfter(), message ->
        Replies.reply(message, store.countAfter(message.body().tenant(), message.body().position()))));
    consumers.add(bus.<DiffQuery>localConsumer(addresses.diff(), message -> {
      DiffQuery query = message.body();
      Replies.reply(message, store.diff(query.tenant(), query.manifest(), query.namespaceIds()));
    }));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
  }

  @Override
  public Future<?> stop() {
    return Future.all(consumers.stream().map(MessageConsumer::unregister).toList());
  }
}
