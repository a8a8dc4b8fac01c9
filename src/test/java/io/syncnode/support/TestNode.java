package io.syncnode.support;

import io.syncnode.SyncNode;
import io.syncnode.cluster.ClusterMembership;
import io.syncnode.config.CurrentConfig;
import io.syncnode.metrics.NodeMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** A node running in the test's JVM on a free port, with a web client pointed at it. */
public final class TestNode {
  private static final int FIRST_PORT = 20000;
  /** Linux's ephemeral ports start at 32768. */
  private static final int PORT_BOUND = 32000;
  // each test JVM starts at its own place, so that two builds on one machine rarely meet
  private static final AtomicInteger NEXT_PORT =
      new AtomicInteger(FIRST_PORT + (int) (ProcessHandle.current().pid() % (PORT_BOUND - FIRST_PORT)));

  public final Vertx vertx;
  public final SyncNode node;
  public final WebClient client;
  public final Pool inspect;
  public final int port;

  private TestNode(Vertx vertx, SyncNode node, WebClient client, Pool inspect, int port) {
    this.vertx = vertx;
    this.node = node;
    this.client = client;
    this.inspect = inspect;
    this.port = port;
  }

  public static Future<TestNode> start(Vertx vertx, TestDatabase db) {
    return start(vertx, db, Map.of());
  }

  public static Future<TestNode> start(Vertx vertx, TestDatabase db, Map<String, String> env) {
    return start(vertx, db, env, null);
  }

  /** A node on a clustered Vert.x whose Hazelcast member is {@code hazelcast}. */
  public static Future<TestNode> start(Vertx vertx, TestDatabase db, Map<String, String> env,
      com.hazelcast.core.HazelcastInstance hazelcast) {
    return start(vertx, db, env, hazelcast, null);
  }

  /** A node on the clustered Vert.x of the cluster's member {@code index}, with the metrics that Vert.x reports to. */
  public static Future<TestNode> start(ClusterMembers cluster, int index, TestDatabase db, Map<String, String> env) {
    ClusterMembership member = cluster.members.get(index);
    return start(member.vertx(), db, env, member.hazelcast(), cluster.metrics.get(index));
  }

  /**
   * A node whose metrics are {@code metrics} ({@code vertx} built by {@link NodeMetrics#vertxBuilder}),
   * or metrics of its own if null.
   */
  public static Future<TestNode> start(Vertx vertx, TestDatabase db, Map<String, String> env,
      com.hazelcast.core.HazelcastInstance hazelcast, NodeMetrics metrics) {
    int port = freePort();
    Map<String, String> all = new HashMap<>(env);
    all.put("SYNCNODE_HTTP_PORT", Integer.toString(port));
    if (hazelcast != null) {
      all.put("SYNCNODE_CLUSTER_ENABLED", "true");
    }
    // Loaded as a node process loads it, so that a test may reload it (node.config().reload(...)).
    CurrentConfig config = CurrentConfig.load(null, db.environment(all));
    Future<SyncNode> started = SyncNode.start(vertx, config, hazelcast,
        metrics != null ? metrics : NodeMetrics.create(config.get().metrics().enabled()));
    return started.map(node -> new TestNode(vertx, node,
        WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)),
        db.pool(vertx), port));
  }

  public Future<HttpResponse<Buffer>> post(String path, JsonObject body) {
    return client.post(path).putHeader("Content-Type", "application/json").sendBuffer(body.toBuffer());
  }

  public Future<HttpResponse<Buffer>> postRaw(String path, String body, String contentType) {
    var request = client.post(path);
    if (contentType != null) {
      request.putHeader("Content-Type", contentType);
    }
    return request.sendBuffer(Buffer.buffer(body));
  }

  public Future<Void> stop() {
    client.close();
    return inspect.close().compose(v -> node.stop());
  }

  /** Starts a node and waits for it, from a test's set-up. */
  public static TestNode startAndWait(Vertx vertx, TestDatabase db, Map<String, String> env) throws Exception {
    return startAndWait(vertx, db, env, null);
  }

  /** Starts a node with {@code metrics} (see {@link #start(Vertx, TestDatabase, Map, com.hazelcast.core.HazelcastInstance, NodeMetrics)}). */
  public static TestNode startAndWait(Vertx vertx, TestDatabase db, Map<String, String> env, NodeMetrics metrics)
      throws Exception {
    return start(vertx, db, env, null, metrics)
        .await(60, java.util.concurrent.TimeUnit.SECONDS);
  }

  /** A test class's tear-down: stops the node, closes its Vert.x instance, drops the database. */
  public static void stopAndDrop(TestNode node, Vertx vertx, TestDatabase db) throws Exception {
    try {
      stopAndClose(node, vertx);
    } finally {
      db.close();
    }
  }

  /** Stops the node, then closes its Vert.x instance, both from the calling (test) thread. */
  public static void stopAndClose(TestNode node, Vertx vertx) throws Exception {
    try {
      if (node != null) {
        node.stop().await(60, java.util.concurrent.TimeUnit.SECONDS);
      }
    } finally {
      vertx.close().await(30, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  /**
   * A port nothing listens on, below Linux's range of ephemeral ports: a port of that range
   * (what binding port 0 gives) can be taken by any outbound connection, such as one cluster
   * member's to another, between this choice and the node's bind.
   */
  public static int freePort() {
    for (int attempt = 0; attempt < 1000; attempt++) {
      int port = NEXT_PORT.getAndUpdate(p -> p + 1 < PORT_BOUND ? p + 1 : FIRST_PORT);
      try (ServerSocket socket = new ServerSocket(port)) {
        return socket.getLocalPort();
      } catch (IOException taken) {
        // try the next one
      }
    }
    throw new UncheckedIOException(new IOException("no free port between " + FIRST_PORT + " and " + PORT_BOUND));
  }

}
