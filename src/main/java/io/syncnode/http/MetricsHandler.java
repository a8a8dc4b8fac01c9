package io.syncnode.http;

import io.syncnode.metrics.NodeMetrics;
import io.syncnode.worker.api.DeviceApi;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * GET /metrics: the node's metrics in the Prometheus text format, written off the event loop. The
 * readiness checks of GET /ready run first, for syncnode_ready.
 */
final class MetricsHandler implements Handler<RoutingContext> {
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final NodeMetrics metrics;
  private final DeviceApi devices;
  private final java.util.function.Supplier<String> inCluster;

  MetricsHandler(NodeMetrics metrics, DeviceApi devices, java.util.function.Supplier<String> inCluster) {
    this.metrics = metrics;
    this.devices = devices;
    this.inCluster = inCluster;
  }

  @Override
  public void handle(RoutingContext ctx) {
    ReadinessHandler.check(devices, inCluster)
        .compose(checks -> {
          metrics.sync().ready(checks.ready());
          return ctx.vertx().executeBlocking(metrics::scrape, false);
        })
        .onSuccess(text -> ctx.response().putHeader("Content-Type", CONTENT_TYPE).end(text))
        .onFailure(ctx::fail);
  }
}
