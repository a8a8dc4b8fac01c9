package io.syncnode.support;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** N node processes on loopback forming one cluster on one test database. */
public final class LocalCluster implements AutoCloseable {
  public final List<NodeProcess> nodes = new ArrayList<>();
  public final List<Integer> httpPorts = new ArrayList<>();
  private final List<Map<String, String>> environments = new ArrayList<>();

  private LocalCluster() {}

  /**
   * Starts the nodes one after the other (each joins the ones before it, which is faster than a
   * simultaneous start) and waits until every node sees all {@code size} members.
   */
  public static LocalCluster start(TestDatabase db, int size, Map<String, String> env) throws Exception {
    LocalCluster cluster = new LocalCluster();
    List<Integer> clusterPorts = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      cluster.httpPorts.add(TestNode.freePort());
      clusterPorts.add(TestNode.freePort());
    }
    String members = clusterPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    try {
      for (int i = 0; i < size; i++) {
        Map<String, String> nodeEnv = new HashMap<>(env);
        nodeEnv.put("SYNCNODE_HTTP_PORT", Integer.toString(cluster.httpPorts.get(i)));
        nodeEnv.put("SYNCNODE_CLUSTER_ENABLED", "true");
        nodeEnv.put("SYNCNODE_CLUSTER_NAME", "syncnode-test-" + clusterPorts.get(0));
        nodeEnv.put("SYNCNODE_CLUSTER_PORT", Integer.toString(clusterPorts.get(i)));
        nodeEnv.put("SYNCNODE_CLUSTER_MEMBERS", members);
        cluster.environments.add(db.environment(nodeEnv));
        NodeProcess node = NodeProcess.start(cluster.environments.get(i));
        cluster.nodes.add(node);
        node.awaitListening(120);
      }
      for (NodeProcess node : cluster.nodes) {
        node.awaitOutput(size + " members", 60);
      }
    } catch (Exception e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  /** Starts node {@code i} again (after it was killed) as it was started, and waits until it listens. */
  public void restart(int i) throws Exception {
    nodes.get(i).close();
    NodeProcess node = NodeProcess.start(environments.get(i));
    nodes.set(i, node);
    node.awaitListening(120);
  }

  /** Stops every node still running with SIGTERM and returns their exit codes. */
  public List<Integer> stop() throws Exception {
    List<Integer> exits = new ArrayList<>();
    for (NodeProcess node : nodes) {
      if (node.isAlive()) {
        node.terminate();
      }
    }
    for (NodeProcess node : nodes) {
      exits.add(node.awaitExit(60));
    }
    return exits;
  }

  @Override
  public void close() {
    nodes.forEach(NodeProcess::close);
  }
}
