package io.syncnode.cluster;

import static io.syncnode.support.Await.await;
import static io.syncnode.support.Entities.clock;
import static org.assertj.core.api.Assertions.assertThat;

import io.syncnode.protocol.FeedCursor;
import io.syncnode.support.ClusterMembers;
import io.syncnode.support.Entities;
import io.syncnode.support.SseListener;
import io.syncnode.support.TestDatabase;
import io.syncnode.support.TestNode;
import io.syncnode.support.WsListener;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
    a = await(TestNode.start(cluster, 0, db, env));
    b = await(TestNode.start(cluster, 1, db, env));
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
  void aManifestTombstoneAppliedOnNodeAIsHeardOnNodeB() throws Exception {
    // the socket listens before the push: the push's own event reaches node B after its answer, and
    // is awaited, so that it cannot be taken for the tombstone's
    try (WsListener socket = WsListener.connected(b.vertx, b.port, "/ws/memories")) {
      push(a, Entities.pushMemories("laptop", Entities.memory("ws-manifest", "deleted by a manifest", clock("laptop", 1))
          .put("content_hash", "hash-of-it")));
      assertThat(socket.next(message -> !"ping".equals(message.getString("type")))).isEqualTo(new JsonObject("""
          {"type": "memory_created", "data": {"count": 1, "memory_ids": ["ws-manifest"]}}"""));
      var diff = await(a.post("/api/sync/diff", new JsonObject().put("device_id", "laptop")
          .put("memories", new JsonArray().add(new JsonObject().put("id", "ws-manifest")
              .put("content_hash", "hash-of-it").put("deleted_at", "2025-12-04T08:00:00Z")))));
      assertThat(diff.statusCode()).as(diff.bodyAsString()).isEqualTo(200);
      assertThat(diff.bodyAsJsonObject().getJsonObject("applied_deletes").getJsonArray("memory_ids"))
          .containsExactly("ws-manifest");
      assertThat(socket.next(message -> !"ping".equals(message.getString("type")))).isEqualTo(new JsonObject("""
          {"type": "memory_deleted", "data": {"memory_id": "ws-manifest"}}"""));
    }
  }

  @Test
  void anEventStreamOnNodeBCarriesEveryChangePushedThroughNodeAAsPullsReturnIt() throws Exception {
    try (SseListener stream = SseListener.started(b.vertx, b.port, Map.of())) {
      push(a, Entities.push("laptop",
          new JsonArray().add(Entities.memory("sse-m", "remember this", clock("laptop", 1))),
          new JsonArray().add(Entities.session("sse-s", "a session", clock("laptop", 1))),
          new JsonArray().add(Entities.edge("sse-m", "sse-s", "relates_to", clock("laptop", 1)))));

      Map<String, SseListener.Event> byName = new HashMap<>();
      long previous = -1;
      for (int i = 0; i < 3; i++) {
        SseListener.Event event = stream.next();
        long position = FeedCursor.decode(event.id(), "id");
        assertThat(position).isGreaterThan(previous);
        previous = position;
        byName.put(event.name(), event);
      }
      assertThat(byName).containsOnlyKeys("memory", "session", "edge");
      JsonObject pulled = await(a.post("/api/sync/pull", Entities.pull("reader", null, 1000, 0))).bodyAsJsonObject();
      assertThat(byName.get("memory").json()).isEqualTo(find(pulled.getJsonArray("memories"), "sse-m"));
      assertThat(byName.get("session").json()).isEqualTo(find(pulled.getJsonArray("sessions"), "sse-s"));
      assertThat(byName.get("edge").json()).isEqualTo(find(pulled.getJsonArray("edges"), "sse-m:sse-s:relates_to"));
    }
  }

  private static JsonObject find(JsonArray entities, String id) {
    for (int i = 0; i < entities.size(); i++) {
      if (entities.getJsonObject(i).getString("id").equals(id)) {
        return entities.getJsonObject(i);
      }
    }
    throw new AssertionError(id + " not pulled");
  }

  @Test
  void anEventStreamResumedWithLastEventIdGetsExactlyWhatItMissed() throws Exception {
    String lastSeen;
    try (SseListener first = SseListener.started(b.vertx, b.port, Map.of())) {
      for (String id : List.of("r-1", "r-2", "r-3")) {
        push(a, Entities.pushMemories("laptop", Entities.memory(id, id, clock("laptop", 1))));
      }
      assertThat(List.of(first.next().json().getString("id"), first.next().json().getString("id"),
          first.next().json().getString("id"))).containsExactly("r-1", "r-2", "r-3");
      lastSeen = first.lastEventId();
    }
    push(a, Entities.pushMemories("laptop", Entities.memory("r-4", "four", clock("laptop", 1))));
    push(b, Entities.pushMemories("phone", Entities.memory("r-5", "five", clock("phone", 1))));
    push(a, Entities.push("laptop", new JsonArray(),
        new JsonArray().add(Entities.session("r-s", "missed too", clock("laptop", 1))), new JsonArray()));
    push(a, Entities.pushMemories("laptop", Entities.memory("r-1", "one, changed", clock("laptop", 2))));

    try (SseListener resumed = SseListener.started(a.vertx, a.port, Map.of("Last-Event-ID", lastSeen))) {
      push(b, Entities.pushMemories("phone", Entities.memory("r-last", "after the reconnect", clock("phone", 1))));
      List<String> received = new ArrayList<>();
      while (!received.contains("r-last")) {
        received.add(resumed.next().json().getString("id"));
      }
      assertThat(received).containsExactly("r-4", "r-5", "r-s", "r-1", "r-last");
    }
  }

  /** A change whose transaction commits after a later one's reaches the stream first, once it can no longer be missed. */
  @Test
  void anEventStreamWaitsForATransactionThatCommitsLate() throws Exception {
    SqlConnection conn = await(b.inspect.getConnection());
    try (SseListener stream = SseListener.started(b.vertx, b.port, Map.of())) {
      Transaction tx = await(conn.begin());
      await(conn.preparedQuery(SLOW_WRITE).execute(Tuple.of("late-slow")));
      push(a, Entities.pushMemories("laptop", Entities.memory("late-fast", "fast", clock("laptop", 1))));
      await(tx.commit());

      assertThat(stream.next().json().getString("id")).isEqualTo("late-slow");
      assertThat(stream.next().json().getString("id")).isEqualTo("late-fast");
    } finally {
      await(conn.close());
    }
  }

  /** A write as a node makes it, from a transaction the test keeps open. */
  private static final String SLOW_WRITE = "INSERT INTO memories (tenant_id, id, vector_clock, created_at, updated_at,"
      + " content, type, tags, namespace_id, metadata, change_pos, changed_at)"
      + " VALUES ('default', $1, '{}', now(), now(), 'slow', 'fact', '{}', 'global', '{}',"
      + " pg_current_xact_id()::text::bigint * 1048576 + 1, statement_timestamp())";

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
