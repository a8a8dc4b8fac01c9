package io.syncnode.http;

import io.syncnode.config.NodeConfig.LiveConfig;
import io.syncnode.protocol.FeedCursor;
import io.syncnode.protocol.InvalidInputException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;

/**
 * GET /api/sync/events: server-sent events carrying every change of the caller's tenant. A client
 * resumes with {@code Last-Event-ID} (or {@code ?cursor=}, any pull cursor); without either the
 * stream starts now, at the feed's watermark.
 */
final class EventStreamHandler implements Handler<RoutingContext> {
  private final FeedPages feed;
  private final Supplier<LiveConfig> config;
  private final LiveCounters counters;

  /** {@code config} is read as each stream opens (a reloaded live.* applies to the streams opened after it). */
  EventStreamHandler(WorkerClient workers, Supplier<LiveConfig> config, LiveCounters counters) {
    this.feed = new FeedPages(workers);
    this.config = config;
    this.counters = counters;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Future<Long> start;
    String given = ctx.request().getHeader("Last-Event-ID");
    String field = "Last-Event-ID";
    if (given == null || given.isBlank()) {
      given = ctx.request().getParam("cursor");
      field = "cursor";
    }
    boolean resumed = given != null && !given.isBlank();
    try {
      start = resumed ? Future.succeededFuture(FeedCursor.decode(given.trim(), field))
          : feed.bound().map(bound -> Math.max(0, bound - 1));
    } catch (InvalidInputException e) {
      ErrorResponder.send(ctx, ErrorResponder.toApiError(e, 422));
      return;
    }
    start.onComplete(
        after -> new EventStream(ctx.vertx(), ctx.request(), Tenancy.of(ctx), feed, config.get(), counters)
            .open(after, !resumed),
        error -> ErrorResponder.send(ctx, ErrorResponder.toApiError(error, 500)));
  }
}
