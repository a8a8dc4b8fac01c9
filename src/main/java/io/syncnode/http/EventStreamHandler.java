package io.syncnode.http;

import io.syncnode.config.NodeConfig.LiveConfig;
import io.syncnode.protocol.FeedCursor;
import io.syncnode.protocol.InvalidInputException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * GET /api/sync/events: server-sent events carrying every change of the caller's tenant. A client
 * resumes with {@code Last-Event-ID} (or {@code ?cursor=}, any pull cursor); without either the
 * stream starts now, at the feed's watermark.
 */
final class EventStreamHandler implements Handler<RoutingContext> {
  private final LiveFeed feed;
  private final LiveConfig config;
  private final LiveCounters counters;

  EventStreamHandler(LiveFeed feed, LiveConfig config, LiveCounters counters) {
    this.feed = feed;
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
        after -> new EventStream(ctx.vertx(), ctx.request(), Tenancy.of(ctx), feed, config, counters)
            .open(after, !resumed),
        error -> ErrorResponder.send(ctx, ErrorResponder.toApiError(error, 500)));
  }
}
