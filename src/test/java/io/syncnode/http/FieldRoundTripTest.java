package io.syncnode.http;

import static io.syncnode.support.Entities.clock;
import static org.assertj.core.api.Assertions.assertThat;

import io.syncnode.protocol.EntityType;
import io.syncnode.protocol.schema.EntitySchemas;
import io.syncnode.support.NodeTestBase;
import io.syncnode.support.SchemaSamples;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxTestContext;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every protocol field pushed comes back unchanged from a pull (datetimes in UTC, to the microsecond). */
class FieldRoundTripTest extends NodeTestBase {

  /**
   * Every field of every entity schema, each with a value of its own that is not its default, comes
   * back from a pull (rows written as JSON) and from a diff (rows read into entities, then written):
   * driven by the schemas, so that a field added to one is checked here without a change.
   */
  @Test
  void everySchemaFieldSurvivesAPullAndADiff(VertxTestContext test) {
    String device = unique("dev");
    Map<EntityType, JsonObject> pulled = new EnumMap<>(EntityType.class);
    Map<EntityType, JsonObject> diffed = new EnumMap<>(EntityType.class);
    for (EntityType type : EntityType.values()) {
      pulled.put(type, SchemaSamples.entity(EntitySchemas.of(type), unique("pulled")));
      // alive: a diff sends the client no tombstone of an entity it does not have
      diffed.put(type, SchemaSamples.entity(EntitySchemas.of(type), unique("diffed")).putNull("deleted_at"));
    }
    call("pull", new JsonObject().put("device_id", device))
        .compose(before -> call("push", pushOf(device, pulled)).compose(r -> call("push", pushOf(device, diffed)))
            .map(r -> before.getString("server_timestamp")))
        .compose(since -> call("pull", new JsonObject().put("device_id", device).put("since_timestamp", since)))
        .compose(pull -> call("diff", new JsonObject().put("device_id", device).put("memories", new JsonArray())
                .put("sessions", new JsonArray()).put("edges", new JsonArray()))
            .map(diff -> List.of(pull, diff)))
        .onComplete(test.succeeding(both -> test.verify(() -> {
          for (EntityType type : EntityType.values()) {
            JsonObject sent = pulled.get(type);
            assertThat(byId(both.get(0).getJsonArray(type.plural()), sent.getString("id")))
                .as("pulled " + type.plural()).isEqualTo(storedAs(sent, device));
            JsonObject alive = diffed.get(type);
            assertThat(byId(both.get(1).getJsonArray("missing_" + type.plural()), alive.getString("id")))
                .as("diffed " + type.plural()).isEqualTo(storedAs(alive, device));
          }
          test.completeNow();
        })));
  }

  private static JsonObject pushOf(String device, Map<EntityType, JsonObject> entities) {
    JsonObject push = new JsonObject().put("device_id", device);
    entities.forEach((type, entity) -> push.put(type.plural(), new JsonArray().add(entity)));
    return push;
  }

  /** A pushed entity as it is stored: the pushing device counted in its clock, and its last modifier. */
  private static JsonObject storedAs(JsonObject sent, String device) {
    return sent.copy().put("vector_clock", sent.getJsonObject("vector_clock").copy().put(device, 1))
        .put("last_modified_by", device);
  }

  private static JsonObject byId(JsonArray entities, String id) {
    return entities.stream().map(JsonObject.class::cast).filter(e -> e.getString("id").equals(id)).findFirst()
        .orElseThrow(() -> new AssertionError(id + " is not in " + entities.encode()));
  }

  @Test
  void everyFieldOfEveryTypeSurvives(VertxTestContext test) {
    String device = unique("laptop");
    String memoryId = unique("mem");
    String sessionId = unique("sess");
    JsonObject metadata = new JsonObject()
        .put("confidence", 0.9)
        .put("nested", new JsonObject().put("list", new JsonArray().add(1).add("two").add(false).addNull()))
        .put("unicode", "ünïcødé ✓ 😀")
        .put("big", 12345678901234L);
    JsonObject memory = new JsonObject()
        .put("id", memoryId)
        .put("vector_clock", clock(device, 4, "other", 2))
        .put("content_hash", "0af4b48223e10f4a")
        .put("deleted_at", "2025-12-03T01:02:03.000004Z")
        .put("created_at", "2025-12-01T09:30:00.123456+02:00")
        .put("updated_at", "2025-12-02T10:00:00.654321")
        .put("last_modified_by", device)
        .put("content", "line one\nline \"two\" with \\ backslash")
        .put("type", "decision")
        .put("tags", new JsonArray().add("perf").add("with,comma").add("{brace}").add("quote\"d").add("back\\slash")
            .add("").add("NULL"))
        .put("summary", "a summary")
        .put("namespace_id", "repo-syncnode")
        .put("repo_url", "git@github.com:acme/app.git")
        .put("repo_name", "app")
        .put("relative_path", "src/db.py")
        .put("source_file", "db.py")
        .put("source_repo", "acme/app")
        .put("source_tool", "claude-code")
        .put("project", "app")
        .put("session_id", sessionId)
        .put("metadata", metadata)
        .put("embedding", new JsonArray().add(0.0125).add(-0.5).add(0.25).add(1.0E-5).add(3.4028235E38))
        .put("encrypted", true)
        .put("visibility", "team_read");
    JsonObject session = new JsonObject()
        .put("id", sessionId)
        .put("vector_clock", clock(device, 1))
        .put("content_hash", "abc")
        .put("deleted_at", null)
        .put("created_at", "2025-12-02T09:00:00Z")
        .put("updated_at", "2025-12-02T09:05:00.000001Z")
        .put("label", "fix-db")
        .put("namespace_id", "repo-syncnode")
        .put("tool", "claude-code")
        .put("repo_url", "git@github.com:acme/app.git")
        .put("repo_name", "app")
        .put("repo_path", "/home/me/app")
        .put("branch", "main")
        .put("started_at", "2025-12-02T09:00:00.5Z")
        .put("ended_at", "2025-12-02T11:00:00-05:00")
        .put("summary", "db work")
        .put("metadata", new JsonObject().put("k", "v"));
    JsonObject edge = new JsonObject()
        .put("id", memoryId + ":" + sessionId + ":part_of")
        .put("vector_clock", clock(device, 7))
        .put("content_hash", "e1")
        .put("created_at", "2026-11-28T18:47:44.972936Z")
        .put("updated_at", "2026-11-28T18:47:44.972945Z")
        .put("from_id", memoryId)
        .put("to_id", sessionId)
        .put("relation", "part_of")
        .put("weight", 0.75)
        .put("created_by", "agent")
        .put("metadata", new JsonObject().put("why", "same task"));
    JsonObject push = new JsonObject().put("device_id", device).put("memories", new JsonArray().add(memory))
        .put("sessions", new JsonArray().add(session)).put("edges", new JsonArray().add(edge));

    call("pull", new JsonObject().put("device_id", device))
        .compose(before -> call("push", push).map(r -> before.getString("server_timestamp")))
        .compose(since -> call("pull", new JsonObject().put("device_id", device).put("since_timestamp", since)))
        .onComplete(test.succeeding(pulled -> test.verify(() -> {
          JsonObject m = pulled.getJsonArray("memories").getJsonObject(0);
          JsonObject expectedMemory = memory.copy()
              .put("vector_clock", clock("other", 2, device, 5))
              .put("created_at", "2025-12-01T07:30:00.123456Z")
              .put("updated_at", "2025-12-02T10:00:00.654321Z");
          assertThat(m).isEqualTo(expectedMemory);

          JsonObject s = pulled.getJsonArray("sessions").getJsonObject(0);
          JsonObject expectedSession = session.copy()
              .put("vector_clock", clock(device, 2))
              .put("last_modified_by", device)
              .put("started_at", "2025-12-02T09:00:00.500000Z")
              .put("ended_at", "2025-12-02T16:00:00Z");
          assertThat(s).isEqualTo(expectedSession);

          JsonObject e = pulled.getJsonArray("edges").getJsonObject(0);
          JsonObject expectedEdge = edge.copy()
              .put("vector_clock", clock(device, 8))
              .put("deleted_at", null)
              .put("last_modified_by", device);
          assertThat(e).isEqualTo(expectedEdge);
          test.completeNow();
        })));
  }

  @Test
  void defaultsAreAppliedAndNewerFieldsOmittedWhenNeverSent(VertxTestContext test) {
    String device = unique("dev");
    String id = unique("mem");
    JsonObject minimal = new JsonObject().put("id", id).put("content", "just content").put("metadata", null)
        .put("tags", null).put("namespace_id", null).put("type", null);
    call("pull", new JsonObject().put("device_id", device))
        .compose(before -> call("push", new JsonObject().put("device_id", device)
                .put("memories", new JsonArray().add(minimal)))
            .map(r -> before.getString("server_timestamp")))
        .compose(since -> call("pull", new JsonObject().put("device_id", device).put("since_timestamp", since)))
        .onComplete(test.succeeding(pulled -> test.verify(() -> {
          JsonObject m = pulled.getJsonArray("memories").getJsonObject(0);
          assertThat(m.getString("type")).isEqualTo("fact");
          assertThat(m.getString("namespace_id")).isEqualTo("global");
          assertThat(m.getJsonArray("tags")).isEmpty();
          assertThat(m.getJsonObject("metadata")).isEmpty();
          assertThat(m.getJsonObject("vector_clock")).isEqualTo(clock(device, 1));
          assertThat(m.getValue("embedding")).isNull();
          assertThat(m.containsKey("encrypted")).isFalse();
          assertThat(m.containsKey("visibility")).isFalse();
          assertThat(m.getString("created_at")).isNotNull();
          assertThat(m.getString("updated_at")).isNotNull();
          test.completeNow();
        })));
  }
}
