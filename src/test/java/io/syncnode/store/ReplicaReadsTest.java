package io.syncnode.store;

import static io.syncnode.support.Await.await;
import static io.syncnode.support.Entities.clock;
import static org.assertj.core.api.Assertions.assertThat;

import io.syncnode.support.Entities;
import io.syncnode.support.NodeTestBase;
import io.syncnode.support.TestNode;
import io.syncnode.worker.api.FeedMark;
import io.syncnode.worker.api.FeedQuery;
import io.syncnode.worker.api.MerkleSummary;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A node with a hot standby in pg.replicas: pull, status, diff and Merkle reads are served by the
 * standby (statements counted in each server's log); a device that pushed sees its push while the
 * standby's replay is paused; a standby that lags or is stopped is skipped.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicaReadsTest extends NodeTestBase {
  /** A fragment of each kind of read, as the servers log it. */
  private static final Map<String, String> READS = new LinkedHashMap<>();

  static {
    READS.put("pull", "t.change_pos FROM memories t");
    READS.put("status", "SELECT count(*) FROM memories WHERE");
    READS.put("diff", "AS m(entry_id, entry_hash");
    READS.put("merkle", "AS entries, encode(sha256");
  }

  /** Memories pushed by the tests of this class, the only ones in its database. */
  private static final java.util.concurrent.atomic.AtomicLong PUSHED = new java.util.concurrent.atomic.AtomicLong();

  /** Hides NodeTestBase's. */
  @BeforeAll
  static void startNode() throws Exception {
    startNodeReadingFromAStandby(Map.of("SYNCNODE_PG_MAXREPLICALAGMS", "1000"));
  }

  /** Hides NodeTestBase's. */
  @AfterAll
  static void stopNode() throws Exception {
    stopNodeAndServers();
  }

  @Test
  @Order(1)
  void readsAreServedByTheStandby() throws Exception {
    String ns = unique("served");
    String id = pushOne(unique("writer"), ns);
    pair.awaitReplayed();
    // the replay of the node's start (a new database, its migrations) may have been judged a lag
    awaitReplicaState("serving reads"::equals, "the replica serves reads");
    Map<String, long[]> before = counts();

    // A read whose standby has not caught up within the node's short wait runs on the primary; on
    // a busy machine that happens now and then, so each kind of read gets three chances.
    Map<String, long[]> after = before;
    for (int attempt = 0; attempt < 3 && !everyReadOnTheStandby(before, after); attempt++) {
      assertThat(readEverything(unique("reader"), ns)).containsExactly(id, id, id);
      after = counts();
    }
    for (String read : READS.keySet()) {
      assertThat(after.get(read)[1] - before.get(read)[1]).as(read + " statements on the standby").isPositive();
    }
    assertThat(replicaState()).isEqualTo("serving reads");
  }

  /**
   * The argument of FeedWatermark, shown broken: a bound read on the primary, rows read on a standby
   * that has not replayed up to it, and a row below the bound is missing (a cursor moved to the bound
   * would skip it for good). The node reads the same rows, waiting for the standby or falling back
   * to the primary, and a device sees its own push in every read, also a push made through another
   * node.
   */
  @Test
  @Order(2)
  void withReplayPausedADeviceSeesItsOwnPushInEveryRead() throws Exception {
    String ns = unique("paused");
    String device = unique("writer");
    Pool standby = PgBuilder.pool().with(new PoolOptions().setMaxSize(1))
        .connectingTo(new PgConnectOptions().setHost("127.0.0.1").setPort(pair.standby.port).setUser("postgres")
            .setDatabase(db.name()))
        .using(vertx).build();
    pair.pauseReplay();
    try {
      String id = pushOne(device, ns);

      FeedMark mark = await(new FeedWatermark(node.inspect, ReadPools.primaryOnly(node.inspect), new FeedMarks(node.inspect), 60_000)
          .current());
      FeedQuery window = new FeedQuery("default", 0, mark.positionBound(), null, List.of(ns));
      long[] onPrimary = await(new EntityStore<>(node.inspect, new MemoryTable()).feedPositions(window, 10, false)).inWindow();
      long[] onStandby = await(new EntityStore<>(node.inspect, ReadPools.primaryOnly(standby), new MemoryTable())
          .feedPositions(window, 10, false)).inWindow();
      assertThat(onPrimary).hasSize(1);
      assertThat(onPrimary[0]).isLessThan(mark.positionBound());
      assertThat(onStandby).as("below the bound, on the standby that has not replayed the push").isEmpty();

      Map<String, long[]> before = counts();
      assertThat(readEverything(device, ns)).containsExactly(id, id, id);

      // pushed through another node, read through this one
      io.vertx.core.Vertx otherVertx = io.vertx.core.Vertx.vertx();
      TestNode other = null;
      try {
        other = TestNode.startAndWait(otherVertx, db, Map.of("SYNCNODE_PG_REPLICAS", pair.standby.address()));
        String otherId = pushOne(other, device, ns);
        assertThat(readEverything(device, ns)).containsExactlyInAnyOrder(id, otherId, id, otherId, id, otherId);
      } finally {
        TestNode.stopAndClose(other, otherVertx);
      }
      Map<String, long[]> after = counts();
      for (String read : READS.keySet()) {
        assertThat(after.get(read)[1] - before.get(read)[1]).as(read + " statements on the paused standby").isZero();
      }
    } finally {
      pair.resumeReplay();
      await(standby.close());
    }
  }

  @Test
  @Order(3)
  void aStandbyThatLagsTooFarIsSkippedUntilItCatchesUp() throws Exception {
    String ns = unique("lagging");
    pair.pauseReplay();
    try {
      pushOne(unique("writer"), ns);
      awaitReplicaState(state -> state.startsWith("lags "), "the replica is seen lagging");
      Map<String, long[]> before = counts();
      JsonObject merkle = await(call("merkle", new JsonObject().put("device_id", unique("reader"))
          .put("namespace_ids", new JsonArray().add(ns))));
      assertThat(merkle.getJsonObject("memories").getLong("count")).isEqualTo(1);
      Map<String, long[]> after = counts();
      assertThat(after.get("merkle")[0] - before.get("merkle")[0]).as("merkle on the primary").isPositive();
      assertThat(after.get("merkle")[1] - before.get("merkle")[1]).as("merkle on the standby").isZero();
    } finally {
      pair.resumeReplay();
    }
    awaitReplicaState("serving reads"::equals, "the replica serves reads again");
  }

  @Test
  @Order(4)
  void aStoppedStandbyIsSkipped() throws Exception {
    String ns = unique("stopped");
    String device = unique("writer");
    pair.standby.stop();
    awaitReplicaState(state -> state.startsWith("does not answer"), "the replica is seen down");
    String id = pushOne(device, ns);
    assertThat(readEverything(device, ns)).containsExactly(id, id, id);
    JsonObject ready = await(node.client.get("/ready").send()).bodyAsJsonObject();
    assertThat(ready.getString("status")).as("a replica down leaves the node ready").isEqualTo("ready");
  }

  private static String pushOne(String device, String ns) throws Exception {
    return pushOne(node, device, ns);
  }

  private static String pushOne(TestNode via, String device, String ns) throws Exception {
    String id = unique("m");
    HttpResponse<Buffer> answer = await(via.post("/api/sync/push", Entities.pushMemories(device,
        Entities.memory(id, "c", clock(device, 1)).put("namespace_id", ns))));
    assertThat(answer.statusCode()).as(answer.bodyAsString()).isEqualTo(200);
    assertThat(answer.bodyAsJsonObject().getInteger("accepted")).isEqualTo(1);
    PUSHED.incrementAndGet();
    return id;
  }

  /**
   * The memory ids of namespace {@code ns} that a pull, a diff (empty manifest) and the entries of
   * the Merkle buckets that are not empty show {@code device}; and the status of a new device must
   * count every memory pushed so far.
   */
  private static List<String> readEverything(String device, String ns) throws Exception {
    JsonArray namespaces = new JsonArray().add(ns);
    List<String> ids = new ArrayList<>();
    JsonObject pull = await(call("pull", new JsonObject().put("device_id", device).put("namespace_ids", namespaces)));
    pull.getJsonArray("memories").forEach(m -> ids.add(((JsonObject) m).getString("id")));
    JsonObject diff = await(call("diff", new JsonObject().put("device_id", device).put("namespace_ids", namespaces)
        .put("memories", new JsonArray()).put("sessions", new JsonArray()).put("edges", new JsonArray())));
    diff.getJsonArray("missing_memories").forEach(m -> ids.add(((JsonObject) m).getString("id")));
    JsonObject summary = await(call("merkle", new JsonObject().put("device_id", device).put("namespace_ids", namespaces)));
    JsonArray buckets = summary.getJsonObject("memories").getJsonArray("buckets");
    String empty = MerkleSummary.emptyBuckets()[0];
    JsonArray filled = new JsonArray();
    for (int b = 0; b < buckets.size(); b++) {
      if (!buckets.getString(b).equals(empty)) {
        filled.add(b);
      }
    }
    JsonObject entries = await(call("merkle", new JsonObject().put("device_id", device).put("namespace_ids", namespaces)
        .put("buckets", filled)));
    entries.getJsonObject("entries").getJsonArray("memories").forEach(e -> ids.add(((JsonObject) e).getString("id")));
    String other = unique("other");
    await(call("register", new JsonObject().put("device_id", other).put("device_name", "o").put("platform", "linux")
        .put("client_version", "1")));
    JsonObject status = await(call("status", new JsonObject().put("device_id", other)));
    assertThat(status.getLong("pending_pull_memories")).as("every memory pushed so far, for a new device")
        .isEqualTo(PUSHED.get());
    return ids;
  }

  private static boolean everyReadOnTheStandby(Map<String, long[]> before, Map<String, long[]> after) {
    return READS.keySet().stream().allMatch(read -> after.get(read)[1] > before.get(read)[1]);
  }

  /** Per kind of read, the statements logged so far on the primary and on the standby. */
  private static Map<String, long[]> counts() throws Exception {
    Map<String, long[]> counts = new LinkedHashMap<>();
    for (Map.Entry<String, String> read : READS.entrySet()) {
      counts.put(read.getKey(), new long[] {pair.primary.statementsContaining(db.name(), read.getValue()),
          pair.standby.statementsContaining(db.name(), read.getValue())});
    }
    return counts;
  }

  private static String replicaState() throws Exception {
    JsonObject ready = await(node.client.get("/ready").send()).bodyAsJsonObject();
    return ready.getJsonObject("database").getJsonArray("replicas").getJsonObject(0).getString("state");
  }

  private static void awaitReplicaState(Predicate<String> wanted, String what) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    String state = replicaState();
    while (!wanted.test(state)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 20 s: " + what + " (state: " + state + ")");
      }
      Thread.sleep(50);
      state = replicaState();
    }
  }
}
