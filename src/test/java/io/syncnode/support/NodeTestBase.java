package io.syncnode.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.syncnode.metrics.NodeMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test class against one node in this JVM, on a database of the class's own (created before the
 * first test, dropped after the last). Tests share the node, so each uses ids of its own.
 */
@ExtendWith(VertxExtension.class)
public abstract class NodeTestBase {
  protected static Vertx vertx;
  protected static TestDatabase db;
  protected static TestNode node;
  /** The node's metrics, Vert.x's own included, as a node started by Main has them. */
  protected static NodeMetrics metrics;

  @BeforeAll
  static void startNode() throws Exception {
    metrics = NodeMetrics.create(true);
    vertx = metrics.vertxBuilder(new VertxOptions()).build();
    db = TestDatabase.create(NodeTestBase.class);
    node = TestNode.startAndWait(vertx, db, Map.of(), metrics);
  }

  @AfterAll
  static void stopNode() throws Exception {
    TestNode.stopAndDrop(node, vertx, db);
  }

  /** For a class whose node reads from a standby ({@link #startNodeReadingFromAStandby}): its servers. */
  protected static PrimaryAndStandby pair;
  /**
   * The standby applies each commit this late, so that a read on it that does not wait for the
   * commits it must see misses them every time, not only when the standby happens to be slow.
   */
  protected static final long STANDBY_APPLY_DELAY_MS = 30;

  /**
   * For a class that hides {@code startNode()}: its node runs on a private primary with a hot standby
   * in pg.replicas, so that the tests it inherits read from the standby.
   */
  protected static void startNodeReadingFromAStandby(Map<String, String> env) throws Exception {
    metrics = NodeMetrics.create(true);
    vertx = metrics.vertxBuilder(new VertxOptions()).build();
    pair = PrimaryAndStandby.start(false, STANDBY_APPLY_DELAY_MS);
    db = TestDatabase.create(NodeTestBase.class, "127.0.0.1", pair.primary.port);
    Map<String, String> all = new java.util.HashMap<>(env);
    all.put("SYNCNODE_PG_REPLICAS", pair.standby.address());
    node = TestNode.startAndWait(vertx, db, all, metrics);
  }

  /**
   * Checks that the standby of {@link #startNodeReadingFromAStandby} served change-feed reads, then
   * stops the node and its servers.
   */
  protected static void stopNodeAndServers() throws Exception {
    try {
      String feedRead = "t.change_pos FROM memories t";
      long onStandby = pair.standby.statementsContaining(db.name(), feedRead);
      System.out.printf("feed reads of memories: %d on the standby, %d on the primary%n", onStandby,
          pair.primary.statementsContaining(db.name(), feedRead));
      org.assertj.core.api.Assertions.assertThat(onStandby).as("feed reads served by the standby").isPositive();
    } finally {
      stopNodeOnStandby();
    }
  }

  private static void stopNodeOnStandby() throws Exception {
    try {
      TestNode.stopAndClose(node, vertx);
    } finally {
      pair.close();
      pair = null;
    }
  }

  /** A fresh id with a readable prefix, so that tests sharing the node never touch each other's rows. */
  protected static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** POSTs to /api/sync/{endpoint}, expects 200 and returns the JSON body. */
  protected static Future<JsonObject> call(String endpoint, JsonObject body) {
    return node.post("/api/sync/" + endpoint, body).map(response -> {
      assertThat(response.statusCode()).as(endpoint + " answered " + response.bodyAsString()).isEqualTo(200);
      return response.bodyAsJsonObject();
    });
  }

  /** Pulls every page from the start with the given limit and returns all entities of all pages, by type. */
  protected static Future<PulledPages> pullAll(String device, String since, int limit) {
    return pullFrom(new PulledPages(), device, since, limit, 0);
  }

  private static Future<PulledPages> pullFrom(PulledPages pages, String device, String since, int limit, long offset) {
    return call("pull", Entities.pull(device, since, limit, offset)).compose(page -> {
      pages.add(page);
      if (page.getBoolean("has_more")) {
        assertThat(page.getLong("next_offset")).isGreaterThan(offset);
        return pullFrom(pages, device, since, limit, page.getLong("next_offset"));
      }
      return Future.succeededFuture(pages);
    });
  }
}
