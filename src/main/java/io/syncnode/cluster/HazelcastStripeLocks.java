package io.syncnode.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import com.hazelcast.map.IMap;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Map.Entry;
import java.util.concurrent.TimeUnit;

/**
 * locks.mode=cluster: stripes are entries of a Hazelcast map, claimed by an entry processor sent
 * to all of a batch's keys in one call. A claim carries the holder's token and expires after
 * locks.leaseMs, so the stripes of a dead or stalled member free themselves; a release removes
 * only entries that still hold the caller's token.
 */
public final class HazelcastStripeLocks extends ClaimingStripeLocks {
  public static final String MAP = "syncnode.locks";

  private final Vertx vertx;
  private final IMap<String, String> stripes;
  private final long leaseMs;

  public HazelcastStripeLocks(Vertx vertx, HazelcastInstance hazelcast, long timeoutMs, long leaseMs) {
    super(vertx, timeoutMs);
    this.vertx = vertx;
    this.stripes = hazelcast.getMap(MAP);
    this.leaseMs = leaseMs;
  }

  @Override
  Future<Boolean> claimAll(String token, List<String> keys) {
    return Future.fromCompletionStage(stripes.submitToKeys(new HashSet<>(keys), new Claim(token, leaseMs)),
            vertx.getOrCreateContext())
        .compose(results -> {
          List<String> claimed = new ArrayList<>();
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

  @Override
  Future<Void> unclaim(String token, List<String> keys) {
    if (keys.isEmpty()) {
      return Future.succeededFuture();
    }
    return Future.fromCompletionStage(stripes.submitToKeys(new HashSet<>(keys), new Release(token)),
        vertx.getOrCreateContext()).mapEmpty();
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
