package io.syncnode.cluster;

import static io.syncnode.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.syncnode.protocol.EntityType;
import io.syncnode.support.ClusterMembers;
import io.syncnode.support.Entities;
import io.syncnode.support.PrometheusText;
import io.syncnode.support.TestDatabase;
import io.syncnode.support.TestNode;
import io.syncnode.worker.api.Addresses;
import io.syncnode.worker.api.ChangeEvent;
import io.syncnode.worker.api.ChangeOp;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two clustered nodes in this JVM on one database: change events reach every node; a lock timeout stores nothing. */
class ClusteredNodesTest {
  private static TestDatabase db;
  private static ClusterMembers cluster;
  private static TestNode a;
  private static TestNode b;

  @BeforeAll
  static void start() throws Exception {
    db = TestDatabase.create(ClusteredNodesTest.class);
    cluster = ClusterMembers.start(2);
    Map<String, String> env = Map.of("SYNCNODE_LOCKS_TIMEOUTMS", "300", "SYNCNODE_LOCKS_LEASEMS", "20000",
        "SYNCNODE_LOCKS_STRIPES", "1024");
    a = await(TestNode.start(cluster, 0, db, env));
    b = await(TestNode.start(cluster, 1, db, env));
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      await(a.stop());
      await(b.stop());
      cluster.close();
    } finally {
      db.close();
    }
  }


  @Test
  void aChangeCommittedThroughOneNodeIsHeardByTheOther() throws Exception {
    long before = b.node.changedEntitiesSeen();
    JsonObject result = await(a.post("/api/sync/push", Entities.pushMemories("dev",
        Entities.memory("evt-1", "one", Entities.clock("dev", 1)),
        Entities.memory("evt-2", "two", Entities.clock("dev", 1))))).bodyAsJsonObject();
    assertThat(result.getInteger("accepted")).isEqualTo(2);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (b.node.changedEntitiesSeen() < before + 2 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(b.node.changedEntitiesSeen()).isEqualTo(before + 2);
    assertThat(a.node.changedEntitiesSeen()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void eachClusteredNodeServesItsMetrics() throws Exception {
    for (TestNode node : List.of(a, b)) {
      var response = await(node.client.get("/metrics").send());
      assertThat(response.statusCode()).isEqualTo(200);
      PrometheusText metrics = PrometheusText.parse(response.bodyAsString());
      assertThat(metrics.value("syncnode_cluster_members", Map.of())).contains(2.0);
      assertThat(metrics.value("vertx_eventbus_handlers", Map.of("address", "syncnode.changes"))).contains(1.0);
      assertThat(metrics.all("vertx_pool_in_use", Map.of("pool_name", "syncnode-pg"))).isNotEmpty();
    }
  }

  @Test
  void theOtherNodesListenersOfTheTenantHearWhatHappenedToEachId() throws Exception {
    BlockingQueue<ChangeEvent> heard = new LinkedBlockingQueue<>();
    MessageConsumer<ChangeEvent> listener = b.vertx.eventBus().localConsumer(Addresses.changesOf("default"),
        message -> heard.add(message.body()));
    await(listener.completion());
    try {
      await(a.post("/api/sync/push", Entities.pushMemories("dev",
          Entities.memory("ops-1", "one", Entities.clock("dev", 1)),
          Entities.memory("ops-2", "two", Entities.clock("dev", 1)))));
      await(a.post("/api/sync/push", Entities.pushMemories("dev",
          Entities.memory("ops-1", "one, again", Entities.clock("dev", 2)),
          Entities.memory("ops-2", "two", Entities.clock("dev", 2)).put("deleted_at", "2025-12-02T11:00:00Z"))));

      ChangeEvent created = nextMemoryEvent(heard);
      assertThat(created.tenant()).isEqualTo("default");
      assertThat(created.ids()).containsExactly("ops-1", "ops-2");
      assertThat(created.ops()).containsExactly(ChangeOp.CREATED, ChangeOp.CREATED);
      ChangeEvent changed = nextMemoryEvent(heard);
      assertThat(changed.ids()).containsExactly("ops-1", "ops-2");
      assertThat(changed.ops()).containsExactly(ChangeOp.UPDATED, ChangeOp.DELETED);
      assertThat(changed.positions()[0]).isGreaterThan(created.lastPosition());
    } finally {
      await(listener.unregister());
    }
  }

  private static ChangeEvent nextMemoryEvent(BlockingQueue<ChangeEvent> heard) throws InterruptedException {
    while (true) {
      ChangeEvent event = heard.poll(30, TimeUnit.SECONDS);
      assertThat(event).as("a change event within 30 s").isNotNull();
      if (event.type() == EntityType.MEMORY && event.ids().get(0).startsWith("ops-")) {
        return event;
      }
    }
  }

  @Test
  void aPushWhoseStripesStayHeldIsAnswered503AndStoresNothing() throws Exception {
    String id = "held-1";
    var member = cluster.members.get(0);
    StripeLocks holder = new HazelcastStripeLocks(member.vertx(), member.hazelcast(), 5_000, 20_000);
    List<String> stripes = StripeKeys.of("default", EntityType.MEMORY, List.of(id), 1024);
    StripeLocks.Lease lease = await(holder.acquire(stripes));
    String before = await(TestDatabase.fingerprint(b.inspect));
    var refused = await(b.post("/api/sync/push", Entities.pushMemories("dev",
        Entities.memory(id, "blocked", Entities.clock("dev", 1)))));
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.getHeader("Retry-After")).isEqualTo("1");
    assertThat(refused.bodyAsJsonObject().getString("error")).isEqualTo("unavailable");
    assertThat(refused.bodyAsJsonObject().getString("detail")).contains("could not lock");
    assertThat(PrometheusText.parse(await(b.client.get("/metrics").send()).bodyAsString())
        .value("syncnode_lock_timeouts_total", Map.of())).contains(1.0);
    assertThat(await(TestDatabase.fingerprint(b.inspect))).isEqualTo(before);

    await(holder.release(lease));
    long heardByA = a.node.changedEntitiesSeen();
    long heardByB = b.node.changedEntitiesSeen();
    var accepted = await(b.post("/api/sync/push", Entities.pushMemories("dev",
        Entities.memory(id, "free now", Entities.clock("dev", 1)))));
    assertThat(accepted.statusCode()).isEqualTo(200);
    assertThat(accepted.bodyAsJsonObject().getInteger("accepted")).isEqualTo(1);
    // The change event reaches the nodes after the answer: heard during the next test, it would be counted there.
    awaitHeard(a, heardByA + 1);
    awaitHeard(b, heardByB + 1);
  }

  private static void awaitHeard(TestNode node, long changes) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (node.node.changedEntitiesSeen() < changes && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(node.node.changedEntitiesSeen()).isEqualTo(changes);
  }
}
