package io.syncnode.worker.api;

import io.syncnode.protocol.Requests;
import io.syncnode.worker.api.Messages.DeviceActivity;
import io.syncnode.worker.api.Messages.FindDevice;
import io.syncnode.worker.api.Messages.FindPullStart;
import io.syncnode.worker.api.Messages.PulledUpTo;
import io.syncnode.worker.api.Messages.RegisterDevice;
import io.syncnode.worker.api.Messages.WatermarkQuery;
import io.vertx.core.Future;
import java.time.Instant;

/** The device worker, reached over the local event bus. */
final class DeviceClient implements DeviceApi {
  private final BusRequests bus;

  DeviceClient(BusRequests bus) {
    this.bus = bus;
  }

  @Override
  public Future<DeviceState> register(String tenant, Requests.Register registration) {
    return bus.request(Addresses.DEVICE_REGISTER, new RegisterDevice(tenant, registration));
  }

  @Override
  public Future<DeviceState> find(String tenant, String deviceId) {
    return bus.request(Addresses.DEVICE_FIND, new FindDevice(tenant, deviceId));
  }

  @Override
  public Future<PulledUpTo> record(DeviceActivity activity) {
    return bus.request(Addresses.DEVICE_RECORD, activity);
  }

  @Override
  public Future<PullStart> pullStart(String tenant, String deviceId, Instant since) {
    return bus.request(Addresses.DEVICE_PULL_START, new FindPullStart(tenant, deviceId, since));
  }

  @Override
  public Future<FeedMark> watermark() {
    return bus.request(Addresses.FEED_WATERMARK, new WatermarkQuery());
  }

  @Override
  public Future<DatabaseReport> readiness() {
    return bus.request(Addresses.READINESS, null);
  }
}
