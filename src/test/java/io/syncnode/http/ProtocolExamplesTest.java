package io.syncnode.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncnode.support.ProtocolExamples;
import io.syncnode.support.TestDatabase;
import io.syncnode.support.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The requests the real contextfs client produces (test resources under protocol/examples, byte for byte), sent as they are:
 * each is answered 200 with the documented shape.
 */
@ExtendWith(VertxExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProtocolExamplesTest {
  private static Vertx vertx;
  private static TestDatabase db;
  private static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    db = TestDatabase.create(ProtocolExamplesTest.class);
    node = TestNode.start(vertx, db).await(30, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    TestNode.stopAndClose(node, vertx);
    db.close();
  }

  private static String example(String name) {
    return ProtocolExamples.text(name);
  }

  private static Future<JsonObject> send(String endpoint, String body) {
    return node.postRaw("/api/sync/" + endpoint, body, "application/json").map(response -> {
      assertThat(response.statusCode()).as(endpoint + ": " + response.bodyAsString()).isEqualTo(200);
      assertThat(response.getHeader("Content-Type")).isEqualTo("application/json");
      return response.bodyAsJsonObject();
    });
  }

  @Test
  @Order(1)
  void register(VertxTestContext test) throws IOException {
    send("register", example("register")).onComplete(test.succeeding(device -> test.verify(() -> {
      assertThat(device.fieldNames()).containsExactlyInAnyOrder(
          "device_id", "device_name", "platform", "client_version", "registered_at", "last_sync_at", "sync_cursor");
      assertThat(device.getString("device_id")).isEqualTo("laptop-0a1b2c3d4e5f");
      assertThat(device.getString("device_name")).isEqualTo("laptop");
      assertThat(device.getString("platform")).isEqualTo("darwin");
      assertThat(device.getString("client_version")).isEqualTo("0.1.0");
      assertThat(device.getString("registered_at")).endsWith("Z");
      test.completeNow();
    })));
  }

  @Test
  @Order(2)
  void push(VertxTestContext test) throws IOException {
    send("push", example("push")).onComplete(test.succeeding(result -> test.verify(() -> {
      assertThat(result.getBoolean("success")).isTrue();
      assertThat(result.getString("status")).isEqualTo("success");
      assertThat(result.getInteger("accepted")).isEqualTo(3);
      assertThat(result.getInteger("rejected")).isZero();
      assertThat(result.getInteger("accepted_memories")).isEqualTo(1);
      assertThat(result.getInteger("accepted_sessions")).isEqualTo(1);
      assertThat(result.getInteger("rejected_memories")).isZero();
      assertThat(result.getJsonArray("conflicts")).isEmpty();
      assertThat(result.getString("server_timestamp")).isNotNull();
      assertThat(result.getJsonArray("pushed_items")).containsExactly(new JsonObject()
          .put("id", "mem-7f3a").put("type", "decision").put("summary", "pipelining")
          .put("namespace_id", "repo-syncnode"));
      test.completeNow();
    })));
  }

  @Test
  @Order(3)
  void pull(VertxTestContext test) throws IOException {
    // The example asks for changes since a time in the past, so everything pushed above is returned.
    send("pull", example("pull")).onComplete(test.succeeding(result -> test.verify(() -> {
      assertThat(result.fieldNames()).contains("success", "memories", "sessions", "edges", "server_timestamp",
          "has_more", "next_cursor", "next_offset");
      assertThat(result.getBoolean("success")).isTrue();
      assertThat(result.getBoolean("has_more")).isFalse();
      JsonObject memory = result.getJsonArray("memories").getJsonObject(0);
      assertThat(memory.getString("id")).isEqualTo("mem-7f3a");
      assertThat(memory.getJsonObject("vector_clock"))
          .isEqualTo(new JsonObject().put("desktop-99", 1).put("laptop-0a1b2c3d4e5f", 4));
      assertThat(memory.getJsonObject("metadata")).isEqualTo(new JsonObject()
          .put("_vector_clock", new JsonObject().put("laptop-0a1b2c3d4e5f", 3)).put("confidence", 0.9));
      assertThat(memory.getJsonArray("embedding")).isEqualTo(new JsonArray().add(0.0125).add(-0.5).add(0.25));
      assertThat(result.getJsonArray("sessions").getJsonObject(0).getString("id")).isEqualTo("sess-1");
      JsonObject edge = result.getJsonArray("edges").getJsonObject(0);
      assertThat(edge.getString("id")).isEqualTo("mem-7f3a:mem-0001:relates_to");
      assertThat(edge.getDouble("weight")).isEqualTo(0.75);
      test.completeNow();
    })));
  }

  @Test
  @Order(4)
  void status(VertxTestContext test) throws IOException {
    send("status", example("status")).onComplete(test.succeeding(result -> test.verify(() -> {
      assertThat(result.fieldNames()).containsExactlyInAnyOrder(
          "device_id", "last_sync_at", "pending_push_count", "pending_pull_count", "server_timestamp",
          "pending_pull_memories", "pending_pull_sessions", "pending_pull_edges");
      assertThat(result.getString("device_id")).isEqualTo("laptop-0a1b2c3d4e5f");
      assertThat(result.getInteger("pending_push_count")).isZero();
      assertThat(result.getInteger("pending_pull_count")).isZero();
      assertThat(result.getString("last_sync_at")).isNotNull();
      test.completeNow();
    })));
  }

  @Test
  @Order(5)
  void diff(VertxTestContext test) throws IOException {
    send("diff", example("diff")).onComplete(test.succeeding(result -> test.verify(() -> {
      // mem-7f3a has the same hash on both sides; mem-local-only exists only on the client.
      assertThat(result.getJsonArray("missing_memories")).isEmpty();
      assertThat(result.getJsonArray("server_missing_memory_ids")).containsExactly("mem-local-only");
      assertThat(result.getJsonArray("missing_sessions")).isEmpty();
      assertThat(result.getJsonArray("missing_edges")).isEmpty();
      assertThat(result.getJsonArray("server_missing_session_ids")).isEmpty();
      assertThat(result.getJsonArray("server_missing_edge_ids")).isEmpty();
      assertThat(result.getInteger("total_missing")).isZero();
      assertThat(result.getInteger("total_server_missing")).isEqualTo(1);
      assertThat(result.getInteger("total_updated")).isZero();
      assertThat(result.getInteger("total_deleted")).isZero();
      assertThat(result.getBoolean("success")).isTrue();
      assertThat(result.getBoolean("has_more")).isFalse();
      test.completeNow();
    })));
  }
}
