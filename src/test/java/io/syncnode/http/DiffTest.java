package io.syncnode.http;

import static io.syncnode.support.Entities.clock;
import static org.assertj.core.api.Assertions.assertThat;

import io.syncnode.support.Entities;
import io.syncnode.support.NodeTestBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The content-addressed diff, for all three types, computed against the stored rows. */
class DiffTest extends NodeTestBase {

  private static JsonObject entry(String id, String hash, String updatedAt) {
    return new JsonObject().put("id", id).put("content_hash", hash).put("updated_at", updatedAt);
  }

  private static List<String> ids(JsonArray entities) {
    return entities.stream().map(e -> ((JsonObject) e).getString("id")).toList();
  }

  @Test
  void reportsMissingUpdatedDeletedAndServerMissingOfEveryType(VertxTestContext test) {
    String ns = unique("ns");
    String device = unique("dev");
    String onlyServer = unique("m-server");
    String same = unique("m-same");
    String changed = unique("m-changed");
    String tombstoned = unique("m-gone");
    String tombstonedUnknown = unique("m-gone-unknown");
    String onlyClient = unique("m-client");
    String sessionNewer = unique("s-newer");
    String sessionSame = unique("s-same");
    String sessionOnlyClient = unique("s-client");
    String edgeFrom = same;
    JsonObject push = Entities.push(device,
        new JsonArray()
            .add(Entities.memory(onlyServer, "a", clock(device, 1)).put("namespace_id", ns).put("content_hash", "h-a"))
            .add(Entities.memory(same, "b", clock(device, 1)).put("namespace_id", ns).put("content_hash", "h-b"))
            .add(Entities.memory(changed, "c2", clock(device, 1)).put("namespace_id", ns).put("content_hash", "h-c2"))
            .add(Entities.memory(tombstoned, "d", clock(device, 1)).put("namespace_id", ns)
                .put("deleted_at", "2025-12-05T00:00:00Z"))
            .add(Entities.memory(tombstonedUnknown, "e", clock(device, 1)).put("namespace_id", ns)
                .put("deleted_at", "2025-12-05T00:00:00Z"))
            .add(Entities.memory(unique("m-elsewhere"), "f", clock(device, 1)).put("namespace_id", unique("other"))),
        new JsonArray()
            .add(Entities.session(sessionNewer, "s", clock(device, 1)).put("namespace_id", ns)
                .put("updated_at", "2025-12-03T00:00:00Z"))
            .add(Entities.session(sessionSame, "s", clock(device, 1)).put("namespace_id", ns)
                .put("updated_at", "2025-12-03T00:00:00Z")),
        new JsonArray()
            .add(Entities.edge(edgeFrom, "x", "rel", clock(device, 1)))
            .add(Entities.edge(edgeFrom, "y", "rel", clock(device, 1)).put("deleted_at", "2025-12-05T00:00:00Z"))
            .add(Entities.edge(unique("not-in-ns"), "z", "rel", clock(device, 1))));
    JsonObject manifest = new JsonObject().put("device_id", device)
        .put("namespace_ids", new JsonArray().add(ns))
        .put("memories", new JsonArray()
            .add(entry(same, "h-b", null))
            .add(entry(changed, "h-c1", null))
            .add(entry(tombstoned, "h-d", null))
            .add(entry(onlyClient, "h-x", null)))
        .put("sessions", new JsonArray()
            .add(entry(sessionNewer, null, "2025-12-02T00:00:00Z"))
            .add(entry(sessionSame, null, "2025-12-03T00:00:00Z"))
            .add(entry(sessionOnlyClient, null, null)))
        .put("edges", new JsonArray()
            .add(entry(edgeFrom + ":y:rel", null, null))
            .add(entry(unique("a") + ":b:rel", null, null)));
    call("push", push)
        .compose(r -> {
          assertThat(r.getInteger("accepted")).isEqualTo(11);
          return call("diff", manifest);
        })
        .onComplete(test.succeeding(diff -> test.verify(() -> {
          assertThat(ids(diff.getJsonArray("missing_memories"))).containsExactlyInAnyOrder(onlyServer, changed);
          JsonObject full = diff.getJsonArray("missing_memories").stream().map(JsonObject.class::cast)
              .filter(m -> m.getString("id").equals(changed)).findFirst().orElseThrow();
          assertThat(full.getString("content")).isEqualTo("c2");
          assertThat(full.getJsonObject("vector_clock")).isEqualTo(clock(device, 2));
          assertThat(diff.getJsonArray("deleted_memory_ids")).containsExactly(tombstoned);
          assertThat(diff.getJsonArray("server_missing_memory_ids")).containsExactly(onlyClient);
          // sessions and edges are compared by presence (their manifest times are the client's own)
          assertThat(ids(diff.getJsonArray("missing_sessions"))).isEmpty();
          assertThat(diff.getJsonArray("server_missing_session_ids")).containsExactly(sessionOnlyClient);
          assertThat(ids(diff.getJsonArray("missing_edges"))).containsExactly(edgeFrom + ":x:rel");
          assertThat(diff.getJsonArray("deleted_edge_ids")).containsExactly(edgeFrom + ":y:rel");
          assertThat(diff.getJsonArray("server_missing_edge_ids")).hasSize(1);
          assertThat(diff.getInteger("total_missing")).isEqualTo(3);
          assertThat(diff.getInteger("total_updated")).isEqualTo(1);
          assertThat(diff.getInteger("total_deleted")).isEqualTo(2);
          assertThat(diff.getInteger("total_server_missing")).isEqualTo(3);
          test.completeNow();
        })));
  }

  @Test
  void diffIsIdempotent(VertxTestContext test) {
    String device = unique("dev");
    String ns = unique("ns");
    JsonObject manifest = new JsonObject().put("device_id", device).put("namespace_ids", new JsonArray().add(ns))
        .put("memories", new JsonArray().add(entry(unique("m"), "h", null)));
    call("push", Entities.pushMemories(device, Entities.memory(unique("m"), "c", clock(device, 1))
            .put("namespace_id", ns)))
        .compose(r -> call("diff", manifest))
        .compose(first -> call("diff", manifest).map(second -> List.of(first, second)))
        .onComplete(test.succeeding(both -> test.verify(() -> {
          JsonObject first = both.get(0).copy();
          JsonObject second = both.get(1).copy();
          first.remove("server_timestamp");
          second.remove("server_timestamp");
          assertThat(second).isEqualTo(first);
          assertThat(first.getInteger("total_missing")).isEqualTo(1);
          assertThat(first.getInteger("total_server_missing")).isEqualTo(1);
          test.completeNow();
        })));
  }
}
