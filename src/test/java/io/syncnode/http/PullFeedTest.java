package io.syncnode.http;

import static io.syncnode.support.Entities.clock;
import static org.assertj.core.api.Assertions.assertThat;

import io.syncnode.support.Entities;
import io.syncnode.support.NodeTestBase;
import io.syncnode.support.PulledPages;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The change feed: one stream across the three types, ordered by the server, paged without loss or repeats. */
class PullFeedTest extends NodeTestBase {

  /** Pulls until drained and returns the server_timestamp to pull from next. */
  private static Future<String> drain(String device) {
    return pullAll(device, null, 10_000).map(PulledPages::lastServerTimestamp);
  }

  private static JsonObject pushOf(String device, List<JsonObject> memories, List<JsonObject> sessions,
      List<JsonObject> edges) {
    return Entities.push(device, new JsonArray(new ArrayList<>(memories)), new JsonArray(new ArrayList<>(sessions)),
        new JsonArray(new ArrayList<>(edges)));
  }

  @Test
  void pagingThreeTypesWithLimitTenReturnsEachEntityOnce(VertxTestContext test) {
    String device = unique("pager");
    List<String> memoryIds = new ArrayList<>();
    List<String> sessionIds = new ArrayList<>();
    List<String> edgeIds = new ArrayList<>();
    List<JsonObject> pushes = new ArrayList<>();
    // Four pushes interleave the types, so pages mix them.
    for (int round = 0; round < 4; round++) {
      List<JsonObject> memories = new ArrayList<>();
      List<JsonObject> sessions = new ArrayList<>();
      List<JsonObject> edges = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        String id = unique("m" + round + i);
        memoryIds.add(id);
        memories.add(Entities.memory(id, "content " + id, clock(device, 1)));
      }
      for (int i = 0; i < 4; i++) {
        String id = unique("s" + round + i);
        sessionIds.add(id);
        sessions.add(Entities.session(id, "summary", clock(device, 1)));
      }
      for (int i = 0; i < 3; i++) {
        String from = unique("f" + round + i);
        edgeIds.add(from + ":to:links");
        edges.add(Entities.edge(from, "to", "links", clock(device, 1)));
      }
      pushes.add(pushOf(device, memories, sessions, edges));
    }
    drain(device)
        .compose(since -> pushSequentially(pushes, 0).map(since))
        .compose(since -> pullAll(device, since, 10))
        .onComplete(test.succeeding(pulled -> test.verify(() -> {
          assertThat(pulled.memoryIds).containsExactlyInAnyOrderElementsOf(memoryIds);
          assertThat(pulled.sessionIds).containsExactlyInAnyOrderElementsOf(sessionIds);
          assertThat(pulled.edgeIds).containsExactlyInAnyOrderElementsOf(edgeIds);
          assertThat(pulled.pages).hasSize(6); // 52 entities in pages of 10
          for (int page = 0; page < 5; page++) {
            assertThat(pulled.pageSize(page)).isEqualTo(10);
          }
          assertThat(pulled.pageSize(5)).isEqualTo(2);
          assertThat(pulled.pages.get(5).getBoolean("has_more")).isFalse();
          test.completeNow();
        })));
  }

  private static Future<Void> pushSequentially(List<JsonObject> pushes, int index) {
    if (index == pushes.size()) {
      return Future.succeededFuture();
    }
    return call("push", pushes.get(index)).compose(r -> {
      assertThat(r.getInteger("accepted")).isEqualTo(13);
      return pushSequentially(pushes, index + 1);
    });
  }

  @Test
  void changesDuringPagingAreNeitherSkippedNorShiftOtherEntities(VertxTestContext test) {
    String device = unique("pager");
    List<JsonObject> memories = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      String id = unique("m" + i);
      ids.add(id);
      memories.add(Entities.memory(id, "v1", clock(device, 1)));
    }
    String[] since = new String[1];
    List<String> served = new ArrayList<>();
    drain(device)
        .compose(s -> {
          since[0] = s;
          return call("push", pushOf(device, memories, List.of(), List.of()));
        })
        .compose(r -> call("pull", Entities.pull(device, since[0], 10, 0)))
        .compose(first -> {
          first.getJsonArray("memories").forEach(m -> served.add(((JsonObject) m).getString("id")));
          String alreadyServed = served.get(0);
          String notYetServed = ids.stream().filter(id -> !served.contains(id)).findFirst().orElseThrow();
          // Two edits while the client pages: they move to the end of the feed, others do not shift.
          return call("push", pushOf(device, List.of(
                  Entities.memory(alreadyServed, "v2", clock(device, 2)),
                  Entities.memory(notYetServed, "v2", clock(device, 2))), List.of(), List.of()))
              .compose(r -> pullRest(device, since[0], first.getLong("next_offset"), served))
              .map(rest -> List.of(alreadyServed, notYetServed));
        })
        .onComplete(test.succeeding(edited -> test.verify(() -> {
          assertThat(new HashSet<>(served)).containsExactlyInAnyOrderElementsOf(ids);
          // each entity once, and the one edited after it was served once more, with its new version
          assertThat(served).hasSize(31);
          assertThat(served.stream().filter(edited.get(0)::equals).count()).isEqualTo(2);
          assertThat(served.stream().filter(edited.get(1)::equals).count()).isEqualTo(1);
          test.completeNow();
        })));
  }

  private static Future<Void> pullRest(String device, String since, long offset, List<String> served) {
    return call("pull", Entities.pull(device, since, 10, offset)).compose(page -> {
      page.getJsonArray("memories").forEach(m -> served.add(((JsonObject) m).getString("id")));
      return page.getBoolean("has_more")
          ? pullRest(device, since, page.getLong("next_offset"), served)
          : Future.succeededFuture();
    });
  }

  @Test
  void aDeviceWhoseClockIsADayBehindStillReachesOtherDevicesPulls(VertxTestContext test) {
    String laggard = unique("laggard");
    String reader = unique("reader");
    String id = unique("mem");
    JsonObject late = new JsonObject().put("id", id).put("content", "written with a slow clock")
        .put("vector_clock", clock(laggard, 1))
        .put("created_at", "2020-01-01T00:00:00Z")
        .put("updated_at", "2020-01-01T00:00:00Z");
    drain(reader)
        .compose(since -> call("push", Entities.pushMemories(laggard, late)).map(since))
        .compose(since -> call("pull", Entities.pull(reader, since, 100, 0)))
        .onComplete(test.succeeding(page -> test.verify(() -> {
          JsonArray memories = page.getJsonArray("memories");
          assertThat(memories).hasSize(1);
          assertThat(memories.getJsonObject(0).getString("id")).isEqualTo(id);
          assertThat(memories.getJsonObject(0).getString("updated_at")).isEqualTo("2020-01-01T00:00:00Z");
          test.completeNow();
        })));
  }

  @Test
  void onlyAPullMovesTheCursorAndStatusCountsOtherDevicesChanges(VertxTestContext test) {
    String device = unique("watcher");
    String other = unique("other");
    JsonObject register = new JsonObject().put("device_id", device).put("device_name", "w").put("platform", "linux")
        .put("client_version", "1.0");
    JsonObject othersPush = pushOf(other,
        List.of(Entities.memory(unique("m"), "a", clock(other, 1)), Entities.memory(unique("m"), "b", clock(other, 1))),
        List.of(Entities.session(unique("s"), "c", clock(other, 1))),
        List.of(Entities.edge(unique("f"), "t", "r", clock(other, 1))));
    JsonObject status = new JsonObject().put("device_id", device);
    call("register", register)
        .compose(r -> drain(device))
        .compose(since -> call("status", status))
        .compose(s -> {
          assertThat(s.getLong("pending_pull_count")).isZero();
          return call("push", othersPush);
        })
        .compose(r -> call("status", status))
        .compose(s -> {
          // memories, as the protocol counts, and each type on its own
          assertThat(s.getLong("pending_pull_count")).isEqualTo(2);
          assertThat(s.getLong("pending_pull_memories")).isEqualTo(2);
          assertThat(s.getLong("pending_pull_sessions")).isEqualTo(1);
          assertThat(s.getLong("pending_pull_edges")).isEqualTo(1);
          return call("push", Entities.pushMemories(device, Entities.memory(unique("own"), "x", clock(device, 1))));
        })
        .compose(r -> call("status", status))
        .compose(s -> {
          // the device's own push neither moved its cursor past the others' changes nor counts
          assertThat(s.getLong("pending_pull_count")).isEqualTo(2);
          return drain(device);
        })
        .compose(since -> call("status", status))
        .onComplete(test.succeeding(s -> test.verify(() -> {
          assertThat(s.getLong("pending_pull_count")).isZero();
          assertThat(s.getString("last_sync_at")).isNotNull();
          test.completeNow();
        })));
  }

  @Test
  void namespaceFilterAppliesToMemoriesAndSessionsButNotEdges(VertxTestContext test) {
    String device = unique("ns");
    String wanted = unique("ns-wanted");
    JsonObject inWanted = Entities.memory(unique("m"), "in", clock(device, 1)).put("namespace_id", wanted);
    JsonObject elsewhere = Entities.memory(unique("m"), "out", clock(device, 1)).put("namespace_id", unique("ns-other"));
    JsonObject session = Entities.session(unique("s"), "in", clock(device, 1)).put("namespace_id", wanted);
    JsonObject edge = Entities.edge(unique("f"), "t", "r", clock(device, 1));
    drain(device)
        .compose(since -> call("push", pushOf(device, List.of(inWanted, elsewhere), List.of(session), List.of(edge)))
            .map(since))
        .compose(since -> call("pull", Entities.pull(device, since, 100, 0)
            .put("namespace_ids", new JsonArray().add(wanted))))
        .onComplete(test.succeeding(page -> test.verify(() -> {
          assertThat(page.getJsonArray("memories")).hasSize(1);
          assertThat(page.getJsonArray("memories").getJsonObject(0).getString("id")).isEqualTo(inWanted.getString("id"));
          assertThat(page.getJsonArray("sessions")).hasSize(1);
          assertThat(page.getJsonArray("edges")).hasSize(1);
          test.completeNow();
        })));
  }

  @Test
  void pagesOfOneNamespaceAmongOthersHoldEachOfItsEntitiesOnce(VertxTestContext test) {
    String device = unique("ns-pages");
    String wanted = unique("ns-wanted");
    String other = unique("ns-other");
    List<String> wantedMemories = new ArrayList<>();
    List<String> wantedSessions = new ArrayList<>();
    List<JsonObject> pushes = new ArrayList<>();
    for (int batch = 0; batch < 4; batch++) {
      List<JsonObject> memories = new ArrayList<>();
      List<JsonObject> sessions = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        // runs of the other namespace before, between and after the wanted one's rows
        String ns = (batch + i) % 3 == 0 ? wanted : other;
        JsonObject memory = Entities.memory(unique("m"), "c", clock(device, 1)).put("namespace_id", ns);
        memories.add(memory);
        JsonObject session = Entities.session(unique("s"), "s", clock(device, 1)).put("namespace_id", ns);
        sessions.add(session);
        if (ns.equals(wanted)) {
          wantedMemories.add(memory.getString("id"));
          wantedSessions.add(session.getString("id"));
        }
      }
      pushes.add(pushOf(device, memories, sessions, List.of()));
    }
    List<String> pulledMemories = new ArrayList<>();
    List<String> pulledSessions = new ArrayList<>();
    drain(device)
        .compose(since -> pushInTurn(pushes, 0).map(since))
        .compose(since -> pageNamespace(device, since, wanted, 0, pulledMemories, pulledSessions))
        .onComplete(test.succeeding(v -> test.verify(() -> {
          assertThat(pulledMemories).containsExactlyInAnyOrderElementsOf(wantedMemories);
          assertThat(pulledSessions).containsExactlyInAnyOrderElementsOf(wantedSessions);
          test.completeNow();
        })));
  }

  private static Future<Void> pushInTurn(List<JsonObject> pushes, int next) {
    return next == pushes.size() ? Future.succeededFuture()
        : call("push", pushes.get(next)).compose(v -> pushInTurn(pushes, next + 1));
  }

  private static Future<Void> pageNamespace(String device, String since, String namespace, long offset,
      List<String> memories, List<String> sessions) {
    return call("pull", Entities.pull(device, since, 3, offset).put("namespace_ids", new JsonArray().add(namespace)))
        .compose(page -> {
          page.getJsonArray("memories").forEach(m -> memories.add(((JsonObject) m).getString("id")));
          page.getJsonArray("sessions").forEach(m -> sessions.add(((JsonObject) m).getString("id")));
          return page.getBoolean("has_more")
              ? pageNamespace(device, since, namespace, page.getLong("next_offset"), memories, sessions)
              : Future.succeededFuture();
        });
  }
}
