package io.syncnode.http;

import io.syncnode.http.common.JsonAnswers;
import io.syncnode.http.common.Tenancy;
import io.syncnode.protocol.Requests;
import io.syncnode.protocol.json.ResponseWriter;
import io.syncnode.worker.api.Workers;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/** POST /api/sync/register: creates or updates a device. */
final class RegisterHandler implements Handler<RoutingContext> {
  private final Workers workers;

  RegisterHandler(Workers workers) {
    this.workers = workers;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Requests.Register registration = JsonBodies.parsed(ctx);
    Tenancy.assignDevice(ctx, registration.deviceId());
    JsonAnswers.respond(ctx, workers.devices().register(Tenancy.of(ctx), registration)
        .map(state -> ResponseWriter.deviceInfo(state.info())));
  }
}
