package io.syncnode.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** locks.mode=local: stripes held in this node's memory; enough for a single node. */
public final class LocalStripeLocks extends ClaimingStripeLocks {
  private final ConcurrentMap<String, String> holders = new ConcurrentHashMap<>();

  public LocalStripeLocks(Vertx vertx, long timeoutMs) {
    super(vertx, timeoutMs);
  }

  @Override
  Future<Boolean> claimAll(String token, List<String> keys) {
    for (int i = 0; i < keys.size(); i++) {
      String holder = holders.putIfAbsent(keys.get(i), token);
      if (holder != null && !holder.equals(token)) {
        for (int j = 0; j < i; j++) {
          holders.remove(keys.get(j), token);
        }
        return Future.succeededFuture(false);
      }
    }
    return Future.succeededFuture(true);
  }

  @Override
  Future<Void> unclaim(String token, List<String> keys) {
    for (String key : keys) {
      holders.remove(key, token);
    }
    return Future.succeededFuture();
  }
}
