package io.syncnode.support;

import io.syncnode.cluster.ClusterMembership;
import io.syncnode.config.NodeConfig.ClusterConfig;
import io.syncnode.metrics.NodeMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** Clustered Vert.x instances in this JVM, each with its own Hazelcast member on loopback. */
public final class ClusterMembers implements AutoCloseable {
  public final List<ClusterMembership> members = new ArrayList<>();
  /** The metrics each member's Vert.x reports to, by member. */
  public final List<NodeMetrics> metrics = new ArrayList<>();

  private ClusterMembers() {}

  public static ClusterMembers start(int size) throws Exception {
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      ports.add(TestNode.freePort());
    }
    List<String> addresses = ports.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.toList());
    String name = "syncnode-test-" + UUID.randomUUID().toString().substring(0, 8);
    ClusterMembers cluster = new ClusterMembers();
    try {
      for (int port : ports) {
        ClusterConfig config = new ClusterConfig(true, name, "127.0.0.1", port, addresses, 60_000, 10, 0, 0);
        NodeMetrics metrics = NodeMetrics.create(true);
        cluster.members.add(ClusterMembership.join(config, metrics::vertxBuilder).await(90, TimeUnit.SECONDS));
        cluster.metrics.add(metrics);
      }
      // Claims made while partitions still migrate may have no backup yet.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!cluster.members.get(0).hazelcast().getPartitionService().isClusterSafe()) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("cluster not safe within 60 s");
        }
        Thread.sleep(100);
      }
    } catch (Exception e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  @Override
  public void close() {
    for (ClusterMembership member : members) {
      try {
        member.vertx().close().await(30, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // already gone (a test may have killed it)
      }
    }
  }
}
