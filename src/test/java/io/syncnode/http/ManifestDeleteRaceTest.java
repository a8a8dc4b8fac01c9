package io.syncnode.http;

import static io.syncnode.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.syncnode.support.ContextfsDevice;
import io.syncnode.support.TestDatabase;
import io.syncnode.support.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Manifest tombstones racing pushes of the same rows, with locks.mode=none so that only PostgreSQL
 * guards them: for each id either the delete wins (and the push, concurrent with it, is not
 * accepted) or the push wins (and the delete, of a version the device had not seen, is refused).
 */
class ManifestDeleteRaceTest {
  private static final int IDS = 200;
  private static final int BATCH = 5;
  private static Vertx vertx;
  private static TestDatabase db;
  private static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    db = TestDatabase.create(ManifestDeleteRaceTest.class);
    vertx = Vertx.vertx();
    node = TestNode.startAndWait(vertx, db, Map.of("SYNCNODE_LOCKS_MODE", "none"));
  }

  @AfterAll
  static void stop() throws Exception {
    TestNode.stopAndDrop(node, vertx, db);
  }

  private static Future<JsonObject> post(String endpoint, JsonObject body) {
    return node.post("/api/sync/" + endpoint, body).map(response -> {
      assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
      return response.bodyAsJsonObject();
    });
  }

  @Test
  void eachIdIsEitherDeletedOrOverwrittenNeverBoth() throws Exception {
    String oldHash = ContextfsDevice.contentHash("old");
    JsonArray memories = new JsonArray();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < IDS; i++) {
      String id = "race-" + i;
      ids.add(id);
      memories.add(new JsonObject().put("id", id).put("content", "old").put("content_hash", oldHash)
          .put("vector_clock", new JsonObject().put("laptop", 1)));
    }
    await(post("push", new JsonObject().put("device_id", "laptop").put("memories", memories)));

    // the laptop deletes every memory, the desktop (which has the stored clock) edits every one, in
    // interleaved batches sent all at once
    Set<String> deleted = java.util.Collections.synchronizedSet(new HashSet<>());
    Set<String> refused = java.util.Collections.synchronizedSet(new HashSet<>());
    Set<String> overwritten = java.util.Collections.synchronizedSet(new HashSet<>());
    List<Future<?>> requests = new ArrayList<>();
    for (int from = 0; from < IDS; from += BATCH) {
      JsonArray manifest = new JsonArray();
      JsonArray edits = new JsonArray();
      for (String id : ids.subList(from, from + BATCH)) {
        manifest.add(new JsonObject().put("id", id).put("content_hash", oldHash)
            .put("updated_at", ContextfsDevice.now()).put("deleted_at", ContextfsDevice.now()));
        edits.add(new JsonObject().put("id", id).put("content", "new").put("content_hash", ContextfsDevice.contentHash("new"))
            .put("vector_clock", new JsonObject().put("laptop", 2).put("desktop", 1)));
      }
      requests.add(post("diff", new JsonObject().put("device_id", "laptop").put("memories", manifest)
          .put("namespace_ids", new JsonArray().add("nowhere"))).onSuccess(diff -> {
            diff.getJsonObject("applied_deletes").getJsonArray("memory_ids").forEach(id -> deleted.add((String) id));
            diff.getJsonObject("refused_deletes").getJsonArray("memory_ids").forEach(id -> refused.add((String) id));
          }));
      requests.add(post("push", new JsonObject().put("device_id", "desktop").put("memories", edits))
          .onSuccess(push -> push.getJsonArray("pushed_items")
              .forEach(item -> overwritten.add(((JsonObject) item).getString("id")))));
    }
    await(Future.all(requests));

    Set<String> both = new HashSet<>(deleted);
    both.retainAll(overwritten);
    assertThat(both).as("ids both deleted and overwritten").isEmpty();
    // every id went one way or the other, and both ways happened: the requests overlapped
    Set<String> decided = new HashSet<>(deleted);
    decided.addAll(overwritten);
    assertThat(decided).hasSize(IDS);
    assertThat(refused).isEqualTo(overwritten);
    assertThat(deleted).isNotEmpty();
    assertThat(overwritten).isNotEmpty();
    for (Row row : await(node.inspect.query("SELECT id, content, deleted_at FROM memories").execute())) {
      String id = row.getString("id");
      if (deleted.contains(id)) {
        assertThat(row.getValue("deleted_at")).as(id).isNotNull();
        assertThat(row.getString("content")).as(id).isEqualTo("old");
      } else {
        assertThat(row.getValue("deleted_at")).as(id).isNull();
        assertThat(row.getString("content")).as(id).isEqualTo("new");
      }
    }
  }
}
