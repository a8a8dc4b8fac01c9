package io.syncnode.http;

import io.syncnode.http.common.ApiError;
import io.syncnode.http.common.JsonAnswers;
import io.syncnode.http.common.PerType;
import io.syncnode.http.common.Tenancy;
import io.syncnode.protocol.EntityType;
import io.syncnode.protocol.Requests;
import io.syncnode.protocol.Responses;
import io.syncnode.protocol.Timestamps;
import io.syncnode.protocol.json.ResponseWriter;
import io.syncnode.worker.api.Workers;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * POST /api/sync/status: a registered device's last sync and the changes of other devices it has
 * not pulled yet: memories in {@code pending_pull_count} (what the reference server counts), and
 * each type in {@code pending_pull_memories/sessions/edges}. A pull or a diff resets them.
 */
final class StatusHandler implements Handler<RoutingContext> {
  private final Workers workers;

  StatusHandler(Workers workers) {
    this.workers = workers;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Requests.Status status = JsonBodies.parsed(ctx);
    Tenancy.assignDevice(ctx, status.deviceId());
    String tenant = Tenancy.of(ctx);
    JsonAnswers.respond(ctx, workers.devices().find(tenant, status.deviceId())
        .compose(device -> {
          if (device == null) {
            return Future.failedFuture(new ApiError(404, "device_not_registered",
                "device " + status.deviceId() + " is not registered", "device_id"));
          }
          return PerType.all(type -> workers.entities(type).countAfter(tenant, device.pullPosition(), status.deviceId()))
              .map(pending -> ResponseWriter.status(new Responses.Status(status.deviceId(), device.info().lastSyncAt(),
                  pending.of(EntityType.MEMORY), pending.of(EntityType.SESSION), pending.of(EntityType.EDGE),
                  Timestamps.now())));
        }));
  }
}
