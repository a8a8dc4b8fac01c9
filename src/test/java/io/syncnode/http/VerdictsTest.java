package io.syncnode.http;

import static io.syncnode.support.Entities.clock;
import static org.assertj.core.api.Assertions.assertThat;

import io.syncnode.support.NodeTestBase;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxTestContext;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every verdict of PROTOCOL.md, for each entity type, checked in the response and in the stored row. */
class VerdictsTest extends NodeTestBase {

  /** One entity type as the tests push it: "content" is what a conflict reports (nothing for edges). */
  private record Kind(String list, String table, String singular) {
    static Kind of(String singular) {
      return switch (singular) {
        case "memory" -> new Kind("memories", "memories", "memory");
        case "session" -> new Kind("sessions", "sessions", "session");
        default -> new Kind("edges", "edges", "edge");
      };
    }

    JsonObject entity(String id, String content, JsonObject clock) {
      JsonObject e = new JsonObject().put("vector_clock", clock).put("updated_at", "2025-12-02T10:00:00Z");
      return switch (singular) {
        case "memory" -> e.put("id", id).put("content", content);
        case "session" -> e.put("id", id).put("summary", content);
        default -> e.put("id", id + ":to:rel").put("from_id", id).put("to_id", "to").put("relation", "rel")
            .put("metadata", new JsonObject().put("text", content));
      };
    }

    String storedId(String id) {
      return singular.equals("edge") ? id + ":to:rel" : id;
    }

    String contentColumn() {
      return switch (singular) {
        case "memory" -> "content";
        case "session" -> "summary";
        default -> "metadata->>'text'";
      };
    }

    JsonObject push(String device, boolean force, JsonObject entity) {
      JsonObject body = new JsonObject().put("device_id", device).put("memories", new JsonArray())
          .put("sessions", new JsonArray()).put("edges", new JsonArray()).put("force", force);
      body.getJsonArray(list).add(entity);
      return body;
    }
  }

  private record Stored(JsonObject clock, String content, String lastModifiedBy) {}

  private static Future<Stored> stored(Kind kind, String id) {
    return node.inspect.preparedQuery("SELECT vector_clock::text, " + kind.contentColumn() + ", last_modified_by FROM "
            + kind.table() + " WHERE id = $1").execute(Tuple.of(kind.storedId(id)))
        .map(rows -> {
          assertThat(rows.size()).isEqualTo(1);
          Row row = rows.iterator().next();
          return new Stored(new JsonObject(row.getString(0)), row.getString(1), row.getString(2));
        });
  }

  private static void assertCounts(JsonObject response, String status, int accepted, int rejected, int conflicts) {
    assertThat(response.getString("status")).isEqualTo(status);
    assertThat(response.getBoolean("success")).isEqualTo(conflicts == 0);
    assertThat(response.getInteger("accepted")).isEqualTo(accepted);
    assertThat(response.getInteger("rejected")).isEqualTo(rejected);
    assertThat(response.getJsonArray("conflicts")).hasSize(conflicts);
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "session", "edge"})
  void newEqualNewerStaleConcurrentAndForce(String type, VertxTestContext test) {
    Kind kind = Kind.of(type);
    String id = unique(type);
    String laptop = unique("laptop");
    String desktop = unique("desktop");
    // new: stored with the client's clock incremented for the pushing device
    call("push", kind.push(laptop, false, kind.entity(id, "v1", clock(laptop, 1))))
        .compose(r -> {
          assertCounts(r, "success", 1, 0, 0);
          return stored(kind, id);
        })
        .compose(s -> {
          assertThat(s.clock()).isEqualTo(clock(laptop, 2));
          assertThat(s.content()).isEqualTo("v1");
          assertThat(s.lastModifiedBy()).isEqualTo(laptop);
          // equal clock: accepted, overwritten, clock unchanged (no second increment)
          return call("push", kind.push(laptop, false, kind.entity(id, "v2", clock(laptop, 2))));
        })
        .compose(r -> {
          assertCounts(r, "success", 1, 0, 0);
          return stored(kind, id);
        })
        .compose(s -> {
          assertThat(s.clock()).isEqualTo(clock(laptop, 2));
          assertThat(s.content()).isEqualTo("v2");
          // newer: accepted, clock = merge
          return call("push", kind.push(laptop, false, kind.entity(id, "v3", clock(laptop, 3))));
        })
        .compose(r -> {
          assertCounts(r, "success", 1, 0, 0);
          return stored(kind, id);
        })
        .compose(s -> {
          assertThat(s.clock()).isEqualTo(clock(laptop, 3));
          assertThat(s.content()).isEqualTo("v3");
          // stale: rejected, nothing changes
          return call("push", kind.push(laptop, false, kind.entity(id, "stale", clock(laptop, 1))));
        })
        .compose(r -> {
          assertCounts(r, "partial", 0, 1, 0);
          return stored(kind, id);
        })
        .compose(s -> {
          assertThat(s.clock()).isEqualTo(clock(laptop, 3));
          assertThat(s.content()).isEqualTo("v3");
          // concurrent: another device that never saw laptop's edits
          return call("push", kind.push(desktop, false, kind.entity(id, "theirs", clock(desktop, 1))));
        })
        .compose(r -> {
          assertCounts(r, "conflict", 0, 0, 1);
          JsonObject conflict = r.getJsonArray("conflicts").getJsonObject(0);
          assertThat(conflict.getString("entity_id")).isEqualTo(kind.storedId(id));
          assertThat(conflict.getString("entity_type")).isEqualTo(type);
          assertThat(conflict.getJsonObject("client_clock")).isEqualTo(clock(desktop, 1));
          assertThat(conflict.getJsonObject("server_clock")).isEqualTo(clock(laptop, 3));
          assertThat(conflict.getString("client_content")).isEqualTo(type.equals("edge") ? null : "theirs");
          assertThat(conflict.getString("server_content")).isEqualTo(type.equals("edge") ? null : "v3");
          assertThat(conflict.getString("client_updated_at")).isEqualTo("2025-12-02T10:00:00Z");
          assertThat(conflict.getString("server_updated_at")).isEqualTo("2025-12-02T10:00:00Z");
          return stored(kind, id);
        })
        .compose(s -> {
          assertThat(s.content()).isEqualTo("v3");
          // force: overwrites whatever is stored, clock = merge(client, server)
          return call("push", kind.push(desktop, true, kind.entity(id, "forced", clock(desktop, 1))));
        })
        .compose(r -> {
          assertCounts(r, "success", 1, 0, 0);
          return stored(kind, id);
        })
        .onComplete(test.succeeding(s -> test.verify(() -> {
          assertThat(s.clock()).isEqualTo(clock(laptop, 3, desktop, 1));
          assertThat(s.content()).isEqualTo("forced");
          assertThat(s.lastModifiedBy()).isEqualTo(desktop);
          test.completeNow();
        })));
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "session", "edge"})
  void perTypeCountsAndResendIsIdempotent(String type, VertxTestContext test) {
    Kind kind = Kind.of(type);
    String id = unique(type);
    String device = unique("dev");
    JsonObject push = kind.push(device, false, kind.entity(id, "once", clock(device, 1)));
    call("push", push)
        .compose(first -> {
          assertThat(first.getInteger("accepted_" + kind.list())).isEqualTo(1);
          return call("push", push);
        })
        .compose(again -> {
          // The stored clock now carries the server's increment, so the same push is stale: same state.
          assertCounts(again, "partial", 0, 1, 0);
          return stored(kind, id);
        })
        .onComplete(test.succeeding(s -> test.verify(() -> {
          assertThat(s.clock()).isEqualTo(clock(device, 2));
          assertThat(s.content()).isEqualTo("once");
          test.completeNow();
        })));
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "session", "edge"})
  void oneBatchOfAStoredAndANewEntityWritesBoth(String type, VertxTestContext test) {
    Kind kind = Kind.of(type);
    String stored = unique(type);
    String fresh = unique(type);
    String device = unique("dev");
    JsonObject mixed = kind.push(device, false, kind.entity(stored, "second", clock(device, 2)));
    mixed.getJsonArray(kind.list()).add(kind.entity(fresh, "new", clock(device, 1)));
    call("push", kind.push(device, false, kind.entity(stored, "first", clock(device, 1))))
        .compose(first -> position(kind, stored))
        .compose(firstPosition -> call("push", mixed).compose(r -> {
          assertCounts(r, "success", 2, 0, 0);
          return Future.all(stored(kind, stored), stored(kind, fresh), position(kind, stored), position(kind, fresh));
        }).map(all -> {
          Stored updated = all.resultAt(0);
          Stored inserted = all.resultAt(1);
          assertThat(updated.content()).isEqualTo("second");
          assertThat(updated.clock()).isEqualTo(clock(device, 2));
          assertThat(inserted.content()).isEqualTo("new");
          assertThat(inserted.clock()).isEqualTo(clock(device, 2));
          assertThat(inserted.lastModifiedBy()).isEqualTo(device);
          long updatedAt = all.resultAt(2);
          long insertedAt = all.resultAt(3);
          assertThat(updatedAt).as("the update moves the entity up the change feed").isGreaterThan(firstPosition);
          assertThat(insertedAt).isGreaterThan(firstPosition).isNotEqualTo(updatedAt);
          return null;
        }))
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  void aNewerVersionWithoutAFieldClearsTheStoredValue(VertxTestContext test) {
    Kind kind = Kind.of("memory");
    String id = unique("memory");
    String device = unique("dev");
    JsonObject first = kind.entity(id, "v1", clock(device, 1)).put("summary", "a summary").put("project", "p");
    call("push", kind.push(device, false, first))
        .compose(r -> call("push", kind.push(device, false, kind.entity(id, "v2", clock(device, 2)))))
        .compose(r -> {
          assertCounts(r, "success", 1, 0, 0);
          return node.inspect.preparedQuery("SELECT content, summary, project FROM memories WHERE id = $1")
              .execute(Tuple.of(id));
        })
        .onComplete(test.succeeding(rows -> test.verify(() -> {
          Row row = rows.iterator().next();
          assertThat(row.getString("content")).isEqualTo("v2");
          assertThat(row.getString("summary")).isNull();
          assertThat(row.getString("project")).isNull();
          test.completeNow();
        })));
  }

  private static Future<Long> position(Kind kind, String id) {
    return node.inspect.preparedQuery("SELECT change_pos FROM " + kind.table() + " WHERE id = $1")
        .execute(Tuple.of(kind.storedId(id))).map(rows -> rows.iterator().next().getLong(0));
  }
}
