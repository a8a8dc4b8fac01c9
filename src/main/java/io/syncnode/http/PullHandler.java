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
import io.syncnode.worker.api.FeedRows;
import io.syncnode.worker.api.Messages.Chunk;
import io.syncnode.worker.api.Messages.DeviceActivity;
import io.syncnode.worker.api.Workers;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;

/**
 * POST /api/sync/pull: one page of the change feed, memories, sessions and edges taken together
 * in the server's order of changes.
 *
 * <p>First the watermark (with the device's pull position for a pull by time), one database round
 * trip. Then, for a page of up to {@value #ONE_READ_LIMIT} (the contextfs client's size), each
 * worker reads its type's first {@code limit + 1} rows of the window, the types in parallel, and
 * the handler cuts the page where {@code limit} of them end; for a larger page, each worker first
 * lists the positions of its next changes (from an index), the handler cuts the page, and each
 * worker then reads its rows up to that position through a cursor. The device's pull is recorded
 * while the page is written, and the response ends once it is. {@code next_offset} and {@code
 * cursor} are the page's last position, so the next page starts exactly after it. The rows are
 * written to the response in type order as they arrive, a chunk at a time.
 */
final class PullHandler implements Handler<RoutingContext> {
  private static final long POSITIONS_PER_TRANSACTION = 1L << 20;
  /**
   * The largest page read in one statement per type, positions and rows together. Each type then
   * reads up to {@code limit + 1} rows of which only the page's are written, so larger pages
   * first look for their positions and read only the rows they serve.
   */
  static final int ONE_READ_LIMIT = 1_000;

  private final Workers workers;
  private final SyncMeters meters;

  PullHandler(Workers workers, SyncMeters meters) {
    this.workers = workers;
    this.meters = meters;
  }

  /**
   * Where the page ends and what its response says besides the entities. {@code window}: the
   * changes the pull asked for, below the watermark's bound; {@code served}: the transactions the
   * next cursor says were served above its position; {@code firstChunks}: each type's rows as JSON,
   * null for a type with none in the page.
   */
  private record Page(FeedQuery window, FeedCut cut, long[] served, FeedMark mark,
      PerType<Future<Chunk<FeedJson>>> firstChunks) {}

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
        .compose(both -> {
          FeedQuery window = window(tenant, pull, watermark.result(), start.result());
          return pull.limit() <= ONE_READ_LIMIT
              ? readThenCut(pull, window, watermark.result())
              : cutThenRead(pull, window, watermark.result());
        })
        .compose(page -> {
          Future<?> recorded = workers.devices()
              .record(DeviceActivity.pull(tenant, pull.deviceId(), page.cut().cursor(), page.mark().time()));
          return allOf(page.firstChunks())
              .recover(error -> cancel(page.firstChunks()).transform(cancelled -> Future.failedFuture(error)))
              .compose(ready -> write(ctx, page, recorded));
        })
        .onFailure(error -> ErrorResponder.send(ctx, ErrorResponder.toApiError(error, 500)));
  }

  /**
   * The changes the pull asks for below the watermark's bound. {@code start}: for a pull by time,
   * the device's position and the feed mark before its since; else null. The window starts at
   * {@link PullStart#scanAfter()} when that is later than the pull's offset: below it the pull's
   * filter matches nothing (the page itself still starts at the offset).
   */
  private static FeedQuery window(String tenant, Requests.Pull pull, FeedMark mark, PullStart start) {
    long[] skip = pull.cursor() == null ? null : pull.served();
    long scanAfter = start == null ? pull.after() : Math.max(pull.after(), start.scanAfter());
    return new FeedQuery(tenant, scanAfter, mark.positionBound(), pull.sinceFilter(),
        pull.namespaceIds(), start == null ? null : pull.deviceId(), start == null ? 0 : start.pulledUpTo(),
        skip, 0);
  }

  /**
   * A page of up to {@value #ONE_READ_LIMIT}: each type reads its first {@code limit + 1} rows
   * after the offset in one statement, and when it has no more below the bound, the rows stored
   * above it in the same snapshot. The page ends where {@code limit} of the positions below the
   * bound end; each type serves its rows up to there.
   *
   * <p>The last page (no more below the bound) also serves the rows above the bound, as {@link
   * #cutThenRead} explains. A type that found more of those than one read holds is read again
   * through a cursor, below and above the bound together.
   */
  private Future<Page> readThenCut(Requests.Pull pull, FeedQuery window, FeedMark mark) {
    FeedQuery withAbove = window.between(window.after(), mark.positionBound() - 1)
        .skippingAndAbove(window.skip(), aboveFrom(window));
    return PerType.all(type -> workers.entities(type).feedRows(withAbove, pull.limit() + 1)).map(read -> {
      long[] below = merge(PerType.of(type -> read.of(type).positionsBelow()));
      FeedCut cut = FeedCut.of(below, pull.limit(), pull.after(), mark.positionBound());
      meters.pullPage(cut.size(below, pull.limit()));
      PerType<Future<Chunk<FeedJson>>> chunks = PerType.of(type -> {
        FeedRows rows = read.of(type);
        if (!cut.hasMore() && !rows.complete()) {
          return workers.entities(type).feedJson(withAbove, Integer.MAX_VALUE);
        }
        FeedJson json = cut.hasMore() ? rows.upTo(cut.end()) : rows.all();
        return json == null ? null : Future.succeededFuture(Chunk.whole(List.of(json)));
      });
      return new Page(window, cut, window.skip(), mark, chunks);
    });
  }

  /**
   * A page larger than {@value #ONE_READ_LIMIT}: each type lists the positions of its next
   * {@code limit + 1} changes below the watermark's bound (and those above it), the page is cut
   * where {@code limit} of them end, and each type reads its rows up to there through a cursor.
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
  private Future<Page> cutThenRead(Requests.Pull pull, FeedQuery window, FeedMark mark) {
    return PerType.all(type -> workers.entities(type).feedPositions(window, pull.limit() + 1, true)).map(found -> {
      long[] all = merge(PerType.of(type -> found.of(type).inWindow()));
      FeedCut cut = FeedCut.of(all, pull.limit(), pull.after(), mark.positionBound());
      meters.pullPage(cut.size(all, pull.limit()));
      FeedQuery rows = window.between(pull.after(), cut.end());
      // a type with a row in the page may have one above the bound by the time its rows are read
      PerType<long[]> positions = cut.hasMore() ? PerType.of(type -> found.of(type).inWindow())
          : PerType.of(type -> concat(found.of(type).inWindow(), found.of(type).aboveBound()));
      FeedQuery read = cut.hasMore() ? rows : rows.skippingAndAbove(window.skip(), aboveFrom(window));
      PerType<Future<Chunk<FeedJson>>> chunks = PerType.of(type -> {
        int count = rowCount(positions.of(type), cut, read.withAbove());
        return count > 0 ? workers.entities(type).feedJson(rowsOf(read, positions.of(type)), count) : null;
      });
      return new Page(window, cut, window.skip(), mark, chunks);
    });
  }

  /** Where the rows above the bound start: at the bound, or after the pull's offset if that is higher. */
  private static long aboveFrom(FeedQuery window) {
    return Math.max(window.aboveBound().after() + 1, 1);
  }

  /**
   * The window one type's rows are read from: it starts just before the type's first position in
   * the page rather than at the page's start, so that the rows a filter skipped (other
   * namespaces) are not scanned a second time. Nothing new can appear below the watermark.
   */
  private static FeedQuery rowsOf(FeedQuery rows, long[] ofType) {
    long after = ofType.length > 0 ? Math.max(rows.after(), ofType[0] - 1) : rows.after();
    return rows.between(after, rows.bound());
  }

  /** How many of the type's rows the page holds: up to its end, and on the last page those above the bound. */
  private static int rowCount(long[] ofType, FeedCut cut, boolean withAbove) {
    int rows = 0;
    for (long position : ofType) {
      rows += position <= cut.end() || withAbove ? 1 : 0;
    }
    return rows;
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

  /**
   * Writes the page while the device's pull is being recorded ({@code recorded}), and ends it only
   * once it is: a page is never answered whole without its record. Should the record fail after
   * rows were sent, the response is reset rather than ended.
   */
  private Future<Void> write(RoutingContext ctx, Page page, Future<?> recorded) {
    StreamingJson out = new StreamingJson(ctx.response());
    LongStream.Builder above = LongStream.builder();
    Future<Void> written = out.write(g -> {
      g.writeStartObject();
      g.writeBooleanField("success", true);
    });
    for (EntityType type : EntityType.values()) {
      written = written.compose(v -> entities(out, type, page.firstChunks().of(type), above));
    }
    return written
        .compose(v -> recorded)
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
    Instant since = page.window().device() != null ? page.window().since() : null;
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
