package io.syncnode;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncnode.config.ConfigLoader;
import io.syncnode.metrics.NodeMetrics;
import io.syncnode.support.Entities;
import io.syncnode.support.NodeProcess;
import io.syncnode.support.PostgresFolder;
import io.syncnode.support.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
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
 * A private PostgreSQL (started by bin/syncnode start-db, in a folder of its own) is restarted while
 * clients push: every answer is 200 or 503, and pushes succeed again afterwards without restarting
 * the node (its pool reconnects by itself).
 */
class PgRestartTest {
  private static final Path SCRIPT = Path.of("bin", "syncnode").toAbsolutePath();

  private static int script(Map<String, String> env, String command) throws Exception {
    try (NodeProcess run = NodeProcess.run(List.of(SCRIPT.toString(), command), env)) {
      int status = run.awaitExit(120);
      assertThat(status).as(run.output()).isZero();
      return status;
    }
  }

  @Test
  void restartingPostgresAnswersOnly200Or503() throws Exception {
    Path dir = PostgresFolder.create("syncnode-pg-restart");
    int pgPort = TestNode.freePort();
    int httpPort = TestNode.freePort();
    Map<String, String> pgEnv = Map.of("SYNCNODE_PG_PORT", Integer.toString(pgPort),
        "SYNCNODE_DEV_PGDATA", dir.resolve("pgdata").toString());
    NodeMetrics metrics = NodeMetrics.create(true);
    Vertx vertx = metrics.vertxBuilder(new VertxOptions()).build();
    SyncNode node = null;
    try {
      script(pgEnv, "start-db");
      Map<String, String> env = new HashMap<>(pgEnv);
      env.remove("SYNCNODE_DEV_PGDATA");
      env.put("SYNCNODE_PG_HOST", "127.0.0.1");
      env.put("SYNCNODE_PG_USER", "postgres");
      env.put("SYNCNODE_HTTP_PORT", Integer.toString(httpPort));
      env.put("SYNCNODE_PG_CONNECTTIMEOUTMS", "2000");
      io.syncnode.config.NodeConfig config = ConfigLoader.load(null, env);
      io.syncnode.store.Database.prepare(config.pg());
      node = SyncNode.start(vertx, config, null, metrics)
          .await(60, TimeUnit.SECONDS);
      WebClient client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
          .setDefaultPort(httpPort));
      Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
      AtomicInteger okAfterRestart = new AtomicInteger();
      AtomicBoolean restarted = new AtomicBoolean();
      AtomicBoolean running = new AtomicBoolean(true);
      List<Future<Void>> clients = new ArrayList<>();
      for (int c = 0; c < 4; c++) {
        clients.add(pusher(client, "client-" + c, 0, running, restarted, statuses, okAfterRestart));
      }
      Thread.sleep(2_000);
      script(pgEnv, "stop-db");
      Thread.sleep(1_000);
      script(pgEnv, "start-db");
      restarted.set(true);
      for (int waited = 0; waited < 300 && okAfterRestart.get() < 20; waited++) {
        Thread.sleep(100);
      }
      running.set(false);
      Future.all(clients).await(60, TimeUnit.SECONDS);
      System.out.println("PostgreSQL restarted under pushes: answers by status " + statuses);
      assertThat(statuses.keySet()).as("statuses " + statuses).containsOnly(200, 503);
      assertThat(statuses.get(503)).as("pushes met the restart").isNotNull();
      assertThat(okAfterRestart.get()).as("pushes succeed again after the restart").isGreaterThanOrEqualTo(20);
    } finally {
      if (node != null) {
        node.stop().await(60, TimeUnit.SECONDS);
      }
      vertx.close().await(30, TimeUnit.SECONDS);
      if (Files.exists(dir.resolve("pgdata").resolve("postmaster.pid"))) {
        script(pgEnv, "stop-db");
      }
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }

  private static Future<Void> pusher(WebClient client, String device, int n, AtomicBoolean running,
      AtomicBoolean restarted, Map<Integer, AtomicInteger> statuses, AtomicInteger okAfterRestart) {
    if (!running.get()) {
      return Future.succeededFuture();
    }
    boolean after = restarted.get();
    JsonObject body = Entities.pushMemories(device, Entities.memory(device + "-" + n, "c", Entities.clock(device, 1)));
    return client.post("/api/sync/push").putHeader("Content-Type", "application/json").sendBuffer(body.toBuffer())
        .map(response -> {
          statuses.computeIfAbsent(response.statusCode(), s -> new AtomicInteger()).incrementAndGet();
          if (response.statusCode() == 503) {
            assertThat(response.getHeader("Retry-After")).isNotNull();
          }
          if (after && response.statusCode() == 200) {
            okAfterRestart.incrementAndGet();
          }
          return null;
        })
        .otherwise(error -> null)
        .compose(v -> pusher(client, device, n + 1, running, restarted, statuses, okAfterRestart));
  }
}
