package io.syncnode.http.live;

import static io.syncnode.support.Await.await;
import static io.syncnode.support.Entities.clock;
import static org.assertj.core.api.Assertions.assertThat;

import io.syncnode.support.ApiKeys;
import io.syncnode.support.Entities;
import io.syncnode.support.SseListener;
import io.syncnode.support.TestDatabase;
import io.syncnode.support.TestNode;
import io.syncnode.support.WsListener;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Live updates with auth.mode=api-key: keys are checked, and a tenant's listeners hear only its own changes. */
class LiveTenantsTest {
  private static Vertx vertx;
  private static TestDatabase db;
  private static TestNode node;
  private static String alice;
  private static String bob;

  @BeforeAll
  static void start() throws Exception {
    db = TestDatabase.create(LiveTenantsTest.class);
    alice = ApiKeys.create(db, "alice");
    bob = ApiKeys.create(db, "bob");
    vertx = Vertx.vertx();
    node = TestNode.startAndWait(vertx, db, Map.of("SYNCNODE_AUTH_MODE", "api-key"));
  }

  @AfterAll
  static void stop() throws Exception {
    TestNode.stopAndDrop(node, vertx, db);
  }



  private static void push(String key, JsonObject body) throws Exception {
    var response = await(node.client.post("/api/sync/push").putHeader("X-API-Key", key)
        .putHeader("Content-Type", "application/json").sendBuffer(body.toBuffer()));
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
  }

  @Test
  void aSocketWithABadKeyIsClosedWith4001() throws Exception {
    String forged = alice.substring(0, alice.length() - 4) + "AAAA";
    try (WsListener socket = WsListener.connect(vertx, node.port, "/ws/memories?api_key=" + forged)) {
      assertThat(socket.awaitClose()).isEqualTo((short) 4001);
      assertThat(socket.closeReason()).isEqualTo("Invalid API key");
    }
    try (WsListener socket = WsListener.connect(vertx, node.port, "/ws/memories?api_key=not-a-key")) {
      assertThat(socket.awaitClose()).isEqualTo((short) 4001);
    }
  }

  @Test
  void aSocketWithoutAKeyIsClosedWith4001() throws Exception {
    try (WsListener socket = WsListener.connect(vertx, node.port, "/ws/memories")) {
      assertThat(socket.awaitClose()).isEqualTo((short) 4001);
      assertThat(socket.closeReason()).isEqualTo("API key required");
    }
  }

  @Test
  void aSocketHearsOnlyItsTenantsChanges() throws Exception {
    try (WsListener bobs = WsListener.connected(vertx, node.port, "/ws/memories?api_key=" + bob)) {
      push(alice, Entities.pushMemories("alice-laptop", Entities.memory("same-id", "alice's", clock("alice-laptop", 1))));
      push(bob, Entities.pushMemories("bob-laptop", Entities.memory("bobs-only", "bob's", clock("bob-laptop", 1))));

      JsonObject first = bobs.next();
      assertThat(first.getString("type")).isEqualTo("memory_created");
      assertThat(first.getJsonObject("data").getJsonArray("memory_ids")).containsExactly("bobs-only");
    }
  }

  @Test
  void anEventStreamNeedsAValidKeyAndACursorThisServerIssued() throws Exception {
    try (SseListener none = SseListener.open(vertx, node.port, "/api/sync/events", Map.of())) {
      assertThat(none.status()).isEqualTo(401);
    }
    try (SseListener revoked = SseListener.open(vertx, node.port, "/api/sync/events",
        Map.of("X-API-Key", alice.substring(0, alice.length() - 4) + "AAAA"))) {
      assertThat(revoked.status()).isEqualTo(401);
    }
    var refused = await(node.client.get("/api/sync/events").putHeader("X-API-Key", alice)
        .putHeader("Last-Event-ID", "42").send());
    assertThat(refused.statusCode()).isEqualTo(422);
    assertThat(refused.bodyAsJsonObject().getString("field")).isEqualTo("Last-Event-ID");
  }

  @Test
  void anEventStreamCarriesOnlyItsTenantsChanges() throws Exception {
    try (SseListener bobs = SseListener.started(vertx, node.port, Map.of("X-API-Key", bob))) {
      push(alice, Entities.pushMemories("alice-laptop", Entities.memory("stream-id", "alice's", clock("alice-laptop", 1))));
      push(bob, Entities.pushMemories("bob-laptop", Entities.memory("bobs-stream", "bob's", clock("bob-laptop", 1))));

      SseListener.Event first = bobs.next();
      assertThat(first.name()).isEqualTo("memory");
      assertThat(first.json().getString("id")).isEqualTo("bobs-stream");
      assertThat(first.json().getString("content")).isEqualTo("bob's");
    }
  }
}
