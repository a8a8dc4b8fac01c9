package io.syncnode.worker.api;

import io.syncnode.protocol.Requests;
import io.syncnode.worker.api.Messages.DeviceActivity;
import io.syncnode.worker.api.Messages.PulledUpTo;
import io.vertx.core.Future;
import java.time.Instant;

/** What the device worker does: devices, their sync state, and the change feed's watermark. */
public interface DeviceApi {
  Future<DeviceState> register(String tenant, Requests.Register registration);

  /** The device, or null if it never registered. */
  Future<DeviceState> find(String tenant, String deviceId);

  /** Records what a device did; a push is answered with the feed time the device has pulled up to. */
  Future<PulledUpTo> record(DeviceActivity activity);

  /** Where a pull by time of the device, since {@code since}, may start reading the feed. */
  Future<PullStart> pullStart(String tenant, String deviceId, Instant since);

  /** The feed's current safe end. */
  Future<FeedMark> watermark();

  /**
   * Whether the primary answers and its schema is at this node's version, and the state of the
   * replicas; fails, saying why, when the primary cannot be reached.
   */
  Future<DatabaseReport> readiness();
}
