package io.syncnode.worker;

import io.syncnode.store.DeviceStore;
import io.syncnode.store.FeedWatermark;
import io.syncnode.store.Readiness;
import io.syncnode.worker.Messages.DeviceActivity;
import io.syncnode.worker.Messages.FindDevice;
import io.syncnode.worker.Messages.PulledUpTo;
import io.syncnode.worker.Messages.RegisterDevice;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.List;

/** The actor that owns devices and their sync state, and reads the change feed's watermark. */
public final class DeviceWorker extends VerticleBase {
  private final DeviceStore devices;
  private final FeedWatermark watermark;
  private final Readiness readiness;
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();

  public DeviceWorker(DeviceStore devices, FeedWatermark watermark, Readiness readiness) {
    this.devices = devices;
    this.watermark = watermark;
    this.readiness = readiness;
  }

  @Override
  public Future<?> start() {
    EventBus bus = vertx.eventBus();
    consumers.add(bus.<RegisterDevice>localConsumer(Addresses.DEVICE_REGISTER, message ->
        Replies.reply(message, devices.register(message.body().tenant(), message.body().registration()))));
    consumers.add(bus.<FindDevice>localConsumer(Addresses.DEVICE_FIND, message ->
        Replies.reply(message, devices.find(message.body().tenant(), message.body().deviceId()))));
    consumers.add(bus.<DeviceActivity>localConsumer(Addresses.DEVICE_RECORD, message ->
        Replies.reply(message, record(message.body()))));
    consumers.add(bus.<Messages.FindPullPosition>localConsumer(Addresses.DEVICE_PULL_POSITION, message ->
        Replies.reply(message, devices.pullPosition(message.body().tenant(), message.body().deviceId()))));
    consumers.add(bus.localConsumer(Addresses.FEED_WATERMARK, message ->
        Replies.reply(message, watermark.current())));
    // answered with the schema check's outcome, or failed when the database cannot be reached
    consumers.add(bus.localConsumer(Addresses.READINESS, message ->
        readiness.check().onComplete(message::reply, error -> message.fail(503, error.getMessage()))));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
  }

  /** Records the activity (a push also answers the feed time the device has pulled up to, see DeviceStore). */
  private Future<PulledUpTo> record(DeviceActivity activity) {
    return switch (activity.kind()) {
      case PUSH -> devices.recordPush(activity.tenant(), activity.deviceId()).map(PulledUpTo::new);
      case DIFF -> devices.recordDiff(activity.tenant(), activity.deviceId()).map(v -> new PulledUpTo(null));
      case PULL -> devices.recordPull(activity.tenant(), activity.deviceId(), activity.pullPosition(),
          activity.serverTimestamp()).map(v -> new PulledUpTo(null));
    };
  }

  @Override
  public Future<?> stop() {
    return Future.all(consumers.stream().map(MessageConsumer::unregister).toList());
  }
}
