package io.syncnode.cluster;

import io.vertx.core.Future;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * locks.mode=cluster as a node runs it: a batch first claims its stripes among the callers of its
 * own node, in memory, and only then in the cluster. Callers on one node then queue locally
 * instead of all retrying against Hazelcast, so a contended stripe costs one cluster claim per
 * node rather than one per caller. The cluster level never waits while holding a claim, so the
 * two levels cannot deadlock; both share the one locks.timeoutMs.
 *
 * <p>A release answers at once: the stripes are freed in the cluster and then on the node in the
 * background, so a batch's answer does not wait for the cluster's round trip. The node's stripes
 * stay held until the cluster has freed them (or given up, after which they expire with their
 * lease), so no caller of this node claims them in the cluster before that.
 */
public final class NodeThenClusterStripeLocks implements StripeLocks {
  private static final Logger LOG = LoggerFactory.getLogger(NodeThenClusterStripeLocks.class);

  private final LocalStripeLocks node;
  private final HazelcastStripeLocks cluster;

  public NodeThenClusterStripeLocks(LocalStripeLocks node, HazelcastStripeLocks cluster) {
    this.node = node;
    this.cluster = cluster;
  }

  @Override
  public Future<Lease> acquire(List<String> keys) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(cluster.timeoutMs());
    return node.acquire(keys, deadline).compose(local -> cluster.acquire(keys, deadline)
        .map(clustered -> new Lease(local.token() + " " + clustered.token(), keys))
        .recover(error -> node.release(local).transform(released -> Future.failedFuture(error))));
  }

  @Override
  public Future<Void> release(Lease lease) {
    String[] tokens = lease.token().split(" ", 2);
    cluster.release(new Lease(tokens[1], lease.keys()))
        .onFailure(error -> LOG.warn("releasing {} stripes in the cluster failed (they expire with their lease): {}",
            lease.keys().size(), error.getMessage()))
        .eventually(() -> node.release(new Lease(tokens[0], lease.keys())));
    return Future.succeededFuture();
  }
}
