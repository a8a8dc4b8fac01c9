package io.syncnode.http;

import io.syncnode.metrics.NodeMetrics;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/** GET /metrics: the node's metrics in the Prometheus text format, written off the event loop. */
final class MetricsHandler implements Handler<RoutingContext> {
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final NodeMetrics metrics;

  MetricsHandler(NodeMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void handle(RoutingContext ctx) {
    ctx.vertx().executeBlocking(metrics::scrape, false)
        .onSuccess(text -> ctx.response().putHeader("Content-Type", CONTENT_TYPE).end(text))
        .onFailure(ctx::fail);
  }
}
