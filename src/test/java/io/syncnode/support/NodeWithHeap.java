package io.syncnode.support;

import static io.syncnode.support.Await.await;

import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.HashMap;
import java.util.Map;

/**
 * A node in a JVM of its own with a given heap, on a database of the test class's own, with a small
 * pool to look at that database: for tests of what a node does with its memory.
 */
public final class NodeWithHeap implements AutoCloseable {
  public final TestDatabase db;
  public final Vertx vertx;
  /** A pool of the test's own on the node's database. */
  public final Pool inspect;
  public final int port;
  public final NodeProcess node;

  private NodeWithHeap(TestDatabase db, Vertx vertx, Pool inspect, int port, NodeProcess node) {
    this.db = db;
    this.vertx = vertx;
    this.inspect = inspect;
    this.port = port;
    this.node = node;
  }

  /** Starts the node with {@code -Xmx<heap>} and {@code env} (its HTTP port is chosen here) and waits until it listens. */
  public static NodeWithHeap start(Class<?> testClass, String heap, Map<String, String> env) throws Exception {
    TestDatabase db = TestDatabase.create(testClass);
    Vertx vertx = Vertx.vertx();
    int port = TestNode.freePort();
    Map<String, String> withPort = new HashMap<>(env);
    withPort.put("SYNCNODE_HTTP_PORT", Integer.toString(port));
    NodeProcess node = NodeProcess.startWithHeap(heap, db.environment(withPort));
    NodeWithHeap started = new NodeWithHeap(db, vertx, db.pool(vertx), port, node);
    node.awaitListening(60);
    return started;
  }

  @Override
  public void close() throws Exception {
    try {
      node.close();
      node.awaitExit(30);
      await(inspect.close());
    } finally {
      await(vertx.close());
      db.close();
    }
  }
}
