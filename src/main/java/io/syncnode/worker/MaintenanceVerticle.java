package io.syncnode.worker;

import io.syncnode.store.TableStatistics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Background upkeep of a node (one instance): refreshes stale table statistics every few seconds. */
public final class MaintenanceVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(MaintenanceVerticle.class);
  static final long PERIOD_MS = 10_000;

  private final TableStatistics statistics;
  private long timer = -1;
  private boolean running;

  public MaintenanceVerticle(TableStatistics statistics) {
    this.statistics = statistics;
  }

  @Override
  public Future<?> start() {
    timer = vertx.setPeriodic(0, PERIOD_MS, t -> refresh());
    return Future.succeededFuture();
  }

  private void refresh() {
    if (running) {
      return;
    }
    running = true;
    statistics.refresh().onComplete(tables -> {
      running = false;
      if (!tables.isEmpty()) {
        LOG.debug("analyzed {}", tables);
      }
    }, error -> {
      running = false;
      LOG.debug("statistics not refreshed: {}", error.getMessage());
    });
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }
}
