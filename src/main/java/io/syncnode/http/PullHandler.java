package io.syncnode.http;

import io.syncnode.protocol.Edge;
import io.syncnode.protocol.EntityType;
import io.syncnode.protocol.Memory;
import io.syncnode.protocol.Requests;
import io.syncnode.protocol.Responses;
import io.syncnode.protocol.Session;
import io.syncnode.protocol.SyncEntity;
import io.syncnode.protocol.json.RequestReader;
import io.syncnode.protocol.json.ResponseWriter;
import io.syncnode.store.FeedQuery;
import io.syncnode.store.FeedWatermark;
import io.syncnode.worker.Addresses;
import io.syncnode.worker.Messages.DeviceActivity;
import io.syncnode.worker.Messages.Entities;
import io.syncnode.worker.Messages.FeedPositions;
import io.syncnode.worker.Messages.FeedPositionsQuery;
import io.syncnode.worker.Messages.WatermarkQuery;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Arrays;
import java.util.List;

/**
 * POST /api/sync/pull: one page of the change feed, memories, sessions and edges taken together
 * in the server's order of changes.
 *
 * <p>The page is cut in two steps: each worker lists the positions of its next changes (cheap, from
 * an index), the handler finds the position where the page of {@code limit} ends, and each worker
 * then reads its rows up to that position. {@code next_offset} is that position, so the next page
 * starts exactly after it.
 */
final class PullHandler implements Handler<RoutingContext> {
  private static final Entities<?> NOTHING = new Entities<>(List.of());

  private final RequestReader reader;
  private final WorkerClient workers;

  PullHandler(RequestReader reader, WorkerClient workers) {
    this.reader = reader;
    this.workers = workers;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Requests.Pull pull = reader.pull(JsonBodies.body(ctx));
    String tenant = Tenancy.of(ctx);
    JsonBodies.respond(ctx, workers.<FeedWatermark.Mark>request(Addresses.FEED_WATERMARK, new WatermarkQuery())
        .compose(mark -> page(tenant, pull, mark)));
  }

  private Future<byte[]> page(String tenant, Requests.Pull pull, FeedWatermark.Mark mark) {
    FeedQuery window = new FeedQuery(tenant, pull.after(), mark.positionBound(), pull.sinceFilter(),
        pull.namespaceIds());
    FeedPositionsQuery next = new FeedPositionsQuery(window, pull.limit() + 1);
    Future<FeedPositions> memories = workers.request(Addresses.MEMORIES.feedPositions(), next);
    Future<FeedPositions> sessions = workers.request(Addresses.SESSIONS.feedPositions(), next);
    Future<FeedPositions> edges = workers.request(Addresses.EDGES.feedPositions(), next);
    return Future.all(memories, sessions, edges).compose(done -> {
      long[] all = merge(memories.result(), sessions.result(), edges.result());
      boolean hasMore = all.length > pull.limit();
      long end = hasMore ? all[pull.limit() - 1] : all.length > 0 ? all[all.length - 1] : pull.after();
      FeedQuery page = new FeedQuery(tenant, pull.after(), end, pull.sinceFilter(), pull.namespaceIds());
      Future<Entities<Memory>> memoryRows = rows(EntityType.MEMORY, memories.result(), page);
      Future<Entities<Session>> sessionRows = rows(EntityType.SESSION, sessions.result(), page);
      Future<Entities<Edge>> edgeRows = rows(EntityType.EDGE, edges.result(), page);
      // Once the feed is drained, everything below the watermark has been served.
      long pulledUpTo = hasMore ? end : Math.max(end, mark.positionBound() - 1);
      Future<Object> recorded = workers.request(Addresses.DEVICE_RECORD,
          DeviceActivity.pull(tenant, pull.deviceId(), pulledUpTo, mark.time()));
      return Future.all(memoryRows, sessionRows, edgeRows, recorded).map(rows -> ResponseWriter.pull(
          new Responses.Pull(memoryRows.result().entities(), sessionRows.result().entities(),
              edgeRows.result().entities(), mark.time(), hasMore, end, pulledUpTo)));
    });
  }

  @SuppressWarnings("unchecked")
  private <E extends SyncEntity> Future<Entities<E>> rows(EntityType type, FeedPositions positions, FeedQuery page) {
    if (positions.positions().length == 0 || positions.positions()[0] > page.bound()) {
      return Future.succeededFuture((Entities<E>) NOTHING);
    }
    return workers.request(Addresses.of(type).feedRows(), page);
  }

  private static long[] merge(FeedPositions... lists) {
    int size = 0;
    for (FeedPositions list : lists) {
      size += list.positions().length;
    }
    long[] all = new long[size];
    int at = 0;
    for (FeedPositions list : lists) {
      System.arraycopy(list.positions(), 0, all, at, list.positions().length);
      at += list.positions().length;
    }
    Arrays.sort(all);
    return all;
  }
}
