package io.syncnode.worker;

import io.syncnode.protocol.Requests;
import io.syncnode.store.DeviceStore;
import io.syncnode.store.FeedWatermark;
import io.syncnode.store.Readiness;
import io.syncnode.worker.api.DatabaseReport;
import io.syncnode.worker.api.DeviceApi;
import io.syncnode.worker.api.DeviceState;
import io.syncnode.worker.api.FeedMark;
import io.syncnode.worker.api.Messages.DeviceActivity;
import io.syncnode.worker.api.Messages.PulledUpTo;
import io.syncnode.worker.api.PullStart;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import java.time.Instant;
import java.util.List;

/** The actor that owns devices and their sync state, and reads the change feed's watermark. */
public final class DeviceWorker extends VerticleBase implements DeviceApi {
  private final DeviceStore devices;
  private final FeedWatermark watermark;
  private final Readiness readiness;
  private List<MessageConsumer<?>> consumers = List.of();

  public DeviceWorker(DeviceStore devices, FeedWatermark watermark, Readiness readiness) {
    this.devices = devices;
    this.watermark = watermark;
    this.readiness = readiness;
  }

  @Override
  public Future<?> start() {
    consumers = Bindings.devices(vertx.eventBus(), this);
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
  }

  @Override
  public Future<DeviceState> register(String tenant, Requests.Register registration) {
    return devices.register(tenant, registration);
  }

  @Override
  public Future<DeviceState> find(String tenant, String deviceId) {
    return devices.find(tenant, deviceId);
  }

  /** Records the activity (a push also answers the feed time the device has pulled up to, see DeviceStore). */
  @Override
  public Future<PulledUpTo> record(DeviceActivity activity) {
    return switch (activity.kind()) {
      case PUSH -> devices.recordPush(activity.tenant(), activity.deviceId()).map(PulledUpTo::new);
      case DIFF -> devices.recordDiff(activity.tenant(), activity.deviceId()).map(v -> new PulledUpTo(null));
      case PULL -> devices.recordPull(activity.tenant(), activity.deviceId(), activity.pullPosition(),
          activity.serverTimestamp()).map(v -> new PulledUpTo(null));
    };
  }

  @Override
  public Future<PullStart> pullStart(String tenant, String deviceId, Instant since) {
    return devices.pullStart(tenant, deviceId, since);
  }

  @Override
  public Future<FeedMark> watermark() {
    return watermark.current();
  }

  @Override
  public Future<DatabaseReport> readiness() {
    return readiness.check();
  }

  @Override
  public Future<?> stop() {
    return Future.all(consumers.stream().map(MessageConsumer::unregister).toList());
  }
}
