package io.syncnode.http;

import io.syncnode.http.common.ErrorResponder;
import io.syncnode.http.common.PerType;
import io.syncnode.http.common.Tenancy;
import io.syncnode.metrics.SyncMeters;
import io.syncnode.protocol.EntityType;
import io.syncnode.protocol.FeedCursor;
import io.syncnode.protocol.FeedCut;
import io.syncnode.protocol.Requests;
import io.syncnode.protocol.json.EntityWriter;
import io.syncnode.worker.api.FeedJson;
import io.syncnode.worker.api.FeedMark;
import io.syncnode.worker.api.PullStart;
import io.syncnode.worker.api.FeedQuery;
import io.syncnode.worker.api.Messages.Chunk;
import io.syncnode.worker.api.Messages.DeviceActivity;
import io.syncnode.worker.api.Workers;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.Arrays;
import java.util.stream.LongStream;

/**
 * POST /api/sync/pull: one page of the change feed, memories, sessions and edges taken together
 * in the server's order of changes.
 *
 * <p>Three steps, each one database round trip, the types in parallel: the watermark (with the
 * device's pull position for a pull by time); each worker lists the positions of its next changes
 * (cheap, from an index), and the handler cuts the page where {@code limit} of them end; each
 * worker reads its rows up to that position while the device's pull is recorded. {@code
 * next_offset} and {@code cursor} are that position, so the next page starts exactly after it. The
 * rows are written to the response in type order as they arrive, a chunk at a time.
 */
final class PullHandler implements Handler<RoutingContext> {
  private static final long POSITIONS_PER_TRANSACTION = 1L << 20;

  private final Workers workers;
  private final SyncMeters meters;

  PullHandler(Workers workers, SyncMeters meters) {
    this.workers = workers;
    this.meters = meters;
  }

  /**
   * Where the page ends and what its response says besides the entities. {@code positions} hold
   * each type's positions of the page's rows (and maybe one more), {@code rows} the window they are
   * read from, {@code served} the transactions the next cursor says were served above its position.
   */
  private record Page(FeedQuery rows, PerType<long[]> positions, FeedCut cut, long[] served, FeedMark mark) {
    /**
     * The window one type's rows are read from: it starts just before the type's first position in
     * the page rather than at the page's start, so that the rows a filter skipped (other
     * namespaces) are not scanned a second time. Nothing new can appear below the watermark.
     */
    FeedQuery rowsOf(EntityType type) {
      long[] ofType = positions.of(type);
      long after = ofType.length > 0 ? Math.max(rows.after(), ofType[0] - 1) : rows.after();
      return rows.between(after, rows.bound());
    }

    /** How many of the type's rows the page holds: up to its end, and on the last page those above the bound. */
    int rowCount(EntityType type) {
      int rows = 0;
      for (long position : positions.of(type)) {
        rows += position <= cut.end() || this.rows.withAbove() ? 1 : 0;
      }
      return rows;
    }
  }

  @Override
  public void handle(RoutingContext ctx) {
    Requests.Pull pull = JsonBodies.parsed(ctx);
    Tenancy.assignDevice(ctx, pull.deviceId());
    String tenant = Tenancy.of(ctx);
    Future<FeedMark> watermark = workers.devices().watermark();
    Future<PullStart> start = pull.byTime()
        ? workers.devices().pullStart(tenant, pull.deviceId(), pull.sinceFilter())
        : Future.succeededFuture(null);
    Future.all(watermark, start)
        .compose(both -> cut(tenant, pull, watermark.result(), start.result()))
        .compose(page -> {
          PerType<Future<Chunk<FeedJson>>> firstChunks = PerType.of(type -> {
            int rows = page.rowCount(type);
            return rows > 0 ? workers.entities(type).feedJson(page.rowsOf(type), rows) : null;
          });
          Future<?> recorded = workers.devices()
              .record(DeviceActivity.pull(tenant, pull.deviceId(), page.cut().cursor(), page.mark().time()));
          return Future.all(recorded, allOf(firstChunks))
              .recover(error -> cancel(firstChunks).transform(cancelled -> Future.failedFuture(error)))
              .compose(ready -> write(ctx, page, firstChunks));
        })
        .onFailure(error -> ErrorResponder.send(ctx, ErrorResponder.toApiError(error, 500)));
  }

  /**
   * The page of the changes below the watermark's bound, {@code limit} of them at most.
   * {@code start}: for a pull by time, the device's position and the feed mark before its since; else
   * null. The positions are looked for only above {@link PullStart#scanAfter()}, where the pull's
   * filter can match (the page itself still starts at the pull's offset).
   *
   * <p>The last page of a pull also serves the rows above the bound that are stored already, so that a
   * pull hides no stored row: a row rewritten above the bound would otherwise be served by no pull
   * until the bound passes it. Each type's rows are read in one statement, below and above the bound
   * together, so a row rewritten while the page is read is found at its old or its new position. The
   * cursor still stands at the bound, and names the transactions whose rows it served above it
   * (committed ones, whose rows are all read), so that the next pull skips their rows instead of
   * sending them again (beyond {@link FeedCursor#MAX_SERVED} of them it names none: they may come
   * again). A late commit below them is not skipped: it is of another transaction.
   */
  private Future<Page> cut(String tenant, Requests.Pull pull, FeedMark mark, PullStart start) {
    long[] skip = pull.cursor() == null ? null : pull.served();
    long scanAfter = start == null ? pull.after() : Math.max(pull.after(), start.scanAfter());
    FeedQuery window = new FeedQuery(tenant, scanAfter, mark.positionBound(), pull.sinceFilter(),
        pull.namespaceIds(), start == null ? null : pull.deviceId(), start == null ? 0 : start.pulledUpTo(),
        skip, 0);
    return PerType.all(type -> workers.entities(type).feedPositions(window, pull.limit() + 1, true)).map(found -> {
      long[] all = merge(PerType.of(type -> found.of(type).inWindow()));
      FeedCut cut = FeedCut.of(all, pull.limit(), pull.after(), mark.positionBound());
      meters.pullPage(cut.size(all, pull.limit()));
      FeedQuery rows = window.between(pull.after(), cut.end());
      if (cut.hasMore()) {
        return new Page(rows, PerType.of(type -> found.of(type).inWindow()), cut, skip, mark);
      }
      // a type with a row in the page may have one above the bound by the time its rows are read
      PerType<long[]> withAbove = PerType.of(type -> concat(found.of(type).inWindow(), found.of(type).aboveBound()));
      long aboveFrom = Math.max(window.aboveBound().after() + 1, 1);
      return new Page(rows.skippingAndAbove(skip, aboveFrom), withAbove, cut, skip, mark);
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

  private Future<Void> write(RoutingContext ctx, Page page, PerType<Future<Chunk<FeedJson>>> firstChunks) {
    StreamingJson out = new StreamingJson(ctx.response());
    LongStream.Builder above = LongStream.builder();
    Future<Void> written = out.write(g -> {
      g.writeStartObject();
      g.writeBooleanField("success", true);
    });
    for (EntityType type : EntityType.values()) {
      written = written.compose(v -> entities(out, type, firstChunks.of(type), above));
    }
    return written
        .compose(v -> out.write(g -> {
          long[] servedNow = above.build().map(p -> p / POSITIONS_PER_TRANSACTION).distinct().toArray();
          long[] served = page.cut().hasMore() ? page.served()
              : servedAbove(page.served(), servedNow, page.mark().positionBound());
          EntityWriter.time(g, "server_timestamp", serverTimestamp(page));
          g.writeBooleanField("has_more", page.cut().hasMore());
          g.writeNullField("next_cursor");
          g.writeNumberField("next_offset", page.cut().end());
          g.writeStringField("cursor", FeedCursor.encode(page.cut().cursor(), served));
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
  private static Instant serverTimestamp(Page page) {
    Instant since = page.rows().device() != null ? page.rows().since() : null;
    return since != null && since.isAfter(page.mark().time()) ? since : page.mark().time();
  }

  /**
   * Writes one type's array, its rows streamed from the worker already as JSON, when the page has
   * any ({@code first} not null); adds the positions of the rows written above the bound to {@code above}.
   */
  private Future<Void> entities(StreamingJson out, EntityType type, Future<Chunk<FeedJson>> first,
      LongStream.Builder above) {
    Future<Void> opened = out.write(g -> g.writeArrayFieldStart(type.plural()));
    Future<Void> items = first == null ? opened : opened.compose(v -> workers.<FeedJson>eachChunk(first, chunk -> {
      Arrays.stream(chunk.get(0).positionsAbove()).forEach(above::add);
      return out.send(chunk.get(0).json());
    }));
    return items.compose(v -> out.write(g -> g.writeEndArray()));
  }

  private static Future<?> allOf(PerType<Future<Chunk<FeedJson>>> chunks) {
    return Future.all(Arrays.stream(EntityType.values()).map(chunks::of)
        .map(first -> first == null ? Future.succeededFuture() : first).toList());
  }

  private Future<?> cancel(PerType<Future<Chunk<FeedJson>>> chunks) {
    return Future.join(Arrays.stream(EntityType.values()).map(chunks::of)
        .map(first -> first == null ? Future.succeededFuture() : workers.cancel(first)).toList());
  }

  private static long[] concat(long[] a, long[] b) {
    if (b.length == 0) {
      return a;
    }
    long[] both = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }

  private static long[] merge(PerType<long[]> lists) {
    return Arrays.stream(EntityType.values()).map(lists::of).flatMapToLong(Arrays::stream).sorted().toArray();
  }
}
