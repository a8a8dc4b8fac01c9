package io.syncnode.store;

import static io.syncnode.support.Entities.clock;
import static org.assertj.core.api.Assertions.assertThat;

import io.syncnode.metrics.NodeMetrics;
import io.syncnode.support.Entities;
import io.syncnode.support.NodeTestBase;
import io.syncnode.support.TestDatabase;
import io.syncnode.support.TestNode;
import io.vertx.core.Future;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxTestContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Clocks were stored as jsonb up to schema 8 and are json text from schema 9 on. A node upgraded on a
 * database of the earlier schema serves and compares the clocks stored before as it did, and stores
 * new ones as it writes them.
 */
class ClockColumnMigrationTest extends NodeTestBase {
  private static final String TENANT = "default";
  private static final String ESCAPED_DEVICE = "d\u00e9\"sk";
  /** laptop 3, and 1 for a device whose id needs an escape in JSON */
  private static final String ESCAPED_CLOCK = "{\"laptop\": 3, \"d\u00e9\\\"sk\": 1}";

  /** Hides NodeTestBase's: the node starts on a database that an earlier release left at schema 8, with rows in it. */
  @BeforeAll
  static void startNode() throws Exception {
    metrics = NodeMetrics.create(true);
    vertx = metrics.vertxBuilder(new VertxOptions()).build();
    db = TestDatabase.createAtVersion(ClockColumnMigrationTest.class, "8");
    Pool pool = db.pool(vertx);
    try {
      pool.query("INSERT INTO memories (tenant_id, id, vector_clock, created_at, updated_at, content, type, tags,"
          + " namespace_id, metadata, change_pos, changed_at, last_modified_by)"
          + " SELECT '" + TENANT + "', v.id, v.clock::jsonb, now(), now(), 'stored before', 'fact', '{}', 'ns', '{}',"
          + " pg_current_xact_id()::text::bigint * 1048576 + v.n, now(), 'laptop'"
          + " FROM (VALUES (1, 'escaped', '" + ESCAPED_CLOCK + "'), (2, 'plain', '{\"laptop\": 2}'),"
          + " (3, 'escaped-pushed', '" + ESCAPED_CLOCK + "'), (4, 'plain-pushed', '{\"laptop\": 2}'))"
          + " AS v(n, id, clock)").execute().await();
    } finally {
      pool.close().await();
    }
    // as Main does when a node starts
    Database.prepare(db.config(Map.of()).pg());
    node = TestNode.startAndWait(vertx, db, Map.of(), metrics);
  }

  @Test
  void everyClockColumnIsJsonAfterTheMigration(VertxTestContext test) {
    node.inspect.query("SELECT attrelid::regclass::text, format_type(atttypid, atttypmod) FROM pg_attribute"
            + " WHERE attname = 'vector_clock' AND attrelid IN ('memories'::regclass, 'sessions'::regclass, 'edges'::regclass)")
        .execute()
        .map(rows -> {
          Map<String, String> types = new LinkedHashMap<>();
          rows.forEach(row -> types.put(row.getString(0), row.getString(1)));
          assertThat(types).containsOnly(Map.entry("memories", "json"), Map.entry("sessions", "json"),
              Map.entry("edges", "json"));
          return null;
        })
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  void clocksStoredBeforeArePulledAsTheyWere(VertxTestContext test) {
    pullAll("reader", null, 1000)
        .map(pages -> {
          Map<String, JsonObject> clocks = new LinkedHashMap<>();
          for (JsonObject page : pages.pages) {
            page.getJsonArray("memories").forEach(m -> clocks.put(((JsonObject) m).getString("id"),
                ((JsonObject) m).getJsonObject("vector_clock")));
          }
          assertThat(clocks).containsEntry("escaped", clock("laptop", 3, ESCAPED_DEVICE, 1))
              .containsEntry("plain", clock("laptop", 2));
          return null;
        })
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  void clocksStoredBeforeDecideVerdictsAndNewOnesAreStoredAsTheNodeWritesThem(VertxTestContext test) {
    call("push", Entities.pushMemories("laptop", Entities.memory("escaped-pushed", "newer", clock("laptop", 4, ESCAPED_DEVICE, 1))))
        .compose(pushed -> {
          assertThat(pushed.getInteger("accepted")).isEqualTo(1);
          return storedClock("escaped-pushed");
        })
        .compose(stored -> {
          assertThat(stored).isEqualTo("{\"d\u00e9\\\"sk\":1,\"laptop\":4}");
          return call("push", Entities.pushMemories("laptop", Entities.memory("plain-pushed", "stale", clock("laptop", 1))));
        })
        .compose(stale -> {
          assertThat(stale.getString("status")).isEqualTo("partial");
          assertThat(stale.getInteger("rejected")).isEqualTo(1);
          return call("push", Entities.pushMemories("desktop", Entities.memory("plain-pushed", "theirs", clock("desktop", 1))));
        })
        .compose(concurrent -> {
          JsonArray conflicts = concurrent.getJsonArray("conflicts");
          assertThat(conflicts).hasSize(1);
          assertThat(conflicts.getJsonObject(0).getJsonObject("server_clock")).isEqualTo(clock("laptop", 2));
          return storedClock("plain-pushed");
        })
        .map(stored -> {
          // never rewritten: as PostgreSQL printed the jsonb it was
          assertThat(stored).isEqualTo("{\"laptop\": 2}");
          return null;
        })
        .onComplete(test.succeedingThenComplete());
  }

  private static Future<String> storedClock(String id) {
    return node.inspect.preparedQuery("SELECT vector_clock::text FROM memories WHERE tenant_id = $1 AND id = $2")
        .execute(Tuple.of(TENANT, id))
        .map(rows -> {
          assertThat(rows.size()).isEqualTo(1);
          Row row = rows.iterator().next();
          return row.getString(0);
        });
  }
}
