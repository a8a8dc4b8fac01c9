package io.syncnode.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import java.util.UUID;

/**
 * A node's metrics: one Prometheus registry per node, fed by Vert.x (HTTP server, database pool,
 * event bus, JVM) when the node's Vert.x instance is built with {@link #vertxBuilder}, and by
 * syncnode's own meters ({@link #sync()}). Disabled, it records nothing and serves nothing.
 */
public final class NodeMetrics {
  private final PrometheusMeterRegistry registry;
  /** Vert.x keeps the registries of its instances by name, JVM-wide: each node's is its own. */
  private final String registryName = "syncnode-" + UUID.randomUUID();
  private final SyncMeters sync;

  private NodeMetrics(PrometheusMeterRegistry registry) {
    this.registry = registry;
    MeterRegistry target = registry;
    if (registry == null) {
      // a composite of no registry: every meter is a no-op
      target = new CompositeMeterRegistry();
    } else {
      VertxMeters.configure(registry);
    }
    this.sync = new SyncMeters(target);
  }

  public static NodeMetrics create(boolean enabled) {
    return new NodeMetrics(enabled ? new PrometheusMeterRegistry(PrometheusConfig.DEFAULT) : null);
  }

  public boolean enabled() {
    return registry != null;
  }

  /** A builder of the node's Vert.x instance with {@code options}, reporting Vert.x's own meters here. */
  public VertxBuilder vertxBuilder(VertxOptions options) {
    VertxOptions copy = new VertxOptions(options);
    if (registry == null) {
      return Vertx.builder().with(copy);
    }
    copy.setMetricsOptions(VertxMeters.options(registryName));
    return Vertx.builder().with(copy).withMetrics(new MicrometerMetricsFactory(registry));
  }

  /** syncnode's own meters. */
  public SyncMeters sync() {
    return sync;
  }

  /** Every meter in the Prometheus text format (0.0.4); empty when disabled. */
  public String scrape() {
    return registry == null ? "" : registry.scrape();
  }
}
