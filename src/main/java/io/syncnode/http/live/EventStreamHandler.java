package io.syncnode.http.live;

import io.syncnode.auth.ApiKeys;
import io.syncnode.config.NodeConfig.LiveConfig;
import io.syncnode.http.common.ApiError;
import io.syncnode.http.common.ErrorResponder;
import io.syncnode.http.common.Tenancy;
import io.syncnode.protocol.FeedCursor;
import io.syncnode.protocol.InvalidInputException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;

/**
 * GET /api/sync/events: server-sent events carrying every change of the caller's tenant. A client
 * resumes with {@code Last-Event-ID} (or {@code ?cursor=}, any pull cursor); without either the
 * stream starts now, at the feed's watermark. Past live.maxConnectionsPerTenant live connections of
 * the tenant on the node, 429; a stream whose key is revoked ends with an {@code error} event.
 */
public final class EventStreamHandler implements Handler<RoutingContext> {
  private final LiveFeed feed;
  private final Supplier<LiveConfig> config;
  private final LiveCounters counters;
  private final ApiKeys keys;

  /**
   * {@code feed} is the node's shared reader of the change feed; {@code config} is read as each stream
   * opens (a reloaded live.* applies to the streams opened after it); {@code keys} is null with
   * auth.mode=none.
   */
  public EventStreamHandler(LiveFeed feed, Supplier<LiveConfig> config, LiveCounters counters, ApiKeys keys) {
    this.feed = feed;
    this.config = config;
    this.counters = counters;
    this.keys = keys;
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
    String tenant = Tenancy.of(ctx);
    if (!counters.tryOpen(tenant)) {
      ctx.response().putHeader("Retry-After", "10");
      ErrorResponder.send(ctx, new ApiError(429, "too_many_live_connections",
          "the tenant holds live.maxConnectionsPerTenant live connections on this node", null));
      return;
    }
    String presented = ApiKeys.fromHeaders(ctx.request());
    start.onComplete(after -> {
      EventStream stream = new EventStream(ctx.vertx(), ctx.request(), tenant, feed, config.get(), counters);
      stream.open(after, !resumed);
      LiveKeyCheck.watch(ctx.vertx(), keys, presented, stream::ended, stream::revoke);
    }, error -> {
      counters.closed(tenant);
      ErrorResponder.send(ctx, ErrorResponder.toApiError(error, 500));
    });
  }
}
