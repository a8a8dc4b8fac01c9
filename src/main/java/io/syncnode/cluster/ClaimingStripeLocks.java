package io.syncnode.cluster;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Acquisition by all-or-nothing claims: each attempt claims every stripe of the batch or, if one
 * is held by someone else, releases what it got and retries after a short random backoff. Nobody
 * waits while holding a stripe, so there is no deadlock, and waiting is a timer, not a thread.
 */
abstract class ClaimingStripeLocks implements StripeLocks {
  private static final int MAX_BACKOFF_MS = 8;

  private final Vertx vertx;
  private final long timeoutMs;

  ClaimingStripeLocks(Vertx vertx, long timeoutMs) {
    this.vertx = vertx;
    this.timeoutMs = timeoutMs;
  }

  /** Claims all keys for the token, or none: on false, no claim of this attempt is left behind. */
  abstract Future<Boolean> claimAll(String token, List<String> keys);

  /** Removes the token's claims on the keys. */
  abstract Future<Void> unclaim(String token, List<String> keys);

  @Override
  public Future<Lease> acquire(List<String> keys) {
    return acquire(keys, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs));
  }

  /** Like {@link #acquire(List)}, giving up at {@code deadline} (System.nanoTime()). */
  Future<Lease> acquire(List<String> keys, long deadline) {
    Lease lease = new Lease(UUID.randomUUID().toString(), keys);
    if (keys.isEmpty()) {
      return Future.succeededFuture(lease);
    }
    Promise<Lease> acquired = Promise.promise();
    attempt(lease, deadline, 0, acquired);
    return acquired.future();
  }

  long timeoutMs() {
    return timeoutMs;
  }

  private void attempt(Lease lease, long deadline, int attempt, Promise<Lease> acquired) {
    claimAll(lease.token(), lease.keys()).onComplete(claimed -> {
      if (claimed) {
        acquired.complete(lease);
      } else if (System.nanoTime() >= deadline) {
        acquired.fail(new LockTimeoutException(lease.keys().size(), timeoutMs));
      } else {
        int ceiling = Math.min(MAX_BACKOFF_MS, 1 << Math.min(attempt, 3));
        vertx.setTimer(1 + ThreadLocalRandom.current().nextInt(ceiling),
            timer -> attempt(lease, deadline, attempt + 1, acquired));
      }
    }, acquired::fail);
  }

  @Override
  public Future<Void> release(Lease lease) {
    return lease.keys().isEmpty() ? Future.succeededFuture() : unclaim(lease.token(), lease.keys());
  }
}
