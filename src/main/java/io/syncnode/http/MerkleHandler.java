package io.syncnode.http;

import io.syncnode.http.common.ErrorResponder;
import io.syncnode.http.common.PerType;
import io.syncnode.http.common.Tenancy;
import io.syncnode.protocol.EntityType;
import io.syncnode.protocol.Requests;
import io.syncnode.protocol.Timestamps;
import io.syncnode.protocol.json.EntityWriter;
import io.syncnode.worker.api.MerkleEntry;
import io.syncnode.worker.api.MerkleSummary;
import io.syncnode.worker.api.Messages.MerkleQuery;
import io.syncnode.worker.api.Workers;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * POST /api/sync/merkle (syncnode's extension): per entity type, the hashes of 256 buckets of
 * (id, content_hash, deleted), so that a large store compares itself with the server bucket by
 * bucket; with {@code buckets}, the entries of just those buckets. See {@link MerkleSummary} for
 * the hash.
 */
final class MerkleHandler implements Handler<RoutingContext> {
  private final Workers workers;

  MerkleHandler(Workers workers) {
    this.workers = workers;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Requests.Merkle merkle = JsonBodies.parsed(ctx);
    Tenancy.assignDevice(ctx, merkle.deviceId());
    MerkleQuery query = new MerkleQuery(Tenancy.of(ctx), merkle.namespaceIds(), merkle.buckets());
    PerType.all(type -> workers.entities(type).merkle(query))
        .compose(summaries -> write(ctx, query, summaries))
        .onFailure(error -> ErrorResponder.send(ctx, ErrorResponder.toApiError(error, 500)));
  }

  private Future<Void> write(RoutingContext ctx, MerkleQuery query, PerType<MerkleSummary> summaries) {
    StreamingJson out = new StreamingJson(ctx.response());
    Future<Void> written = out.write(g -> {
      g.writeStartObject();
      g.writeBooleanField("success", true);
      g.writeStringField("bucket_of", "first byte of sha256(utf8(id))");
      g.writeStringField("bucket_hash", "hex sha256 of the lines 'id\\ncontent_hash\\ndeleted(0|1)\\n' of the bucket,"
          + " in byte order of the id");
      for (EntityType type : EntityType.values()) {
        g.writeObjectFieldStart(type.plural());
        g.writeNumberField("count", summaries.of(type).count());
        g.writeArrayFieldStart("buckets");
        for (String hash : summaries.of(type).bucketHashes()) {
          g.writeString(hash);
        }
        g.writeEndArray();
        g.writeEndObject();
      }
    });
    if (query.buckets() != null) {
      written = written.compose(v -> out.write(g -> g.writeObjectFieldStart("entries")));
      for (EntityType type : EntityType.values()) {
        written = written.compose(v -> entries(out, type, query));
      }
      written = written.compose(v -> out.write(g -> g.writeEndObject()));
    }
    return written
        .compose(v -> out.write(g -> {
          EntityWriter.time(g, "server_timestamp", Timestamps.now());
          g.writeEndObject();
        }))
        .compose(v -> out.end());
  }

  private Future<Void> entries(StreamingJson out, EntityType type, MerkleQuery query) {
    return out.write(g -> g.writeArrayFieldStart(type.plural()))
        .compose(v -> workers.<MerkleEntry>eachChunk(workers.entities(type).merkleEntries(query),
            entries -> out.write(g -> {
              for (MerkleEntry entry : entries) {
                g.writeStartObject();
                g.writeNumberField("bucket", entry.bucket());
                g.writeStringField("id", entry.id());
                g.writeStringField("content_hash", entry.contentHash());
                g.writeBooleanField("deleted", entry.deleted());
                g.writeEndObject();
              }
            }).compose(done -> out.flush())))
        .compose(v -> out.write(g -> g.writeEndArray()));
  }
}
