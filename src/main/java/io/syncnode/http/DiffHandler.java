package io.syncnode.http;

import io.syncnode.protocol.Edge;
import io.syncnode.protocol.Memory;
import io.syncnode.protocol.Requests;
import io.syncnode.protocol.Responses;
import io.syncnode.protocol.Session;
import io.syncnode.protocol.Timestamps;
import io.syncnode.protocol.json.RequestReader;
import io.syncnode.protocol.json.ResponseWriter;
import io.syncnode.store.DiffSlice;
import io.syncnode.worker.Addresses;
import io.syncnode.worker.Messages.DeviceActivity;
import io.syncnode.worker.Messages.DiffQuery;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/** POST /api/sync/diff: the client's manifest compared with the stored state, per entity type, in PostgreSQL. */
final class DiffHandler implements Handler<RoutingContext> {
  private final RequestReader reader;
  private final WorkerClient workers;

  DiffHandler(RequestReader reader, WorkerClient workers) {
    this.reader = reader;
    this.workers = workers;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Requests.Diff diff = reader.diff(JsonBodies.body(ctx));
    String tenant = Tenancy.of(ctx);
    Future<DiffSlice<Memory>> memories = workers.request(Addresses.MEMORIES.diff(),
        new DiffQuery(tenant, diff.memories(), diff.namespaceIds()));
    Future<DiffSlice<Session>> sessions = workers.request(Addresses.SESSIONS.diff(),
        new DiffQuery(tenant, diff.sessions(), diff.namespaceIds()));
    Future<DiffSlice<Edge>> edges = workers.request(Addresses.EDGES.diff(),
        new DiffQuery(tenant, diff.edges(), diff.namespaceIds()));
    Future<Object> recorded = workers.request(Addresses.DEVICE_RECORD, DeviceActivity.diff(tenant, diff.deviceId()));
    JsonBodies.respond(ctx, Future.all(memories, sessions, edges, recorded).map(done -> {
      DiffSlice<Memory> m = memories.result();
      DiffSlice<Session> s = sessions.result();
      DiffSlice<Edge> e = edges.result();
      return ResponseWriter.diff(new Responses.Diff(
          m.missing(), s.missing(), e.missing(),
          m.deletedIds(), s.deletedIds(), e.deletedIds(),
          m.serverMissingIds(), s.serverMissingIds(), e.serverMissingIds(),
          m.updated() + s.updated() + e.updated(), Timestamps.now()));
    }));
  }
}
