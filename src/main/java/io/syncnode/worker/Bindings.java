package io.syncnode.worker;

import io.syncnode.protocol.SyncEntity;
import io.syncnode.worker.api.Addresses.EntityAddresses;
import io.syncnode.worker.api.Addresses;
import io.syncnode.worker.api.DeviceApi;
import io.syncnode.worker.api.EntityWorkerApi;
import io.syncnode.worker.api.FeedQuery;
import io.syncnode.worker.api.KeyApi;
import io.syncnode.worker.api.Messages.CountAfter;
import io.syncnode.worker.api.Messages.DeviceActivity;
import io.syncnode.worker.api.Messages.DiffQuery;
import io.syncnode.worker.api.Messages.FeedPositionsQuery;
import io.syncnode.worker.api.Messages.FindDevice;
import io.syncnode.worker.api.Messages.FindPullStart;
import io.syncnode.worker.api.Messages.ManifestDeletes;
import io.syncnode.worker.api.Messages.MerkleQuery;
import io.syncnode.worker.api.Messages.PushBatch;
import io.syncnode.worker.api.Messages.RegisterDevice;
import io.syncnode.worker.api.Messages;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.List;

/**
 * Binds a worker's contract to its addresses: one local consumer per operation, each answering
 * with the operation's outcome (see {@link Replies}). The clients in {@code worker.api} send the
 * same messages to the same addresses.
 */
final class Bindings {
  private Bindings() {}

  static <E extends SyncEntity> List<MessageConsumer<?>> entity(EventBus bus, EntityAddresses at,
      EntityWorkerApi<E> worker) {
    return List.of(
        bus.<PushBatch<E>>localConsumer(at.push(), m -> Replies.reply(m, worker.push(m.body()))),
        bus.<FeedPositionsQuery>localConsumer(at.feedPositions(), m -> Replies.reply(m,
            worker.feedPositions(m.body().query(), m.body().limit(), m.body().withAbove()))),
        bus.<Messages.FeedRowsQuery>localConsumer(at.feedRows(), m -> Replies.reply(m,
            worker.feedRows(m.body().query(), m.body().atMost()))),
        bus.<Messages.FeedJsonQuery>localConsumer(at.feedJson(), m -> Replies.reply(m,
            worker.feedJson(m.body().query(), m.body().rowsExpected()))),
        bus.<FeedQuery>localConsumer(at.feedEntries(), m -> Replies.reply(m, worker.feedEntries(m.body()))),
        bus.<CountAfter>localConsumer(at.countAfter(), m -> Replies.reply(m,
            worker.countAfter(m.body().tenant(), m.body().position(), m.body().deviceId()))),
        bus.<DiffQuery>localConsumer(at.diff(), m -> Replies.reply(m, worker.diff(m.body()))),
        bus.<ManifestDeletes>localConsumer(at.manifestDeletes(), m -> Replies.reply(m, worker.manifestDeletes(m.body()))),
        bus.<MerkleQuery>localConsumer(at.merkle(), m -> Replies.reply(m, worker.merkle(m.body()))),
        bus.<MerkleQuery>localConsumer(at.merkleEntries(), m -> Replies.reply(m, worker.merkleEntries(m.body()))));
  }

  static List<MessageConsumer<?>> devices(EventBus bus, DeviceApi worker) {
    return List.of(
        bus.<RegisterDevice>localConsumer(Addresses.DEVICE_REGISTER, m -> Replies.reply(m,
            worker.register(m.body().tenant(), m.body().registration()))),
        bus.<FindDevice>localConsumer(Addresses.DEVICE_FIND, m -> Replies.reply(m,
            worker.find(m.body().tenant(), m.body().deviceId()))),
        bus.<DeviceActivity>localConsumer(Addresses.DEVICE_RECORD, m -> Replies.reply(m, worker.record(m.body()))),
        bus.<FindPullStart>localConsumer(Addresses.DEVICE_PULL_START, m -> Replies.reply(m,
            worker.pullStart(m.body().tenant(), m.body().deviceId(), m.body().since()))),
        bus.localConsumer(Addresses.FEED_WATERMARK, m -> Replies.reply(m, worker.watermark())),
        // answered with the schema check's outcome, or failed with why the database cannot be reached
        bus.localConsumer(Addresses.READINESS, m -> worker.readiness()
            .onComplete(m::reply, error -> m.fail(Replies.UNAVAILABLE, error.getMessage()))));
  }

  static List<MessageConsumer<?>> keys(EventBus bus, KeyApi worker) {
    return List.of(
        bus.<String>localConsumer(Addresses.KEY_FIND, m -> Replies.reply(m, worker.find(m.body()))),
        bus.<String>localConsumer(Addresses.ENCRYPTION_SALT, m -> Replies.reply(m, worker.encryptionSalt(m.body()))));
  }
}
