package io.syncnode.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.syncnode.protocol.EntityType;
import io.syncnode.worker.api.Addresses;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * What Vert.x measures for a node, and how its labels are kept to a bounded set of values: the
 * route label is a route's template, never a request's path.
 */
final class VertxMeters {
  private static final String HTTP_SERVER = "vertx.http.server.";
  private static final String EVENT_BUS = "vertx.eventbus.";
  private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");
  /** Histogram buckets of request latency and pool wait. */
  static final Duration[] LATENCY_BUCKETS = {
      Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
      Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
      Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
      Duration.ofSeconds(30), Duration.ofSeconds(60)};

  private VertxMeters() {}

  static MicrometerMetricsOptions options(String registryName) {
    return new MicrometerMetricsOptions()
        .setEnabled(true)
        .setRegistryName(registryName)
        .setJvmMetricsEnabled(true)
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))
        .setLabels(EnumSet.of(Label.HTTP_ROUTE, Label.HTTP_METHOD, Label.HTTP_CODE, Label.POOL_TYPE,
            Label.POOL_NAME, Label.EB_ADDRESS, Label.EB_SIDE, Label.EB_FAILURE));
  }

  /** Filters for Vert.x's meters; added before any meter is registered. */
  static void configure(MeterRegistry registry) {
    registry.config()
        .meterFilter(replaceTag(HTTP_SERVER, "route", VertxMeters::lastRoute))
        .meterFilter(replaceTag(HTTP_SERVER, "method", method -> METHODS.contains(method) ? method : "other"))
        .meterFilter(replaceTag(EVENT_BUS, "address", VertxMeters::streamAddress))
        .meterFilter(latencyBuckets(Set.of(HTTP_SERVER + "response.time", "vertx.pool.queue.time")));
  }

  /**
   * Vert.x labels a request with every named route it went through, joined by '>' (here
   * "/api/*>/api/*>/api/sync/push"): the last one is the route that answered.
   */
  static String lastRoute(String routes) {
    return routes.substring(routes.lastIndexOf('>') + 1);
  }

  /** Each worker instance streams from an address of its own: they are counted under their common prefix. */
  static String streamAddress(String address) {
    for (EntityType type : EntityType.values()) {
      String prefix = Addresses.of(type).streams();
      if (address.startsWith(prefix + ".")) {
        return prefix;
      }
    }
    return address;
  }

  private static MeterFilter replaceTag(String namePrefix, String tag, UnaryOperator<String> replacement) {
    MeterFilter replace = MeterFilter.replaceTagValues(tag, replacement::apply);
    return new MeterFilter() {
      @Override
      public Meter.Id map(Meter.Id id) {
        return id.getName().startsWith(namePrefix) ? replace.map(id) : id;
      }
    };
  }

  private static MeterFilter latencyBuckets(Set<String> names) {
    double[] nanos = new double[LATENCY_BUCKETS.length];
    for (int i = 0; i < nanos.length; i++) {
      nanos[i] = LATENCY_BUCKETS[i].toNanos();
    }
    return new MeterFilter() {
      @Override
      public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        return names.contains(id.getName())
            ? DistributionStatisticConfig.builder().serviceLevelObjectives(nanos).build().merge(config)
            : config;
      }
    };
  }
}
