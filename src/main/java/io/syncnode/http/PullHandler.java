package io.syncnode.http;

import io.syncnode.worker.api.Workers;
import io.syncnode.worker.api.FeedMark;

import io.syncnode.metrics.SyncMeters;
import io.syncnode.protocol.EntityType;
import io.syncnode.protocol.FeedCursor;
import io.syncnode.protocol.Requests;
import io.syncnode.protocol.json.EntityWriter;
import io.syncnode.worker.api.FeedQuery;
import io.syncnode.worker.api.Messages.DeviceActivity;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.syncnode.worker.api.FeedJson;
import io.vertx.ext.web.RoutingContext;
import java.util.Arrays;
import java.util.stream.LongStream;

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
  private static final long POSITIONS_PER_TRANSACTION = 1L << 20;
  /** Positions above the bound read per type: far more than writers commit while one holds the bound for long. */
  private static final int ABOVE_LIMIT = 100_000;

  private final Workers workers;
  private final SyncMeters meters;

  PullHandler(Workers workers, SyncMeters meters) {
    this.workers = workers;
    this.meters = meters;
  }

  /**
   * Where the page ends and what its response says besides the entities. {@code positionsByType}
   * hold the positions of the page's rows (and maybe one more), {@code rows} the window they are
   * read from, {@code served} the transactions the next cursor says were served above its position.
   */
  private record Page(FeedQuery rows, long[][] positionsByType, boolean hasMore, long end, long cursor,
      long[] served, FeedMark mark) {
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
    Future<FeedMark> watermark = workers.devices().watermark();
    Future<Long> pulledUpTo = pull.byTime()
        ? workers.devices().pullPosition(tenant, pull.deviceId())
        : Future.succeededFuture(null);
    Future.all(watermark, pulledUpTo)
        .compose(both -> cut(tenant, pull, watermark.result(), pulledUpTo.result()))
        .compose(page -> page.hasMore() ? Future.succeededFuture(page) : withRowsAbove(page))
        .compose(page -> workers.devices().record(DeviceActivity.pull(tenant, pull.deviceId(), page.cursor(), page.mark().time()))
            .map(page))
        .compose(page -> write(ctx, page))
        .onFailure(error -> ErrorResponder.send(ctx, ErrorResponder.toApiError(error, 500)));
  }

  /**
   * The page of the changes below the watermark's bound, {@code limit} of them at most.
   * {@code pulledUpTo}: for a pull by time, the position the device has pulled up to; else null.
   */
  private Future<Page> cut(String tenant, Requests.Pull pull, FeedMark mark, Long pulledUpTo) {
    long[] skip = pull.cursor() == null ? null : pull.served();
    FeedQuery window = new FeedQuery(tenant, pull.after(), mark.positionBound(), pull.sinceFilter(),
        pull.namespaceIds(), pulledUpTo == null ? null : pull.deviceId(), pulledUpTo == null ? 0 : pulledUpTo,
        skip, 0);
    return positions(window, pull.limit() + 1).map(byType -> {
      long[] all = merge(byType);
      boolean hasMore = all.length > pull.limit();
      meters.pullPage(hasMore ? pull.limit() : all.length);
      long end = hasMore ? all[pull.limit() - 1] : all.length > 0 ? all[all.length - 1] : pull.after();
      // Once the feed is drained, everything below the watermark has been served.
      long cursor = hasMore ? end : Math.max(end, mark.positionBound() - 1);
      FeedQuery rows = window.between(pull.after(), end);
      return new Page(rows, byType, hasMore, end, cursor,
          hasMore ? skip : servedAbove(skip, new long[0], mark.positionBound()), mark);
    });
  }

  /**
   * The last page of a pull also serves the rows above the bound that are stored already, so that a
   * pull hides no stored row: a row rewritten above the bound would otherwise be served by no pull
   * until the bound passes it. Each type's rows are read in one statement, below and above the bound
   * together, so a row rewritten while the page is read is found at its old or its new position. The
   * cursor still stands at the bound, and names the transactions whose rows it served above it
   * (committed ones, whose rows are all read), so that the next pull skips their rows instead of
   * sending them again (beyond {@link FeedCursor#MAX_SERVED} of them it names none: they may come
   * again). A late commit below them is not skipped: it is of another transaction.
   */
  private Future<Page> withRowsAbove(Page page) {
    FeedMark mark = page.mark();
    FeedQuery below = page.rows();
    long from = Math.max(below.after(), mark.positionBound() - 1);
    FeedQuery window = below.between(from, Long.MAX_VALUE);
    return positions(window, ABOVE_LIMIT).map(above -> {
      long[] all = merge(above);
      long[][] byType = new long[ORDER.length][];
      for (int t = 0; t < ORDER.length; t++) {
        // a type with a row in the page may have one above the bound by the time its rows are read
        byType[t] = page.positionsByType()[t].length > 0 || above[t].length > 0
            ? concat(page.positionsByType()[t], above[t]) : new long[0];
      }
      FeedQuery rows = below.skippingAndAbove(below.skip(), Math.max(from + 1, 1));
      return new Page(rows, byType, false, page.end(), page.cursor(), below.skip(), mark);
    });
  }

  /**
   * The transactions whose rows were served above the bound, by this pull and the ones before it
   * (those still above it); null if none, or too many to name.
   */
  private static long[] servedAbove(long[] before, long[] now, long bound) {
    long[] served = LongStream.concat(before == null ? LongStream.empty() : Arrays.stream(before), Arrays.stream(now))
        .filter(xid -> xid * POSITIONS_PER_TRANSACTION >= bound).distinct().sorted().toArray();
    return served.length == 0 || served.length > FeedCursor.MAX_SERVED ? null : served;
  }

  private Future<long[][]> positions(FeedQuery window, int limit) {
    Future<long[]> memories = workers.entities(EntityType.MEMORY).feedPositions(window, limit);
    Future<long[]> sessions = workers.entities(EntityType.SESSION).feedPositions(window, limit);
    Future<long[]> edges = workers.entities(EntityType.EDGE).feedPositions(window, limit);
    return Future.all(memories, sessions, edges).map(done -> new long[][] {
        memories.result(), sessions.result(), edges.result()});
  }

  private static long[] concat(long[] a, long[] b) {
    long[] both = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }

  private Future<Void> write(RoutingContext ctx, Page page) {
    StreamingJson out = new StreamingJson(ctx.response());
    LongStream.Builder above = LongStream.builder();
    Future<Void> written = out.write(g -> {
      g.writeStartObject();
      g.writeBooleanField("success", true);
    });
    for (int t = 0; t < ORDER.length; t++) {
      EntityType type = ORDER[t];
      long[] positions = page.positionsByType()[t];
      boolean any = positions.length > 0 && (positions[0] <= page.end() || page.rows().withAbove());
      FeedQuery rows = page.rowsOf(t);
      written = written.compose(v -> entities(out, type, any, rows, above));
    }
    return written
        .compose(v -> out.write(g -> {
          long[] servedNow = above.build().map(p -> p / POSITIONS_PER_TRANSACTION).distinct().toArray();
          long[] served = page.rows().withAbove()
              ? servedAbove(page.served(), servedNow, page.mark().positionBound()) : page.served();
          EntityWriter.time(g, "server_timestamp", serverTimestamp(page));
          g.writeBooleanField("has_more", page.hasMore());
          g.writeNullField("next_cursor");
          g.writeNumberField("next_offset", page.end());
          g.writeStringField("cursor", FeedCursor.encode(page.cursor(), served));
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

  /**
   * Writes one type's array, streaming its rows from the worker, already as JSON, when the page has
   * any; adds the positions of the rows written above the bound to {@code above}.
   */
  private Future<Void> entities(StreamingJson out, EntityType type, boolean any, FeedQuery rows, LongStream.Builder above) {
    Future<Void> opened = out.write(g -> g.writeArrayFieldStart(type.plural()));
    Future<Void> items = !any ? opened : opened.compose(v -> workers.<FeedJson>eachChunk(workers.entities(type).feedJson(rows),
        chunk -> {
          Arrays.stream(chunk.get(0).positionsAbove()).forEach(above::add);
          return out.send(chunk.get(0).json());
        }));
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
