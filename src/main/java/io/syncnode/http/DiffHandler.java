package io.syncnode.http;

import io.syncnode.http.common.ErrorResponder;
import io.syncnode.http.common.PerType;
import io.syncnode.http.common.Tenancy;
import io.syncnode.metrics.SyncMeters;
import io.syncnode.protocol.EntityType;
import io.syncnode.protocol.Requests.ManifestEntry;
import io.syncnode.protocol.Requests;
import io.syncnode.protocol.SyncEntity;
import io.syncnode.protocol.Timestamps;
import io.syncnode.protocol.json.EntityWriter;
import io.syncnode.worker.api.AppliedDeletes;
import io.syncnode.worker.api.DiffRow;
import io.syncnode.worker.api.FeedMark;
import io.syncnode.worker.api.Messages.Chunk;
import io.syncnode.worker.api.Messages.DeviceActivity;
import io.syncnode.worker.api.Messages.DiffQuery;
import io.syncnode.worker.api.Messages.ManifestDeletes;
import io.syncnode.worker.api.Workers;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * POST /api/sync/diff: the client's manifest compared with the stored state, per entity type, in
 * PostgreSQL. Each type's differences are read by chunks and written to the response as they
 * come: the entities the client needs, then the ids to delete, then the ids the server lacks.
 */
final class DiffHandler implements Handler<RoutingContext> {
  private final Workers workers;
  private final SyncMeters meters;

  DiffHandler(Workers workers, SyncMeters meters) {
    this.workers = workers;
    this.meters = meters;
  }

  /** The totals of the response, counted while the differences stream by. */
  private static final class Totals {
    long missing;
    long updated;
    long deleted;
    long serverMissing;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Requests.Diff diff = JsonBodies.parsed(ctx);
    Tenancy.assignDevice(ctx, diff.deviceId());
    String tenant = Tenancy.of(ctx);
    // A diff of every namespace leaves the device with the latest version of every row below the
    // feed's safe bound (read before the diff, so its rows are all visible to it): once answered,
    // the device has pulled up to there.
    Future<FeedMark> watermark = diff.namespaceIds() == null
        ? workers.devices().watermark() : Future.succeededFuture(null);
    watermark.compose(mark -> workers.devices().record(DeviceActivity.diff(tenant, diff.deviceId())))
        .compose(recorded -> applyDeletes(tenant, diff))
        .compose(deletes -> {
          // The first type is asked for before anything is written, so that an unavailable
          // database is still answered with a clean 503.
          Future<Chunk<DiffRow<SyncEntity>>> memories = open(tenant, EntityType.MEMORY, diff);
          return memories.compose(first -> write(ctx, tenant, diff, memories, deletes));
        })
        .compose(written -> watermark.result() == null ? Future.succeededFuture()
            : workers.devices().record(DeviceActivity.pull(tenant, diff.deviceId(),
                watermark.result().positionBound() - 1, watermark.result().time())))
        .onFailure(error -> ErrorResponder.send(ctx, ErrorResponder.toApiError(error, 500)));
  }

  /**
   * The manifest's entries with {@code deleted_at} are the client's deletes (the newer contextfs
   * client has no other way to send them): each type's are applied as tombstones first, so that the
   * diff then reports nothing for them, or the stored version of those the device had not seen.
   */
  private Future<PerType<AppliedDeletes>> applyDeletes(String tenant, Requests.Diff diff) {
    return PerType.all(type -> {
      List<ManifestEntry> deleted = manifestOf(diff, type).stream().filter(e -> e.deletedAt() != null).toList();
      return deleted.isEmpty() ? Future.succeededFuture(AppliedDeletes.NONE)
          : workers.entities(type).manifestDeletes(new ManifestDeletes(tenant, diff.deviceId(), deleted))
              .onSuccess(outcome -> meters.manifestDeletes(type, outcome.applied().size(), outcome.refused().size()));
    });
  }

  private static List<ManifestEntry> manifestOf(Requests.Diff diff, EntityType type) {
    return switch (type) {
      case MEMORY -> diff.memories();
      case SESSION -> diff.sessions();
      case EDGE -> diff.edges();
    };
  }

  private Future<Chunk<DiffRow<SyncEntity>>> open(String tenant, EntityType type, Requests.Diff diff) {
    return workers.entities(type).diff(new DiffQuery(tenant, manifestOf(diff, type), diff.namespaceIds()));
  }

  private Future<Void> write(RoutingContext ctx, String tenant, Requests.Diff diff,
      Future<Chunk<DiffRow<SyncEntity>>> memories, PerType<AppliedDeletes> deletes) {
    StreamingJson out = new StreamingJson(ctx.response());
    Totals totals = new Totals();
    return out.write(g -> {
          g.writeStartObject();
          g.writeBooleanField("success", true);
        })
        .compose(v -> type(out, EntityType.MEMORY, memories, totals))
        .compose(v -> type(out, EntityType.SESSION, open(tenant, EntityType.SESSION, diff), totals))
        .compose(v -> type(out, EntityType.EDGE, open(tenant, EntityType.EDGE, diff), totals))
        .compose(v -> out.write(g -> {
          g.writeNumberField("total_missing", totals.missing);
          g.writeNumberField("total_updated", totals.updated);
          g.writeNumberField("total_deleted", totals.deleted);
          g.writeNumberField("total_server_missing", totals.serverMissing);
          EntityWriter.time(g, "server_timestamp", Timestamps.now());
          g.writeBooleanField("has_more", false);
          g.writeNumberField("next_offset", 0);
          // syncnode's extension: which manifest tombstones became tombstones here, and which were
          // refused because the device had not seen the stored version (sent back in missing_*)
          writeDeletes(g, "applied_deletes", deletes, AppliedDeletes::applied);
          writeDeletes(g, "refused_deletes", deletes, AppliedDeletes::refused);
          g.writeEndObject();
        }))
        .compose(v -> out.end())
        .onSuccess(v -> meters.diff(diff.memories().size() + diff.sessions().size() + diff.edges().size(),
            totals.missing + totals.deleted + totals.serverMissing));
  }

  private static void writeDeletes(com.fasterxml.jackson.core.JsonGenerator g, String field,
      PerType<AppliedDeletes> deletes, java.util.function.Function<AppliedDeletes, List<String>> ids)
      throws java.io.IOException {
    g.writeObjectFieldStart(field);
    for (EntityType type : EntityType.values()) {
      g.writeArrayFieldStart(type.singular() + "_ids");
      for (String id : ids.apply(deletes.of(type))) {
        g.writeString(id);
      }
      g.writeEndArray();
    }
    g.writeEndObject();
  }

  /**
   * Writes missing_{type}, deleted_{type}_ids and server_missing_{type}_ids from one type's
   * stream, whose rows come grouped in that order.
   */
  private Future<Void> type(StreamingJson out, EntityType type, Future<Chunk<DiffRow<SyncEntity>>> first,
      Totals totals) {
    String[] arrays = {"missing_" + type.plural(), "deleted_" + type.singular() + "_ids",
        "server_missing_" + type.singular() + "_ids"};
    int[] open = {0};
    return out.write(g -> g.writeArrayFieldStart(arrays[0]))
        .compose(v -> workers.eachChunk(first, rows -> out.write(g -> {
          for (DiffRow<SyncEntity> row : rows) {
            int group = switch (row.kind()) {
              case MISSING, UPDATED -> 0;
              case DELETED -> 1;
              case SERVER_MISSING -> 2;
            };
            while (open[0] < group) {
              g.writeEndArray();
              g.writeArrayFieldStart(arrays[++open[0]]);
            }
            switch (row.kind()) {
              case MISSING -> totals.missing++;
              case UPDATED -> {
                totals.missing++;
                totals.updated++;
              }
              case DELETED -> totals.deleted++;
              case SERVER_MISSING -> totals.serverMissing++;
            }
            if (group == 0) {
              EntityWriter.write(g, row.entity());
            } else {
              g.writeString(row.id());
            }
          }
        }).compose(written -> out.flush())))
        .compose(v -> out.write(g -> {
          g.writeEndArray();
          while (open[0] < 2) {
            g.writeArrayFieldStart(arrays[++open[0]]);
            g.writeEndArray();
          }
        }));
  }
}
