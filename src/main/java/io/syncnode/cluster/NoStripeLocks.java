package io.syncnode.cluster;

import io.vertx.core.Future;
import java.util.List;

/** locks.mode=none: nothing is claimed; PostgreSQL's row locks alone serialize writers. */
public final class NoStripeLocks implements StripeLocks {
  @Override
  public Future<Lease> acquire(List<String> keys) {
    return Future.succeededFuture(new Lease("none", keys));
  }

  @Override
  public Future<Void> release(Lease lease) {
    return Future.succeededFuture();
  }
}
