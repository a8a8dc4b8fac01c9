package io.syncnode.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncnode.support.Entities;
import io.syncnode.support.LocalCluster;
import io.syncnode.support.NodeProcess;
import io.syncnode.support.PostgresFolder;
import io.syncnode.support.TestDatabase;
import io.syncnode.support.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Durability under faults: three node processes on a PostgreSQL of the test's own; clients push new
 * memories through all of them and record every one accepted, while one node is killed (SIGKILL)
 * and started again, another paused (SIGSTOP) and resumed, and PostgreSQL restarted. Afterwards a
 * survivor serves every accepted memory with its accepted content and clock.
 */
class DurabilityTest {
  private static final Path SCRIPT = Path.of("bin", "syncnode").toAbsolutePath();
  private static final int CLIENTS = 4;

  private record Accepted(String content, JsonObject clock) {}

  private static void script(Map<String, String> env, String command) throws Exception {
    try (NodeProcess run = NodeProcess.run(List.of(SCRIPT.toString(), command), env)) {
      assertThat(run.awaitExit(120)).as(run.output()).isZero();
    }
  }

  @Test
  void everyAcceptedWriteSurvivesKillPauseAndADatabaseRestart() throws Exception {
    Path dir = PostgresFolder.create("syncnode-durability");
    int pgPort = TestNode.freePort();
    Map<String, String> pgEnv = Map.of("SYNCNODE_PG_PORT", Integer.toString(pgPort),
        "SYNCNODE_DEV_PGDATA", dir.resolve("pgdata").toString());
    // the class's database on the shared PostgreSQL is not used: the nodes are pointed at the private one
    TestDatabase unused = TestDatabase.create(DurabilityTest.class);
    Vertx vertx = Vertx.vertx();
    try {
      script(pgEnv, "start-db");
      Map<String, String> env = new HashMap<>();
      env.put("SYNCNODE_PG_HOST", "127.0.0.1");
      env.put("SYNCNODE_PG_PORT", Integer.toString(pgPort));
      env.put("SYNCNODE_PG_USER", "postgres");
      env.put("SYNCNODE_PG_PASSWORD", "");
      env.put("SYNCNODE_PG_DATABASE", "syncnode_durability");
      env.put("SYNCNODE_PG_CONNECTTIMEOUTMS", "2000");
      env.put("SYNCNODE_CLUSTER_HEARTBEATTIMEOUTSECONDS", "5");
      env.put("SYNCNODE_LOCKS_LEASEMS", "3000");
      try (LocalCluster cluster = LocalCluster.start(unused, 3, env)) {
        WebClient client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(2_000)
            .setIdleTimeout(10));
        Map<String, Accepted> accepted = new ConcurrentHashMap<>();
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Future<Void>> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
          clients.add(push(client, cluster.httpPorts, "client-" + c, 0, running, accepted, statuses));
        }
        Thread.sleep(3_000);
        cluster.nodes.get(1).kill();
        Thread.sleep(2_000);
        cluster.restart(1);
        cluster.nodes.get(2).signal("STOP");
        Thread.sleep(6_000);
        cluster.nodes.get(2).signal("CONT");
        Thread.sleep(2_000);
        script(pgEnv, "stop-db");
        Thread.sleep(1_000);
        script(pgEnv, "start-db");
        Thread.sleep(5_000);
        running.set(false);
        Future.all(clients).await(60, TimeUnit.SECONDS);

        Map<String, JsonObject> stored = pullAll(client, cluster.httpPorts.get(0));
        System.out.printf("durability: %d memories accepted, answers by status %s, %d pulled%n",
            accepted.size(), statuses, stored.size());
        assertThat(accepted).hasSizeGreaterThan(50);
        List<String> lost = new ArrayList<>();
        accepted.forEach((id, item) -> {
          JsonObject memory = stored.get(id);
          if (memory == null || !item.content().equals(memory.getString("content"))
              || !covers(memory.getJsonObject("vector_clock"), item.clock())) {
            lost.add(id + " -> " + memory);
          }
        });
        assertThat(lost).as("accepted memories missing or changed").isEmpty();
      }
    } finally {
      await(vertx.close());
      if (Files.exists(dir.resolve("pgdata").resolve("postmaster.pid"))) {
        script(pgEnv, "stop-db");
      }
      unused.close();
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }

  /** Whether the stored clock has every entry of the accepted one, at least as high. */
  private static boolean covers(JsonObject stored, JsonObject accepted) {
    return stored != null && accepted.fieldNames().stream()
        .allMatch(k -> stored.getLong(k) != null && stored.getLong(k) >= accepted.getLong(k));
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.await(60, TimeUnit.SECONDS);
  }

  /** Pushes two new memories at a time through the nodes in turn, recording those accepted. */
  private static Future<Void> push(WebClient client, List<Integer> ports, String device, int n, AtomicBoolean running,
      Map<String, Accepted> accepted, Map<Integer, AtomicInteger> statuses) {
    if (!running.get()) {
      return Future.succeededFuture();
    }
    List<JsonObject> batch = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      String id = device + "-" + n + "-" + i;
      batch.add(Entities.memory(id, "content of " + id, Entities.clock(device, n + 1)));
    }
    int port = ports.get(n % ports.size());
    return client.post(port, "127.0.0.1", "/api/sync/push").timeout(5_000)
        .putHeader("Content-Type", "application/json")
        .sendBuffer(Entities.pushMemories(device, batch.toArray(JsonObject[]::new)).toBuffer())
        .map(response -> {
          statuses.computeIfAbsent(response.statusCode(), s -> new AtomicInteger()).incrementAndGet();
          if (response.statusCode() == 200 && response.bodyAsJsonObject().getInteger("accepted") == batch.size()) {
            for (JsonObject memory : batch) {
              accepted.put(memory.getString("id"),
                  new Accepted(memory.getString("content"), memory.getJsonObject("vector_clock")));
            }
          }
          return (Void) null;
        })
        .otherwise(error -> {
          statuses.computeIfAbsent(-1, s -> new AtomicInteger()).incrementAndGet();
          return null;
        })
        .compose(v -> push(client, ports, device, n + 1, running, accepted, statuses));
  }

  private static Map<String, JsonObject> pullAll(WebClient client, int port) throws Exception {
    Map<String, JsonObject> stored = new HashMap<>();
    String cursor = null;
    while (true) {
      JsonObject body = new JsonObject().put("device_id", "auditor").put("limit", 1000).put("cursor", cursor);
      var response = await(client.post(port, "127.0.0.1", "/api/sync/pull").putHeader("Content-Type", "application/json")
          .sendBuffer(body.toBuffer()));
      assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
      JsonObject page = response.bodyAsJsonObject();
      page.getJsonArray("memories").forEach(m -> stored.put(((JsonObject) m).getString("id"), (JsonObject) m));
      cursor = page.getString("cursor");
      if (!page.getBoolean("has_more")) {
        return stored;
      }
    }
  }
}
