package io.syncnode.cluster;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * locks.mode=local: stripes held in this node's memory. A batch takes all its stripes at once or
 * queues; each release hands the freed stripes to the waiting batches in arrival order (a batch
 * may pass an earlier one only if it shares no stripe with it), so waiting costs no polling and
 * no batch starves. The bookkeeping is a few map operations under a monitor, never I/O.
 */
public final class LocalStripeLocks implements StripeLocks {
  private final Vertx vertx;
  private final long timeoutMs;
  private final Map<String, String> holders = new HashMap<>();
  private final LinkedList<Waiter> waiters = new LinkedList<>();

  public LocalStripeLocks(Vertx vertx, long timeoutMs) {
    this.vertx = vertx;
    this.timeoutMs = timeoutMs;
  }

  /** A batch waiting for its stripes, answered on the context it asked from. */
  private static final class Waiter {
    final Lease lease;
    final Promise<Lease> promise = Promise.promise();
    final Context context;
    long timer = -1;

    Waiter(Lease lease, Context context) {
      this.lease = lease;
      this.context = context;
    }
  }

  @Override
  public Future<Lease> acquire(List<String> keys) {
    return acquire(keys, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs));
  }

  /** Like {@link #acquire(List)}, giving up at {@code deadline} (System.nanoTime()). */
  Future<Lease> acquire(List<String> keys, long deadline) {
    Lease lease = new Lease(UUID.randomUUID().toString(), keys);
    Waiter waiter = new Waiter(lease, vertx.getOrCreateContext());
    List<Waiter> granted;
    synchronized (this) {
      waiters.add(waiter);
      // it goes at once if its stripes are free and no earlier waiter wants one of them
      granted = grantWaiting();
      if (!granted.remove(waiter)) {
        long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (remainingMs <= 0) {
          waiters.remove(waiter);
          waiter.promise.fail(new LockTimeoutException(keys.size(), timeoutMs));
        } else {
          waiter.timer = vertx.setTimer(remainingMs, t -> expire(waiter));
        }
      } else {
        waiter.promise.complete(lease);
      }
    }
    answer(granted);
    return waiter.promise.future();
  }

  @Override
  public Future<Void> release(Lease lease) {
    List<Waiter> granted;
    synchronized (this) {
      for (String key : lease.keys()) {
        holders.remove(key, lease.token());
      }
      granted = grantWaiting();
    }
    answer(granted);
    return Future.succeededFuture();
  }

  /** A waiter whose time ran out leaves the queue, which may let the ones behind it through. */
  private void expire(Waiter waiter) {
    List<Waiter> granted;
    synchronized (this) {
      if (!waiters.remove(waiter)) {
        return;
      }
      granted = grantWaiting();
    }
    waiter.promise.fail(new LockTimeoutException(waiter.lease.keys().size(), timeoutMs));
    answer(granted);
  }

  private void answer(List<Waiter> granted) {
    for (Waiter waiter : granted) {
      if (waiter.timer >= 0) {
        vertx.cancelTimer(waiter.timer);
      }
      waiter.context.runOnContext(v -> waiter.promise.complete(waiter.lease));
    }
  }

  /**
   * Claims the stripes of every waiter whose stripes are all free and shared with no earlier
   * waiter, and returns those waiters; their promises are completed outside the monitor.
   */
  private List<Waiter> grantWaiting() {
    List<Waiter> granted = new ArrayList<>();
    Set<String> wantedEarlier = new HashSet<>();
    for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
      Waiter waiter = it.next();
      List<String> keys = waiter.lease.keys();
      if (allFree(keys) && keys.stream().noneMatch(wantedEarlier::contains)) {
        claim(waiter.lease);
        it.remove();
        granted.add(waiter);
      } else {
        wantedEarlier.addAll(keys);
      }
    }
    return granted;
  }

  private boolean allFree(List<String> keys) {
    for (String key : keys) {
      if (holders.containsKey(key)) {
        return false;
      }
    }
    return true;
  }

  private void claim(Lease lease) {
    for (String key : lease.keys()) {
      holders.put(key, lease.token());
    }
  }
}
