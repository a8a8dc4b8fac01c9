package io.syncnode.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * locks.mode=cluster: the stripes held in the cluster are one entry of a Hazelcast map, a table of
 * stripe → (holder's token, end of its lease). A batch claims all its stripes with one entry
 * processor on that entry, all of them or none, so a batch of any size costs one partition
 * operation (and its backup) to claim and one to release, instead of one per stripe. A claim's
 * lease (locks.leaseMs) is counted by the clock of the entry's owner, and a stripe whose lease ran
 * out is free to the next claim: the stripes of a dead or stalled member free themselves. A
 * release removes only the stripes that still hold the caller's token.
 *
 * <p>Each attempt claims every stripe of the batch or, if one is held by someone else, gets
 * nothing and retries after a short random backoff. Nobody waits while holding a stripe, so there
 * is no deadlock, and waiting is a timer, not a thread.
 *
 * <p>The map keeps its values as objects (in-memory-format OBJECT, set by {@link HazelcastSettings}),
 * so a claim updates the table in place instead of deserializing and serializing it. The backup
 * replays the owner's decision (the granted stripes, with the lease's end the owner computed),
 * never decides again, so owner and backup hold the same table. The backup is asynchronous (see
 * conf/cluster.xml): a claim is answered without waiting for it.
 */
public final class HazelcastStripeLocks implements StripeLocks {
  private static final int MAX_BACKOFF_MS = 8;
  private static final long MIN_RELEASE_WAIT_MS = 1_000;

  public static final String MAP = "syncnode.locks";
  /** The key of the one entry that holds every stripe claimed in the cluster. */
  static final String STRIPES = "stripes";

  private final Vertx vertx;
  private final IMap<String, HeldStripes> map;
  private final long leaseMs;
  private final long timeoutMs;

  public HazelcastStripeLocks(Vertx vertx, HazelcastInstance hazelcast, long timeoutMs, long leaseMs) {
    this.vertx = vertx;
    this.timeoutMs = timeoutMs;
    this.map = hazelcast.getMap(MAP);
    this.leaseMs = leaseMs;
  }

  /** Claims all stripes for the token, or none. */
  private Future<Boolean> claimAll(String token, String[] stripes) {
    return onContext(map.submitToKey(STRIPES, new Claim(token, stripes, leaseMs)));
  }

  /** Removes the token's claims on the stripes. */
  private Future<Void> unclaim(String token, String[] stripes) {
    return onContext(map.submitToKey(STRIPES, new Release(token, stripes))).mapEmpty();
  }

  /**
   * The outcome of a Hazelcast operation on the caller's Vert.x context. The callback is handed to
   * Hazelcast with an executor of its own: Hazelcast runs callbacks registered without one on its
   * default executor, which on a machine of 2 cores (a common pool of parallelism 1) starts a new
   * thread for every callback, two per claim and release.
   */
  private <T> Future<T> onContext(CompletionStage<T> operation) {
    Context context = vertx.getOrCreateContext();
    Promise<T> outcome = Promise.promise();
    operation.whenCompleteAsync((value, error) -> context.runOnContext(v -> {
      if (error != null) {
        outcome.fail(error);
      } else {
        outcome.complete(value);
      }
    }), Runnable::run);
    return outcome.future();
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
    attempt(lease, keys.toArray(String[]::new), deadline, 0, acquired);
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
  private void attempt(Lease lease, String[] stripes, long deadline, int attempt, Promise<Lease> acquired) {
    long remainingMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    Future<Boolean> claim = claimAll(lease.token(), stripes);
    long timer = vertx.setTimer(remainingMs, t -> giveUp(lease, stripes, claim, acquired));
    claim.onComplete(result -> {
      vertx.cancelTimer(timer);
      if (acquired.future().isComplete()) {
        return;
      }
      if (result.failed()) {
        acquired.fail(result.cause());
      } else if (System.nanoTime() >= deadline) {
        giveUp(lease, stripes, claim, acquired);
      } else if (result.result()) {
        acquired.complete(lease);
      } else {
        int ceiling = Math.min(MAX_BACKOFF_MS, 1 << Math.min(attempt, 3));
        vertx.setTimer(1 + ThreadLocalRandom.current().nextInt(ceiling),
            backoff -> attempt(lease, stripes, deadline, attempt + 1, acquired));
      }
    });
  }

  /** Fails the acquisition as timed out; whatever the pending claim still gets is released. */
  private void giveUp(Lease lease, String[] stripes, Future<Boolean> claim, Promise<Lease> acquired) {
    if (acquired.tryFail(new LockTimeoutException(lease.keys().size(), timeoutMs))) {
      claim.onSuccess(claimed -> {
        if (claimed) {
          unclaim(lease.token(), stripes);
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
        : unclaim(lease.token(), lease.keys().toArray(String[]::new))
            .timeout(Math.max(MIN_RELEASE_WAIT_MS, timeoutMs), TimeUnit.MILLISECONDS);
  }

  /** A stripe's holder and the end of its lease (milliseconds, by the clock of the entry's owner). */
  record Hold(String token, long leaseEndsAt) implements Serializable {}

  /** The stripes that are held (or were, until their lease ran out). */
  static final class HeldStripes implements Serializable {
    private static final long serialVersionUID = 1L;
    private final HashMap<String, Hold> holds = new HashMap<>();

    /** Whether every stripe is free at {@code now} or already the token's. */
    boolean free(String[] stripes, String token, long now) {
      for (String stripe : stripes) {
        Hold hold = holds.get(stripe);
        if (hold != null && hold.leaseEndsAt() > now && !hold.token().equals(token)) {
          return false;
        }
      }
      return true;
    }

    /** Gives the stripes to the hold and forgets the stripes whose lease ended before {@code now}. */
    void hold(String[] stripes, Hold hold, long now) {
      for (Iterator<Hold> it = holds.values().iterator(); it.hasNext(); ) {
        if (it.next().leaseEndsAt() <= now) {
          it.remove();
        }
      }
      for (String stripe : stripes) {
        holds.put(stripe, hold);
      }
    }

    /** Frees the stripes the token holds; whether any was. */
    boolean release(String[] stripes, String token) {
      boolean released = false;
      for (String stripe : stripes) {
        Hold hold = holds.get(stripe);
        if (hold != null && hold.token().equals(token)) {
          holds.remove(stripe);
          released = true;
        }
      }
      return released;
    }

    int size() {
      return holds.size();
    }

    /** The stripes held at {@code now}. */
    List<String> heldAt(long now) {
      List<String> held = new ArrayList<>();
      holds.forEach((stripe, hold) -> {
        if (hold.leaseEndsAt() > now) {
          held.add(stripe);
        }
      });
      return held;
    }
  }

  /**
   * Gives the stripes to the token for the lease if all are free (or already its own). The backup
   * applies what the owner granted, with the owner's lease end, or nothing if it granted nothing.
   */
  static final class Claim implements EntryProcessor<String, HeldStripes, Boolean> {
    private static final long serialVersionUID = 1L;
    private final String token;
    private final String[] stripes;
    private final long leaseMs;
    private transient Grant granted;

    Claim(String token, String[] stripes, long leaseMs) {
      this.token = token;
      this.stripes = stripes;
      this.leaseMs = leaseMs;
    }

    @Override
    public Boolean process(Map.Entry<String, HeldStripes> entry) {
      HeldStripes held = entry.getValue() == null ? new HeldStripes() : entry.getValue();
      long now = System.currentTimeMillis();
      if (!held.free(stripes, token, now)) {
        return false;
      }
      granted = new Grant(token, stripes, now, now + leaseMs);
      granted.process(entry);
      return true;
    }

    @Override
    public EntryProcessor<String, HeldStripes, Boolean> getBackupProcessor() {
      return granted;
    }
  }

  /** What an owner granted, applied as it was (on the owner, and then on its backup). */
  record Grant(String token, String[] stripes, long now, long leaseEndsAt)
      implements EntryProcessor<String, HeldStripes, Boolean> {
    @Override
    public Boolean process(Map.Entry<String, HeldStripes> entry) {
      HeldStripes held = entry.getValue() == null ? new HeldStripes() : entry.getValue();
      held.hold(stripes, new Hold(token, leaseEndsAt), now);
      entry.setValue(held);
      return true;
    }
  }

  /** Frees the stripes that still hold the token; the entry goes once it holds nothing. */
  static final class Release implements EntryProcessor<String, HeldStripes, Boolean> {
    private static final long serialVersionUID = 1L;
    private final String token;
    private final String[] stripes;

    Release(String token, String[] stripes) {
      this.token = token;
      this.stripes = stripes;
    }

    @Override
    public Boolean process(Map.Entry<String, HeldStripes> entry) {
      HeldStripes held = entry.getValue();
      if (held == null || !held.release(stripes, token)) {
        return false;
      }
      entry.setValue(held.size() == 0 ? null : held);
      return true;
    }
  }
}
