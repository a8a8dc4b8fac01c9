package io.syncnode.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.syncnode.config.NodeConfig.ClusterConfig;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import java.util.List;

/** The Hazelcast member configuration: cluster.xml (see conf/cluster.xml) with the node's cluster.* keys applied. */
public final class HazelcastSettings {
  private HazelcastSettings() {}

  public static Config from(ClusterConfig cluster) {
    // Starting from Vert.x's loader keeps the maps the Vert.x cluster manager needs.
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(cluster.name());
    config.setProperty("hazelcast.local.localAddress", cluster.host());
    config.setProperty("hazelcast.socket.bind.any", "false");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", Integer.toString(cluster.heartbeatTimeoutSeconds()));
    config.setProperty("hazelcast.max.join.seconds", Long.toString(Math.max(1, cluster.joinTimeoutMs() / 1000)));
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(cluster.port()).setPortAutoIncrement(false).setPublicAddress(cluster.host() + ":" + cluster.port());
    network.getInterfaces().setEnabled(false);
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getAwsConfig().setEnabled(false);
    join.getGcpConfig().setEnabled(false);
    join.getAzureConfig().setEnabled(false);
    join.getKubernetesConfig().setEnabled(false);
    join.getEurekaConfig().setEnabled(false);
    List<String> members = cluster.members().isEmpty() ? List.of(cluster.host() + ":" + cluster.port()) : cluster.members();
    join.getTcpIpConfig().setEnabled(true).setMembers(members);
    // whatever the file says: the lock table is updated in place, not deserialized on every claim
    config.getMapConfig(HazelcastStripeLocks.MAP).setInMemoryFormat(InMemoryFormat.OBJECT);
    return config;
  }
}
