package io.syncnode.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncnode.support.LocalCluster;
import io.syncnode.support.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A node is killed (SIGKILL) while clients push through all three: the others keep answering,
 * the stripes the dead node held free themselves, and clients that retry their failed requests
 * end with every write stored.
 */
@ExtendWith(VertxExtension.class)
class ClusterNodeKilledTest {
  private static final long RUN_MS = 12_000;
  private static final long KILL_AT_MS = 4_000;
  private static final int CLIENTS = 6;
  private static final int NEW_PER_BATCH = 5;
  private static TestDatabase db;

  @BeforeAll
  static void createDatabase() {
    db = TestDatabase.create(ClusterNodeKilledTest.class);
  }

  @AfterAll
  static void dropDatabase() {
    db.close();
  }

  @Test
  void survivorsServeAndRetriedWritesAreAllStored(Vertx vertx) throws Exception {
    Map<String, String> env = Map.of(
        "SYNCNODE_CLUSTER_HEARTBEATTIMEOUTSECONDS", "5",
        "SYNCNODE_LOCKS_LEASEMS", "3000",
        "SYNCNODE_LOCKS_TIMEOUTMS", "15000");
    AtomicInteger batches = new AtomicInteger();
    AtomicInteger failedAttempts = new AtomicInteger();
    AtomicInteger answeredAfterKill = new AtomicInteger();
    AtomicLong slowestBatchMs = new AtomicLong();
    try (LocalCluster cluster = LocalCluster.start(db, 3, env)) {
      WebClient client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(2_000).setIdleTimeout(30));
      long start = System.currentTimeMillis();
      long[] killedAt = {Long.MAX_VALUE};
      vertx.setTimer(KILL_AT_MS, t -> vertx.executeBlocking(() -> {
        cluster.nodes.get(1).kill();
        killedAt[0] = System.currentTimeMillis();
        return null;
      }));
      List<Future<Void>> clients = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        clients.add(runClient(vertx, client, cluster.httpPorts, "client-" + c, 0, start + RUN_MS, killedAt, batches,
            failedAttempts, answeredAfterKill, slowestBatchMs));
      }
      Future.all(clients).await(RUN_MS + 120_000, TimeUnit.MILLISECONDS);

      System.out.printf("node killed: %d batches stored, %d failed attempts retried, %d answered after the kill,"
          + " slowest batch %d ms%n", batches.get(), failedAttempts.get(), answeredAfterKill.get(), slowestBatchMs.get());
      assertThat(killedAt[0]).as("the node was killed during the run").isLessThan(start + RUN_MS);
      assertThat(answeredAfterKill.get()).as("survivors answered after the kill").isGreaterThan(CLIENTS);
      assertThat(slowestBatchMs.get()).as("no batch waited for the dead node's stripes beyond the lease")
          .isLessThan(15_000);
      Pool inspect = db.pool(vertx);
      long stored = inspect.query("SELECT count(*) FROM memories WHERE id LIKE 'client-%'").execute()
          .map(rows -> rows.iterator().next().getLong(0))
          .await(30, TimeUnit.SECONDS);
      inspect.close();
      assertThat(stored).as(batches.get() + " batches, " + failedAttempts.get() + " failed attempts retried")
          .isEqualTo((long) batches.get() * NEW_PER_BATCH);
      assertThat(failedAttempts.get()).as("some requests met the dead node").isPositive();
      List<Integer> exits = cluster.stop();
      assertThat(exits.get(0)).isZero();
      assertThat(exits.get(2)).isZero();
    }
  }

  /** Pushes batches until the deadline; a failed push is sent again, to another node, until it is stored. */
  private static Future<Void> runClient(Vertx vertx, WebClient client, List<Integer> ports, String device,
      int batch, long deadline, long[] killedAt, AtomicInteger batches, AtomicInteger failedAttempts,
      AtomicInteger answeredAfterKill, AtomicLong slowestBatchMs) {
    if (System.currentTimeMillis() >= deadline) {
      return Future.succeededFuture();
    }
    JsonArray memories = new JsonArray();
    for (int i = 0; i < NEW_PER_BATCH; i++) {
      memories.add(new JsonObject().put("id", device + "-" + batch + "-" + i).put("content", "new")
          .put("vector_clock", new JsonObject().put(device, 1)));
    }
    for (int shared = 0; shared < 2; shared++) {
      memories.add(new JsonObject().put("id", "shared-" + shared).put("content", device + " " + batch)
          .put("vector_clock", new JsonObject().put(device, batch + 1)));
    }
    JsonObject body = new JsonObject().put("device_id", device).put("memories", memories);
    long started = System.currentTimeMillis();
    return pushUntilStored(vertx, client, ports, body, killedAt, failedAttempts, answeredAfterKill, 0)
        .compose(v -> {
          batches.incrementAndGet();
          slowestBatchMs.accumulateAndGet(System.currentTimeMillis() - started, Math::max);
          return runClient(vertx, client, ports, device, batch + 1, deadline, killedAt, batches, failedAttempts,
              answeredAfterKill, slowestBatchMs);
        });
  }

  private static Future<Void> pushUntilStored(Vertx vertx, WebClient client, List<Integer> ports, JsonObject body,
      long[] killedAt, AtomicInteger failedAttempts, AtomicInteger answeredAfterKill, int attempt) {
    if (attempt == 100) {
      return Future.failedFuture("a batch could not be stored in 100 attempts");
    }
    int port = ports.get(ThreadLocalRandom.current().nextInt(ports.size()));
    return client.post(port, "127.0.0.1", "/api/sync/push").timeout(20_000).sendJsonObject(body)
        .compose(response -> {
          if (response.statusCode() == 200) {
            if (System.currentTimeMillis() > killedAt[0]) {
              answeredAfterKill.incrementAndGet();
            }
            return Future.<Void>succeededFuture();
          }
          return Future.<Void>failedFuture("status " + response.statusCode() + ": " + response.bodyAsString());
        })
        .recover(error -> {
          failedAttempts.incrementAndGet();
          Promise<Void> retried = Promise.promise();
          vertx.setTimer(100, t -> pushUntilStored(vertx, client, ports, body, killedAt, failedAttempts,
              answeredAfterKill, attempt + 1).onComplete(retried));
          return retried.future();
        });
  }
}
