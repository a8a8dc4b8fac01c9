package io.syncnode.metrics;

import io.syncnode.cluster.LockTimeoutException;
import io.syncnode.cluster.StripeLocks;
import io.vertx.core.Future;
import java.util.List;

/**
 * Stripe locks whose waits, releases and timeouts are measured: with the time of the push
 * request, the share of a push's latency its lock costs.
 */
public final class MeteredStripeLocks implements StripeLocks {
  private final StripeLocks locks;
  private final SyncMeters meters;

  public MeteredStripeLocks(StripeLocks locks, SyncMeters meters) {
    this.locks = locks;
    this.meters = meters;
  }

  @Override
  public Future<Lease> acquire(List<String> keys) {
    long started = System.nanoTime();
    return locks.acquire(keys).andThen(result -> {
      if (result.succeeded()) {
        meters.lockAcquired(System.nanoTime() - started);
      } else if (result.cause() instanceof LockTimeoutException) {
        meters.lockTimedOut();
      }
    });
  }

  @Override
  public Future<Void> release(Lease lease) {
    long started = System.nanoTime();
    return locks.release(lease).andThen(result -> meters.lockReleased(System.nanoTime() - started));
  }
}
