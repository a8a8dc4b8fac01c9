package io.syncnode.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncnode.support.LocalCluster;
import io.syncnode.support.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Three node processes on one database; many clients read an entity, increment their own
 * device's counter and push it back, through all three nodes, on the same 20 ids. Afterwards the
 * final clock of every id dominates every accepted push's clock, and every node serves the same
 * state. With locks.mode=none PostgreSQL alone must guarantee it.
 */
@ExtendWith(VertxExtension.class)
class ClusterNoLostUpdateTest {
  private static final int IDS = 20;
  private static final int CLIENTS = 12;
  private static final long RUN_MS = 15_000;
  private static TestDatabase db;

  @BeforeAll
  static void createDatabase() {
    db = TestDatabase.create(ClusterNoLostUpdateTest.class);
  }

  @AfterAll
  static void dropDatabase() {
    db.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"none", "cluster"})
  void everyAcceptedPushSurvives(String lockMode, Vertx vertx) throws Exception {
    String namespace = "contended-" + lockMode;
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < IDS; i++) {
      ids.add(lockMode + "-id-" + i);
    }
    Map<String, List<JsonObject>> accepted = new ConcurrentHashMap<>();
    ids.forEach(id -> accepted.put(id, Collections.synchronizedList(new ArrayList<>())));
    AtomicInteger pushes = new AtomicInteger();
    InFlight inFlight = new InFlight();
    try (LocalCluster cluster = LocalCluster.start(db, 3, Map.of("SYNCNODE_LOCKS_MODE", lockMode))) {
      WebClient client = WebClient.create(vertx);
      long deadline = System.currentTimeMillis() + RUN_MS;
      List<Future<Void>> clients = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        clients.add(runClient(client, cluster.httpPorts, "device-" + lockMode + "-" + c, namespace, ids, accepted,
            pushes, inFlight, deadline));
      }
      Future.all(clients).await(RUN_MS + 60_000, TimeUnit.MILLISECONDS);

      List<Map<String, JsonObject>> views = new ArrayList<>();
      for (int port : cluster.httpPorts) {
        views.add(readClocks(client, port, "checker", namespace)
            .await(30, TimeUnit.SECONDS));
      }
      assertThat(views.get(1)).as("node 2 serves what node 1 serves").isEqualTo(views.get(0));
      assertThat(views.get(2)).as("node 3 serves what node 1 serves").isEqualTo(views.get(0));
      int acceptedCount = 0;
      for (String id : ids) {
        JsonObject last = views.get(0).get(id);
        for (JsonObject clock : accepted.get(id)) {
          acceptedCount++;
          for (String device : clock.fieldNames()) {
            assertThat(last.getLong(device, 0L)).as(id + " lost an accepted write of " + device)
                .isGreaterThanOrEqualTo(clock.getLong(device));
          }
        }
      }
      System.out.printf("locks.mode=%s: %d pushes through 3 nodes in %d ms, %d accepted, at most %d at once, none"
          + " lost%n", lockMode, pushes.get(), RUN_MS, acceptedCount, inFlight.most.get());
      // not a rate: only proof that the clients' read-modify-writes did race each other
      assertThat(inFlight.most.get()).as("pushes in flight at the same time").isGreaterThanOrEqualTo(2);
      assertThat(acceptedCount).as("accepted pushes").isPositive();
      assertThat(pushes.get() - acceptedCount).as("pushes refused for a clock that another push had passed")
          .isPositive();
      assertThat(cluster.stop()).containsOnly(0);
    }
  }

  /** How many pushes are on their way now, and the most seen at once. */
  private static final class InFlight {
    final AtomicInteger now = new AtomicInteger();
    final AtomicInteger most = new AtomicInteger();

    void begin() {
      most.accumulateAndGet(now.incrementAndGet(), Math::max);
    }

    void end() {
      now.decrementAndGet();
    }
  }

  private static Future<Void> runClient(WebClient client, List<Integer> ports, String device, String namespace,
      List<String> ids, Map<String, List<JsonObject>> accepted, AtomicInteger pushes, InFlight inFlight,
      long deadline) {
    if (System.currentTimeMillis() >= deadline) {
      return Future.succeededFuture();
    }
    int port = ports.get(ThreadLocalRandom.current().nextInt(ports.size()));
    String id = ids.get(ThreadLocalRandom.current().nextInt(ids.size()));
    return readClocks(client, port, device, namespace).compose(clocks -> {
      JsonObject clock = clocks.getOrDefault(id, new JsonObject()).copy();
      clock.put(device, clock.getLong(device, 0L) + 1);
      JsonObject memory = new JsonObject().put("id", id).put("content", device + " " + clock.encode())
          .put("namespace_id", namespace).put("vector_clock", clock);
      int pushPort = ports.get(ThreadLocalRandom.current().nextInt(ports.size()));
      inFlight.begin();
      return client.post(pushPort, "127.0.0.1", "/api/sync/push")
          .sendJsonObject(new JsonObject().put("device_id", device).put("memories", new JsonArray().add(memory)))
          .onComplete(done -> inFlight.end())
          .map(response -> {
            assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
            pushes.incrementAndGet();
            if (response.bodyAsJsonObject().getInteger("accepted") == 1) {
              accepted.get(id).add(clock);
            }
            return (Void) null;
          });
    }).compose(v -> runClient(client, ports, device, namespace, ids, accepted, pushes, inFlight, deadline));
  }

  static Future<Map<String, JsonObject>> readClocks(WebClient client, int port, String device, String namespace) {
    return client.post(port, "127.0.0.1", "/api/sync/pull")
        .sendJsonObject(new JsonObject().put("device_id", device).put("namespace_ids", new JsonArray().add(namespace)))
        .map(response -> {
          assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
          Map<String, JsonObject> clocks = new ConcurrentHashMap<>();
          response.bodyAsJsonObject().getJsonArray("memories").forEach(m -> {
            JsonObject memory = (JsonObject) m;
            clocks.put(memory.getString("id"), memory.getJsonObject("vector_clock"));
          });
          return clocks;
        });
  }
}
