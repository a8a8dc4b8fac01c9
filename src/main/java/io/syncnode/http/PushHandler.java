package io.syncnode.http;

import io.syncnode.metrics.SyncMeters;
import io.syncnode.protocol.Edge;
import io.syncnode.protocol.EntityType;
import io.syncnode.protocol.Memory;
import io.syncnode.protocol.Requests;
import io.syncnode.protocol.Responses;
import io.syncnode.protocol.Responses.ConflictInfo;
import io.syncnode.protocol.Responses.PushedItem;
import io.syncnode.protocol.Responses.TypeCounts;
import io.syncnode.protocol.Session;
import io.syncnode.protocol.Timestamps;
import io.syncnode.protocol.SyncEntity;
import io.syncnode.protocol.json.RequestReader;
import io.syncnode.protocol.json.ResponseWriter;
import io.syncnode.resolve.BatchResolution;
import io.syncnode.worker.Addresses;
import io.syncnode.worker.Messages.DeviceActivity;
import io.syncnode.worker.Messages.PulledUpTo;
import io.syncnode.worker.Messages.PushBatch;
import io.syncnode.worker.Messages.PushOutcome;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * POST /api/sync/push: each entity type's batch goes to its worker (one transaction each, the
 * first of which also records the device's push), and the outcomes are merged into one response.
 */
final class PushHandler implements Handler<RoutingContext> {
  private static final int SUMMARY_CHARS = 80;

  private final RequestReader reader;
  private final WorkerClient workers;
  private final SyncMeters meters;

  PushHandler(RequestReader reader, WorkerClient workers, SyncMeters meters) {
    this.reader = reader;
    this.workers = workers;
    this.meters = meters;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Requests.Push push = reader.push(JsonBodies.body(ctx));
    Tenancy.assignDevice(ctx, push.deviceId());
    String tenant = Tenancy.of(ctx);
    // The first type with entities records the device's push in its own transaction; a push of
    // nothing records it on its own, after.
    EntityType recorder = !push.memories().isEmpty() ? EntityType.MEMORY
        : !push.sessions().isEmpty() ? EntityType.SESSION
        : !push.edges().isEmpty() ? EntityType.EDGE
        : null;
    Future<PushOutcome<Memory>> memories = batch(tenant, push, EntityType.MEMORY, push.memories(), recorder);
    Future<PushOutcome<Session>> sessions = batch(tenant, push, EntityType.SESSION, push.sessions(), recorder);
    Future<PushOutcome<Edge>> edges = batch(tenant, push, EntityType.EDGE, push.edges(), recorder);
    Future<Instant> pulledUpTo = Future.all(memories, sessions, edges).compose(stored -> {
      for (PushOutcome<?> outcome : List.of(memories.result(), sessions.result(), edges.result())) {
        if (outcome.recordedPush()) {
          return Future.succeededFuture(outcome.pulledUpTo());
        }
      }
      return workers.<PulledUpTo>request(Addresses.DEVICE_RECORD, DeviceActivity.push(tenant, push.deviceId()))
          .map(PulledUpTo::time);
    });
    JsonBodies.respond(ctx, pulledUpTo.map(time -> {
      List<ConflictInfo> conflicts = new ArrayList<>();
      conflicts.addAll(memories.result().resolution().conflicts());
      conflicts.addAll(sessions.result().resolution().conflicts());
      conflicts.addAll(edges.result().resolution().conflicts());
      return ResponseWriter.push(new Responses.Push(
          counts(memories.result().resolution()), counts(sessions.result().resolution()),
          counts(edges.result().resolution()), conflicts,
          pushedItems(memories.result().resolution().acceptedEntities()),
          // the time of the push, after its writes: see Requests.Pull#byTime for why this misses nothing
          Timestamps.now()));
    }));
  }

  private <E extends SyncEntity> Future<PushOutcome<E>> batch(
      String tenant, Requests.Push push, EntityType type, List<E> entities, EntityType recorder) {
    if (entities.isEmpty()) {
      return Future.succeededFuture(
          new PushOutcome<>(new BatchResolution<>(0, 0, List.of(), List.of(), List.of()), false, null));
    }
    return workers.<PushOutcome<E>>request(Addresses.of(type).push(),
            new PushBatch<>(tenant, push.deviceId(), push.force(), entities, type == recorder))
        .onSuccess(outcome -> meters.pushed(type, entities.size(), outcome.resolution()));
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
