package io.syncnode.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import com.hazelcast.map.IMap;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Map.Entry;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * locks.mode=cluster: stripes are entries of a Hazelcast map, claimed by an entry processor sent
 * to all of a batch's keys in one call. A claim carries the holder's token and expires after
 * locks.leaseMs, so the stripes of a dead or stalled member free themselves; a release removes
 * only entries that still hold the caller's token.
 *
 * <p>Each attempt claims every stripe of the batch or, if one is held by someone else, releases
 * what it got and retries after a short random backoff. Nobody waits while holding a stripe, so
 * there is no deadlock, and waiting is a timer, not a thread.
 *
 * <p>A batch's ~200 stripes are random, so spread over the map's partitions they would cost a
 * partition operation and a backup operation each per claim and per release. Each entry is
 * stored as {@code stripe@group} instead, and the map partitions its keys by the part after '@'
 * (StringPartitioningStrategy, set for this map in cluster.xml), so that all stripes live in
 * {@value #PARTITION_GROUPS} partitions: every stripe is still an entry of its own.
 */
public final class HazelcastStripeLocks implements StripeLocks {
  private static final int MAX_BACKOFF_MS = 8;
  private static final long MIN_RELEASE_WAIT_MS = 1_000;
  static final int PARTITION_GROUPS = 4;

  public static final String MAP = "syncnode.locks";

  private final Vertx vertx;
  private final IMap<String, String> stripes;
  private final long leaseMs;
  private final long timeoutMs;

  public HazelcastStripeLocks(Vertx vertx, HazelcastInstance hazelcast, long timeoutMs, long leaseMs) {
    this.vertx = vertx;
    this.timeoutMs = timeoutMs;
    this.stripes = hazelcast.getMap(MAP);
    this.leaseMs = leaseMs;
  }

  /** The map's keys of the stripes: each stripe with its partition group. */
  private static Set<String> entries(List<String> stripes) {
    Set<String> entries = new HashSet<>();
    for (String stripe : stripes) {
      entries.add(stripe + "@" + Math.floorMod(stripe.hashCode(), PARTITION_GROUPS));
    }
    return entries;
  }

  /** Claims all entries for the token, or none: on false, no claim of this attempt is left behind. */
  private Future<Boolean> claimAll(String token, Set<String> keys) {
    return Future.fromCompletionStage(stripes.submitToKeys(keys, new Claim(token, leaseMs)),
            vertx.getOrCreateContext())
        .compose(results -> {
          Set<String> claimed = new HashSet<>();
          for (Entry<String, Boolean> result : results.entrySet()) {
            if (Boolean.TRUE.equals(result.getValue())) {
              claimed.add(result.getKey());
            }
          }
          if (claimed.size() == keys.size()) {
            return Future.succeededFuture(true);
          }
          return unclaim(token, claimed).map(false);
        });
  }

  /** Removes the token's claims on the entries. */
  private Future<Void> unclaim(String token, Set<String> keys) {
    if (keys.isEmpty()) {
      return Future.succeededFuture();
    }
    return Future.fromCompletionStage(stripes.submitToKeys(keys, new Release(token)),
        vertx.getOrCreateContext()).mapEmpty();
  }

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

  /**
   * One claim of every stripe, retried after a backoff until {@code deadline}. The claim's round trip
   * is bounded by the deadline too: a member that was paused (or cut off) mid-claim gets its answer
   * late or never, and a batch must not wait for it past locks.timeoutMs. A claim granted after its
   * deadline (its lease may have run out meanwhile) is released and answered as a lock timeout.
   */
  private void attempt(Lease lease, long deadline, int attempt, Promise<Lease> acquired) {
    Set<String> entries = entries(lease.keys());
    long remainingMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    Future<Boolean> claim = claimAll(lease.token(), entries);
    long timer = vertx.setTimer(remainingMs, t -> giveUp(lease, entries, claim, acquired));
    claim.onComplete(result -> {
      vertx.cancelTimer(timer);
      if (acquired.future().isComplete()) {
        return;
      }
      if (result.failed()) {
        acquired.fail(result.cause());
      } else if (System.nanoTime() >= deadline) {
        giveUp(lease, entries, claim, acquired);
      } else if (result.result()) {
        acquired.complete(lease);
      } else {
        int ceiling = Math.min(MAX_BACKOFF_MS, 1 << Math.min(attempt, 3));
        vertx.setTimer(1 + ThreadLocalRandom.current().nextInt(ceiling),
            backoff -> attempt(lease, deadline, attempt + 1, acquired));
      }
    });
  }

  /** Fails the acquisition as timed out; whatever the pending claim still gets is released. */
  private void giveUp(Lease lease, Set<String> entries, Future<Boolean> claim, Promise<Lease> acquired) {
    if (acquired.tryFail(new LockTimeoutException(lease.keys().size(), timeoutMs))) {
      claim.onSuccess(claimed -> {
        if (claimed) {
          unclaim(lease.token(), entries);
        }
      });
    }
  }

  /**
   * Frees the lease's stripes, waiting at most locks.timeoutMs (at least 1 s) for the cluster's answer: a member
   * resumed after a pause may not reach the stripes' owners until the membership has settled, and
   * the batch's answer must not wait for that; stripes not freed expire with their lease.
   */
  @Override
  public Future<Void> release(Lease lease) {
    return lease.keys().isEmpty() ? Future.succeededFuture()
        : unclaim(lease.token(), entries(lease.keys())).timeout(Math.max(MIN_RELEASE_WAIT_MS, timeoutMs),
            TimeUnit.MILLISECONDS);
  }

  /** Sets the entry to the token, with the lease as its time to live, if it is free or already the token's. */
  static final class Claim implements EntryProcessor<String, String, Boolean> {
    private static final long serialVersionUID = 1L;
    private final String token;
    private final long leaseMs;

    Claim(String token, long leaseMs) {
      this.token = token;
      this.leaseMs = leaseMs;
    }

    @Override
    public Boolean process(Map.Entry<String, String> entry) {
      String holder = entry.getValue();
      if (holder != null && !holder.equals(token)) {
        return false;
      }
      ((ExtendedMapEntry<String, String>) entry).setValue(token, leaseMs, TimeUnit.MILLISECONDS);
      return true;
    }
  }

  /** Removes the entry if it still holds the token. */
  static final class Release implements EntryProcessor<String, String, Boolean> {
    private static final long serialVersionUID = 1L;
    private final String token;

    Release(String token) {
      this.token = token;
    }

    @Override
    public Boolean process(Map.Entry<String, String> entry) {
      if (token.equals(entry.getValue())) {
        entry.setValue(null);
        return true;
      }
      return false;
    }
  }
}
