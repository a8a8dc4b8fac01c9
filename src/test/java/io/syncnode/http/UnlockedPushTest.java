package io.syncnode.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncnode.support.Entities;
import io.syncnode.support.TestDatabase;
import io.syncnode.support.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * With {@code locks.mode=none} concurrent batches creating the same new ids reach PostgreSQL at
 * once: the write of the later one must fail and be decided again, never accepted twice.
 */
@ExtendWith(VertxExtension.class)
class UnlockedPushTest {
  private static Vertx vertx;
  private static TestDatabase db;
  private static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    db = TestDatabase.create(UnlockedPushTest.class);
    node = TestNode.startAndWait(vertx, db, Map.of("SYNCNODE_LOCKS_MODE", "none"));
  }

  @AfterAll
  static void stop() throws Exception {
    TestNode.stopAndDrop(node, vertx, db);
  }

  @Test
  void devicesCreatingTheSameIdsAtOnceGetEachIdAcceptedOnce(VertxTestContext test) {
    List<Future<List<JsonObject>>> rounds = new ArrayList<>();
    List<List<String>> roundIds = new ArrayList<>();
    for (int round = 0; round < 20; round++) {
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        ids.add("race-" + UUID.randomUUID());
      }
      roundIds.add(ids);
      List<Future<JsonObject>> pushes = new ArrayList<>();
      for (String device : List.of("a-" + round, "b-" + round, "c-" + round)) {
        List<JsonObject> memories = new ArrayList<>();
        for (String id : ids) {
          memories.add(Entities.memory(id, "from " + device, new JsonObject().put(device, 1)));
        }
        pushes.add(push(device, memories));
      }
      rounds.add(Future.all(pushes).map(done -> pushes.stream().map(Future::result).toList()));
    }
    Future.all(rounds).onComplete(test.succeeding(all -> test.verify(() -> {
      for (Future<List<JsonObject>> round : rounds) {
        int accepted = 0;
        int conflicts = 0;
        for (JsonObject result : round.result()) {
          accepted += result.getInteger("accepted");
          conflicts += result.getJsonArray("conflicts").size();
        }
        assertThat(accepted).as("each of the 50 ids accepted from exactly one device").isEqualTo(50);
        assertThat(conflicts).as("the two other devices' versions are conflicts").isEqualTo(100);
      }
      test.completeNow();
    })));
  }

  private static Future<JsonObject> push(String device, List<JsonObject> memories) {
    JsonObject body = new JsonObject().put("device_id", device).put("memories", new io.vertx.core.json.JsonArray(memories));
    return node.post("/api/sync/push", body).map(response -> {
      assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
      return response.bodyAsJsonObject();
    });
  }
}
