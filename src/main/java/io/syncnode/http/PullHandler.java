package io.syncnode.http;

import io.syncnode.metrics.SyncMeters;
import io.syncnode.protocol.EntityType;
import io.syncnode.protocol.FeedCursor;
import io.syncnode.protocol.Requests;
import io.syncnode.protocol.json.EntityWriter;
import io.syncnode.store.FeedQuery;
import io.syncnode.store.FeedWatermark;
import io.syncnode.worker.Addresses;
import io.syncnode.worker.Messages.Chunk;
import io.syncnode.worker.Messages.DeviceActivity;
import io.syncnode.worker.Messages.FeedPositions;
import io.syncnode.worker.Messages.FeedPositionsQuery;
import io.syncnode.worker.Messages.FindPullPosition;
import io.syncnode.worker.Messages.WatermarkQuery;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.util.Arrays;

/**
 * POST /api/sync/pull: one page of the change feed, memories, sessions and edges taken together
 * in the server's order of changes.
 *
 * <p>The page is cut in two steps: each worker lists the positions of its next changes (cheap, from
 * an index), the handler finds the position where the page of {@code limit} ends, and each worker
 * then reads its rows up to that position. {@code next_offset} and {@code cursor} are that
 * position, so the next page starts exactly after it. The rows are written to the response as
 * they are read, a chunk at a time.
 */
final class PullHandler implements Handler<RoutingContext> {
  private static final EntityType[] ORDER = {EntityType.MEMORY, EntityType.SESSION, EntityType.EDGE};

  private final WorkerClient workers;
  private final SyncMeters meters;

  PullHandler(WorkerClient workers, SyncMeters meters) {
    this.workers = workers;
    this.meters = meters;
  }

  /** Where the page ends and what its response says besides the entities. */
  private record Page(FeedQuery rows, long[][] positionsByType, boolean hasMore, long end, long cursor,
      FeedWatermark.Mark mark) {
    /**
     * The window one type's rows are read from: it starts just before the type's first position in
     * the page rather than at the page's start, so that the rows a filter skipped (other
     * namespaces) are not scanned a second time. Nothing new can appear below the watermark.
     */
    FeedQuery rowsOf(int type) {
      long[] positions = positionsByType[type];
      long after = positions.length > 0 ? Math.max(rows.after(), positions[0] - 1) : rows.after();
      return rows.between(after, rows.bound());
    }
  }

  @Override
  public void handle(RoutingContext ctx) {
    Requests.Pull pull = JsonBodies.parsed(ctx);
    Tenancy.assignDevice(ctx, pull.deviceId());
    String tenant = Tenancy.of(ctx);
    Future<FeedWatermark.Mark> watermark = workers.request(Addresses.FEED_WATERMARK, new WatermarkQuery());
    Future<Long> pulledUpTo = pull.byTime()
        ? workers.request(Addresses.DEVICE_PULL_POSITION, new FindPullPosition(tenant, pull.deviceId()))
        : Future.succeededFuture(null);
    Future.all(watermark, pulledUpTo)
        .compose(both -> cut(tenant, pull, watermark.result(), pulledUpTo.result()))
        .compose(page -> workers.request(Addresses.DEVICE_RECORD,
                DeviceActivity.pull(tenant, pull.deviceId(), page.cursor(), page.mark().time()))
            .map(page))
        .compose(page -> write(ctx, page))
        .onFailure(error -> ErrorResponder.send(ctx, ErrorResponder.toApiError(error, 500)));
  }

  /** {@code pulledUpTo}: for a pull by time, the position the device has pulled up to; else null. */
  private Future<Page> cut(String tenant, Requests.Pull pull, FeedWatermark.Mark mark, Long pulledUpTo) {
    FeedQuery window = pulledUpTo == null
        ? new FeedQuery(tenant, pull.after(), mark.positionBound(), pull.sinceFilter(), pull.namespaceIds())
        : new FeedQuery(tenant, pull.after(), mark.positionBound(), pull.sinceFilter(), pull.namespaceIds(),
            pull.deviceId(), pulledUpTo);
    FeedPositionsQuery next = new FeedPositionsQuery(window, pull.limit() + 1);
    Future<FeedPositions> memories = workers.request(Addresses.MEMORIES.feedPositions(), next);
    Future<FeedPositions> sessions = workers.request(Addresses.SESSIONS.feedPositions(), next);
    Future<FeedPositions> edges = workers.request(Addresses.EDGES.feedPositions(), next);
    return Future.all(memories, sessions, edges).map(done -> {
      long[][] byType = {
          memories.result().positions(), sessions.result().positions(), edges.result().positions()};
      long[] all = merge(byType);
      boolean hasMore = all.length > pull.limit();
      meters.pullPage(hasMore ? pull.limit() : all.length);
      long end = hasMore ? all[pull.limit() - 1] : all.length > 0 ? all[all.length - 1] : pull.after();
      // Once the feed is drained, everything below the watermark has been served.
      long cursor = hasMore ? end : Math.max(end, mark.positionBound() - 1);
      FeedQuery rows = window.between(pull.after(), end);
      return new Page(rows, byType, hasMore, end, cursor, mark);
    });
  }

  private Future<Void> write(RoutingContext ctx, Page page) {
    StreamingJson out = new StreamingJson(ctx.response());
    Future<Void> written = out.write(g -> {
      g.writeStartObject();
      g.writeBooleanField("success", true);
    });
    for (int t = 0; t < ORDER.length; t++) {
      EntityType type = ORDER[t];
      long[] positions = page.positionsByType()[t];
      boolean any = positions.length > 0 && positions[0] <= page.end();
      FeedQuery rows = page.rowsOf(t);
      written = written.compose(v -> entities(out, type, any, rows));
    }
    return written
        .compose(v -> out.write(g -> {
          EntityWriter.time(g, "server_timestamp", serverTimestamp(page));
          g.writeBooleanField("has_more", page.hasMore());
          g.writeNullField("next_cursor");
          g.writeNumberField("next_offset", page.end());
          g.writeStringField("cursor", FeedCursor.encode(page.cursor()));
          g.writeEndObject();
        }))
        .compose(v -> out.end());
  }

  /**
   * The time the client resumes from: the watermark's, which may lie before the pull's own
   * {@code since_timestamp} when a transaction somewhere is open. A pull by time answers the later of
   * the two, so that the next pull does not serve the device's own writes of that interval again: the
   * changes of other devices in it are served by position (see {@link Requests.Pull#byTime()}).
   */
  private static java.time.Instant serverTimestamp(Page page) {
    java.time.Instant since = page.rows().device() != null ? page.rows().since() : null;
    return since != null && since.isAfter(page.mark().time()) ? since : page.mark().time();
  }

  /** Writes one type's array, streaming its rows from the worker, already as JSON, when the page has any. */
  private Future<Void> entities(StreamingJson out, EntityType type, boolean any, FeedQuery rows) {
    Future<Void> opened = out.write(g -> g.writeArrayFieldStart(type.plural()));
    Future<Void> items = !any ? opened : opened.compose(v -> ChunkReader.<Buffer>each(workers,
        workers.<Chunk<Buffer>>request(Addresses.of(type).feedJson(), rows),
        chunk -> out.send(chunk.get(0))));
    return items.compose(v -> out.write(g -> g.writeEndArray()));
  }

  private static long[] merge(long[][] lists) {
    int size = 0;
    for (long[] list : lists) {
      size += list.length;
    }
    long[] all = new long[size];
    int at = 0;
    for (long[] list : lists) {
      System.arraycopy(list, 0, all, at, list.length);
      at += list.length;
    }
    Arrays.sort(all);
    return all;
  }
}
