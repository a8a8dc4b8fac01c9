package io.syncnode.http;

import io.syncnode.protocol.Edge;
import io.syncnode.protocol.EntityType;
import io.syncnode.protocol.Memory;
import io.syncnode.protocol.Requests;
import io.syncnode.protocol.Responses;
import io.syncnode.protocol.Responses.ConflictInfo;
import io.syncnode.protocol.Responses.PushedItem;
import io.syncnode.protocol.Responses.TypeCounts;
import io.syncnode.protocol.Session;
import io.syncnode.protocol.SyncEntity;
import io.syncnode.protocol.json.RequestReader;
import io.syncnode.protocol.json.ResponseWriter;
import io.syncnode.resolve.BatchResolution;
import io.syncnode.worker.Addresses;
import io.syncnode.worker.Messages.DeviceActivity;
import io.syncnode.worker.Messages.PulledUpTo;
import io.syncnode.worker.Messages.PushBatch;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * POST /api/sync/push: each entity type's batch goes to its worker (one transaction each), the
 * device's push is recorded, and the outcomes are merged into one response.
 */
final class PushHandler implements Handler<RoutingContext> {
  private static final int SUMMARY_CHARS = 80;

  private final RequestReader reader;
  private final WorkerClient workers;

  PushHandler(RequestReader reader, WorkerClient workers) {
    this.reader = reader;
    this.workers = workers;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Requests.Push push = reader.push(JsonBodies.body(ctx));
    Tenancy.assignDevice(ctx, push.deviceId());
    String tenant = Tenancy.of(ctx);
    Future<BatchResolution<Memory>> memories = batch(tenant, push, EntityType.MEMORY, push.memories());
    Future<BatchResolution<Session>> sessions = batch(tenant, push, EntityType.SESSION, push.sessions());
    Future<BatchResolution<Edge>> edges = batch(tenant, push, EntityType.EDGE, push.edges());
    // Recorded once the batches are stored, so that a refused push leaves no trace.
    Future<PulledUpTo> recorded = Future.all(memories, sessions, edges).compose(stored ->
        workers.request(Addresses.DEVICE_RECORD, DeviceActivity.push(tenant, push.deviceId())));
    JsonBodies.respond(ctx, recorded.map(done -> {
      List<ConflictInfo> conflicts = new ArrayList<>();
      conflicts.addAll(memories.result().conflicts());
      conflicts.addAll(sessions.result().conflicts());
      conflicts.addAll(edges.result().conflicts());
      Instant pulledUpTo = recorded.result().time();
      return ResponseWriter.push(new Responses.Push(
          counts(memories.result()), counts(sessions.result()), counts(edges.result()), conflicts,
          pushedItems(memories.result().acceptedEntities()),
          pulledUpTo != null ? pulledUpTo : Instant.EPOCH));
    }));
  }

  private <E extends SyncEntity> Future<BatchResolution<E>> batch(
      String tenant, Requests.Push push, EntityType type, List<E> entities) {
    if (entities.isEmpty()) {
      return Future.succeededFuture(new BatchResolution<>(0, 0, List.of(), List.of(), List.of()));
    }
    return workers.request(Addresses.of(type).push(),
        new PushBatch<>(tenant, push.deviceId(), push.force(), entities));
  }

  private static TypeCounts counts(BatchResolution<?> resolution) {
    return new TypeCounts(resolution.accepted(), resolution.rejected());
  }

  /** What newer clients list of each accepted memory: its summary, or the start of its content. */
  private static List<PushedItem> pushedItems(List<Memory> accepted) {
    List<PushedItem> items = new ArrayList<>(accepted.size());
    for (Memory m : accepted) {
      String summary = m.summary();
      if (summary == null) {
        String content = m.content();
        summary = content.length() > SUMMARY_CHARS ? content.substring(0, SUMMARY_CHARS) + "..." : content;
      }
      items.add(new PushedItem(m.id(), m.type(), summary, m.namespaceId()));
    }
    return items;
  }
}
