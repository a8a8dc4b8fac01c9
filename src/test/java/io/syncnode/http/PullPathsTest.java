package io.syncnode.http;

import static io.syncnode.support.Entities.clock;
import static org.assertj.core.api.Assertions.assertThat;

import io.syncnode.support.Entities;
import io.syncnode.support.NodeTestBase;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxTestContext;
import io.vertx.sqlclient.SqlConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A pull page of up to 1,000 rows is read in one statement per type and cut afterwards; a larger
 * one looks for its positions first and reads its rows through a cursor. Both must serve the same
 * rows, as the same JSON, in the same order.
 */
class PullPathsTest extends NodeTestBase {
  private static final int ONE_READ = 1_000;
  private static final int POSITIONS_FIRST = 1_001;
  private static final String[] TYPES = {"memories", "sessions", "edges"};

  /** Each type's entities of one or more pages, in the order served. */
  private record Served(List<JsonObject> pages, List<List<JsonObject>> byType) {
    static Served of(List<JsonObject> pages) {
      List<List<JsonObject>> byType = new ArrayList<>();
      for (String type : TYPES) {
        List<JsonObject> all = new ArrayList<>();
        pages.forEach(page -> page.getJsonArray(type).forEach(e -> all.add((JsonObject) e)));
        byType.add(all);
      }
      return new Served(pages, byType);
    }

    int count() {
      return byType.stream().mapToInt(List::size).sum();
    }
  }

  @Test
  void bothPathsServeTheSameRowsPageByPage(VertxTestContext test) {
    String writer = unique("writer");
    String reader = unique("reader");
    String wanted = unique("ns-a");
    String other = unique("ns-b");
    List<JsonObject> pushes = new ArrayList<>();
    List<String> firstIds = new ArrayList<>();
    // eight pushes that interleave the types and the namespaces: 2,000 entities in all
    for (int batch = 0; batch < 8; batch++) {
      JsonArray memories = new JsonArray();
      JsonArray sessions = new JsonArray();
      JsonArray edges = new JsonArray();
      for (int i = 0; i < 150; i++) {
        String id = unique("m" + batch);
        memories.add(Entities.memory(id, "content " + i, clock(writer, 1)).put("namespace_id", i % 3 == 0 ? other : wanted)
            .put("tags", new JsonArray().add("t" + i)));
        if (batch == 0 && i < 40) {
          firstIds.add(id);
        }
      }
      for (int i = 0; i < 60; i++) {
        sessions.add(Entities.session(unique("s" + batch), "summary " + i, clock(writer, 1))
            .put("namespace_id", i % 2 == 0 ? other : wanted));
      }
      for (int i = 0; i < 40; i++) {
        edges.add(Entities.edge(unique("from"), unique("to"), "links", clock(writer, 1)));
      }
      pushes.add(Entities.push(writer, memories, sessions, edges));
    }
    // then 40 of the first memories change again (20 edited, 20 deleted): they move to the feed's end
    JsonArray changed = new JsonArray();
    for (int i = 0; i < firstIds.size(); i++) {
      JsonObject memory = Entities.memory(firstIds.get(i), "edited", clock(writer, 2)).put("namespace_id", wanted);
      changed.add(i % 2 == 0 ? memory : memory.put("deleted_at", "2026-06-01T00:00:00Z"));
    }
    pushes.add(Entities.push(writer, changed, new JsonArray(), new JsonArray()));

    AtomicReference<String> midway = new AtomicReference<>();
    inTurn(pushes, 0, midway)
        // the whole feed: this test's 2,000 entities, and those of the other tests of the class
        .compose(v -> comparePaths(reader, new JsonObject(), 2_000, false))
        // 814 memories (the 40 changed ones all moved to it), 240 sessions, and all 320 edges
        .compose(v -> comparePaths(reader, new JsonObject().put("namespace_ids", new JsonArray().add(wanted)), 1_374, true))
        // by time, as the contextfs client pulls, after the reader pulled everything: the last
        // three pushes and the changes
        .compose(v -> comparePaths(reader, new JsonObject().put("since_timestamp", midway.get()), 790, true))
        .onComplete(test.succeedingThenComplete());
  }

  /**
   * Pulls the feed by pages of 1,000, of 1,001 and in one page of 10,000 with the same filter:
   * every path serves the same entities in the same order, {@code expected} of them (at least,
   * unless {@code exactly}), and the first pages of the two paths differ only by the one more row
   * the larger one holds.
   */
  private static Future<Void> comparePaths(String reader, JsonObject filter, int expectedAtLeast, boolean exactly) {
    Future<Served> oneRead = pages(reader, filter, ONE_READ, 0, new ArrayList<>());
    Future<Served> positionsFirst = oneRead.compose(v -> pages(reader, filter, POSITIONS_FIRST, 0, new ArrayList<>()));
    Future<Served> whole = positionsFirst.compose(v -> pages(reader, filter, 10_000, 0, new ArrayList<>()));
    return whole.map(v -> {
      Served small = oneRead.result();
      Served large = positionsFirst.result();
      Served all = whole.result();
      assertThat(all.pages()).hasSize(1);
      int expected = all.count();
      if (exactly) {
        assertThat(expected).as("entities in the whole feed, filter " + filter).isEqualTo(expectedAtLeast);
      } else {
        assertThat(expected).as("entities in the whole feed").isGreaterThanOrEqualTo(expectedAtLeast);
      }
      assertThat(small.pages()).hasSize((expected + ONE_READ - 1) / ONE_READ);
      for (int type = 0; type < TYPES.length; type++) {
        assertThat(small.byType().get(type)).as(TYPES[type] + " by pages of 1,000").isEqualTo(all.byType().get(type));
        assertThat(large.byType().get(type)).as(TYPES[type] + " by pages of 1,001").isEqualTo(all.byType().get(type));
      }
      Served smallFirst = Served.of(small.pages().subList(0, 1));
      Served largeFirst = Served.of(large.pages().subList(0, 1));
      assertThat(smallFirst.count()).isEqualTo(Math.min(expected, ONE_READ));
      assertThat(largeFirst.count()).isEqualTo(Math.min(expected, POSITIONS_FIRST));
      for (int type = 0; type < TYPES.length; type++) {
        List<JsonObject> larger = largeFirst.byType().get(type);
        assertThat(larger.subList(0, smallFirst.byType().get(type).size())).isEqualTo(smallFirst.byType().get(type));
      }
      if (expected > POSITIONS_FIRST) {
        assertThat(small.pages().get(0).getLong("next_offset")).isLessThan(large.pages().get(0).getLong("next_offset"));
      }
      return null;
    });
  }

  private static Future<Served> pages(String reader, JsonObject filter, int limit, long offset, List<JsonObject> got) {
    JsonObject pull = filter.copy().put("device_id", reader).put("limit", limit).put("offset", offset);
    return call("pull", pull).compose(page -> {
      got.add(page);
      return page.getBoolean("has_more")
          ? pages(reader, filter, limit, page.getLong("next_offset"), got)
          : Future.succeededFuture(Served.of(got));
    });
  }

  /** Pushes one after the other; notes a pull's server_timestamp after the fifth. */
  private static Future<Void> inTurn(List<JsonObject> pushes, int next, AtomicReference<String> midway) {
    if (next == pushes.size()) {
      return Future.succeededFuture();
    }
    Future<?> before = next == 5
        ? call("pull", Entities.pull(unique("clock"), null, 1, 0))
            .map(page -> {
              midway.set(page.getString("server_timestamp"));
              return page;
            })
        : Future.succeededFuture();
    return before.compose(v -> call("push", pushes.get(next))).compose(r -> inTurn(pushes, next + 1, midway));
  }

  /**
   * A writer holds the feed's bound while 12 memories commit above it: a page of 5 that finds no
   * more below the bound serves all 12, more than its one read holds, and the next pull from its
   * cursor serves none of them again.
   */
  @Test
  void aLastPageServesMoreRowsAboveTheBoundThanOneReadHolds(VertxTestContext test) {
    String ns = unique("above");
    String reader = unique("reader");
    List<String> ids = new ArrayList<>();
    JsonArray memories = new JsonArray();
    for (int i = 0; i < 12; i++) {
      ids.add(unique("m"));
      memories.add(Entities.memory(ids.get(i), "above " + i, clock("writer", 1)).put("namespace_id", ns));
    }
    JsonObject pull = new JsonObject().put("device_id", reader).put("limit", 5)
        .put("namespace_ids", new JsonArray().add(ns));
    AtomicReference<SqlConnection> held = new AtomicReference<>();
    AtomicReference<JsonObject> whileHeld = new AtomicReference<>();
    // first past what the other tests stored (edges are in every namespace)
    call("pull", pull.copy().put("limit", 10_000))
        .compose(drained -> {
          pull.put("cursor", drained.getString("cursor"));
          return node.inspect.getConnection();
        })
        .compose(conn -> {
          held.set(conn);
          // a pushing transaction as the node registers one: it holds the bound where it began
          return conn.begin().compose(tx -> conn.query("LOCK TABLE memories IN ROW EXCLUSIVE MODE").execute()
              .compose(locked -> conn.query("SELECT pg_current_xact_id()").execute()).map(tx));
        })
        .compose(tx -> call("push", Entities.push("writer", memories, new JsonArray(), new JsonArray()))
            .compose(pushed -> call("pull", pull))
            .compose(page -> {
              whileHeld.set(page);
              return tx.commit();
            }))
        .eventually(() -> held.get() == null ? Future.succeededFuture() : held.get().close())
        .compose(v -> call("pull", pull.copy().put("cursor", whileHeld.get().getString("cursor"))))
        .onComplete(test.succeeding(next -> test.verify(() -> {
          JsonObject page = whileHeld.get();
          assertThat(page.getBoolean("has_more")).isFalse();
          assertThat(page.getJsonArray("memories").stream().map(m -> ((JsonObject) m).getString("id")))
              .containsExactlyInAnyOrderElementsOf(ids);
          assertThat(next.getJsonArray("memories")).isEmpty();
          test.completeNow();
        })));
  }
}
