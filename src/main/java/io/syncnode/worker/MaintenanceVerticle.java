package io.syncnode.worker;

import io.syncnode.store.FeedWatermark;
import io.syncnode.store.TableStatistics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Background upkeep of a node (one instance): refreshes stale table statistics every few seconds,
 * and reads the feed's watermark every {@link #FEED_CHECK_MS}, so that the lag gauge and the WARN
 * of a held-back feed do not wait for a pull, and so that the feed has a mark (see
 * {@link io.syncnode.store.FeedMarks}) at most about a second before any since_timestamp: a pull by
 * time reads from there, so what it reads beyond what changed since is a second of writes at most.
 */
public final class MaintenanceVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(MaintenanceVerticle.class);
  static final long PERIOD_MS = 10_000;

  static final long FEED_CHECK_MS = 1_000;

  private final TableStatistics statistics;
  private final FeedWatermark watermark;
  private long timer = -1;
  private long feedTimer = -1;
  private boolean running;

  public MaintenanceVerticle(TableStatistics statistics, FeedWatermark watermark) {
    this.statistics = statistics;
    this.watermark = watermark;
  }

  @Override
  public Future<?> start() {
    timer = vertx.setPeriodic(0, PERIOD_MS, t -> refresh());
    feedTimer = vertx.setPeriodic(FEED_CHECK_MS, t -> watermark.current()
        .onFailure(error -> LOG.debug("feed watermark not read: {}", error.getMessage())));
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
    vertx.cancelTimer(feedTimer);
    return Future.succeededFuture();
  }
}
