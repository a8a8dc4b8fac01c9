package io.syncnode.cluster;

import static io.syncnode.support.Entities.clock;
import static org.assertj.core.api.Assertions.assertThat;

import io.syncnode.support.ClusterMembers;
import io.syncnode.support.Entities;
import io.syncnode.support.TestDatabase;
import io.syncnode.support.TestNode;
import io.syncnode.support.WsListener;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two clustered nodes on one database: listeners on node B hear what is pushed through node A. */
class LiveAcrossNodesTest {
  private static TestDatabase db;
  private static ClusterMembers cluster;
  private static TestNode a;
  private static TestNode b;

  @BeforeAll
  static void start() throws Exception {
    db = TestDatabase.create(LiveAcrossNodesTest.class);
    cluster = ClusterMembers.start(2);
    Map<String, String> env = Map.of("SYNCNODE_LIVE_PINGINTERVALMS", "300");
    a = await(TestNode.start(cluster.members.get(0).vertx(), db, env, cluster.members.get(0).hazelcast()));
    b = await(TestNode.start(cluster.members.get(1).vertx(), db, env, cluster.members.get(1).hazelcast()));
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      await(a.stop());
      await(b.stop());
      cluster.close();
    } finally {
      db.close();
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private static void push(TestNode node, JsonObject body) throws Exception {
    var response = await(node.post("/api/sync/push", body));
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
  }

  @Test
  void aSocketOnNodeBHearsMemoriesCreatedUpdatedAndDeletedThroughNodeA() throws Exception {
    try (WsListener socket = WsListener.connected(b.vertx, b.port, "/ws/memories")) {
      push(a, Entities.pushMemories("laptop",
          Entities.memory("ws-1", "one", clock("laptop", 1)), Entities.memory("ws-2", "two", clock("laptop", 1))));
      push(a, Entities.pushMemories("laptop", Entities.memory("ws-1", "one, better", clock("laptop", 2))));
      push(a, Entities.pushMemories("laptop",
          Entities.memory("ws-2", "two", clock("laptop", 2)).put("deleted_at", "2025-12-03T09:00:00Z")));
      push(a, Entities.push("laptop", new JsonArray(),
          new JsonArray().add(Entities.session("ws-session", "not a memory", clock("laptop", 1))),
          new JsonArray()));
      push(a, Entities.pushMemories("laptop", Entities.memory("ws-3", "three", clock("laptop", 1))));

      assertThat(socket.next()).isEqualTo(new JsonObject("""
          {"type": "memory_created", "data": {"count": 2, "memory_ids": ["ws-1", "ws-2"]}}"""));
      assertThat(socket.next()).isEqualTo(new JsonObject("""
          {"type": "memory_updated", "data": {"memory_id": "ws-1"}}"""));
      assertThat(socket.next()).isEqualTo(new JsonObject("""
          {"type": "memory_deleted", "data": {"memory_id": "ws-2"}}"""));
      // sessions are not announced on this socket
      assertThat(socket.next()).isEqualTo(new JsonObject("""
          {"type": "memory_created", "data": {"count": 1, "memory_ids": ["ws-3"]}}"""));
    }
  }

  @Test
  void aSocketIsPingedAndAnswersPings() throws Exception {
    try (WsListener socket = WsListener.connect(b.vertx, b.port, "/ws/memories")) {
      assertThat(socket.next()).isEqualTo(new JsonObject("""
          {"type": "connected", "data": {"tenant": "default", "ping_interval_ms": 300}}"""));
      assertThat(socket.next(message -> true)).isEqualTo(new JsonObject("{\"type\": \"ping\"}"));
      socket.send("{\"type\": \"pong\"}");
      socket.send("{\"type\": \"ping\"}");
      assertThat(socket.next()).isEqualTo(new JsonObject("{\"type\": \"pong\"}"));
    }
  }
}
