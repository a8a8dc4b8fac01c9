package io.syncnode.http;

import io.syncnode.protocol.Requests;
import io.syncnode.protocol.json.ResponseWriter;
import io.syncnode.worker.api.DeviceState;
import io.syncnode.worker.api.Addresses;
import io.syncnode.worker.api.Messages.RegisterDevice;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/** POST /api/sync/register: creates or updates a device. */
final class RegisterHandler implements Handler<RoutingContext> {
  private final WorkerClient workers;

  RegisterHandler(WorkerClient workers) {
    this.workers = workers;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Requests.Register registration = JsonBodies.parsed(ctx);
    Tenancy.assignDevice(ctx, registration.deviceId());
    JsonBodies.respond(ctx, workers.<DeviceState>request(Addresses.DEVICE_REGISTER,
            new RegisterDevice(Tenancy.of(ctx), registration))
        .map(state -> ResponseWriter.deviceInfo(state.info())));
  }
}
