package io.syncnode.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import io.syncnode.config.NodeConfig.ClusterConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A node's place in the cluster: the clustered Vert.x instance and the Hazelcast member under it. */
public final class ClusterMembership {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterMembership.class);

  private final Vertx vertx;
  private final HazelcastClusterManager manager;
  private ClusterMembership(Vertx vertx, HazelcastClusterManager manager) {
    this.vertx = vertx;
    this.manager = manager;
  }

  /**
   * Starts a Hazelcast member on cluster.host:cluster.port, joins the members listed, and builds a
   * clustered Vert.x whose event bus also listens on cluster.host. Fails if that takes longer than
   * cluster.joinTimeoutMs. {@code vertxBuilder} makes the builder (with the node's metrics options).
   */
  public static Future<ClusterMembership> join(ClusterConfig cluster,
      java.util.function.Function<VertxOptions, io.vertx.core.VertxBuilder> vertxBuilder) {
    HazelcastClusterManager manager = new HazelcastClusterManager(HazelcastSettings.from(cluster));
    VertxOptions options = new VertxOptions().setEventBusOptions(new EventBusOptions()
        .setHost(cluster.host())
        .setClusterPublicHost(cluster.host())
        .setPort(cluster.eventBusPort()));
    long started = System.nanoTime();
    return vertxBuilder.apply(options).withClusterManager(manager).buildClustered()
        .timeout(cluster.joinTimeoutMs(), TimeUnit.MILLISECONDS)
        .map(vertx -> {
          HazelcastInstance hazelcast = manager.getHazelcastInstance();
          hazelcast.getCluster().addMembershipListener(new MembershipLogger());
          LOG.info("joined cluster '{}' as {} in {} ms: {} members {}", cluster.name(),
              hazelcast.getCluster().getLocalMember().getAddress(),
              TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
              hazelcast.getCluster().getMembers().size(), hazelcast.getCluster().getMembers());
          return new ClusterMembership(vertx, manager);
        });
  }

  public Vertx vertx() {
    return vertx;
  }

  public HazelcastInstance hazelcast() {
    return manager.getHazelcastInstance();
  }

  /** Logs members joining and leaving. */
  private static final class MembershipLogger implements MembershipListener {
    @Override
    public void memberAdded(MembershipEvent event) {
      LOG.info("member joined: {} ({} members)", event.getMember().getAddress(), event.getMembers().size());
    }

    @Override
    public void memberRemoved(MembershipEvent event) {
      LOG.info("member left: {} ({} members)", event.getMember().getAddress(), event.getMembers().size());
    }
  }
}
