package io.syncnode.http;

import static io.syncnode.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.syncnode.support.TestDatabase;
import io.syncnode.support.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.junit5.VertxExtension;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * /ready follows the database: the node reaches PostgreSQL through a TCP relay the test can cut,
 * as if the database went away, and restore.
 */
@ExtendWith(VertxExtension.class)
class ReadinessTest {
  private static Vertx vertx;
  private static TestDatabase db;
  private static TestNode node;
  private static int relayPort;
  private static NetServer relay;
  private static final Set<NetSocket> open = ConcurrentHashMap.newKeySet();

  @BeforeAll
  static void start() throws Exception {
    db = TestDatabase.create(ReadinessTest.class);
    vertx = Vertx.vertx();
    relayPort = TestNode.freePort();
    await(openRelay());
    node = await(TestNode.start(vertx, db, Map.of("SYNCNODE_PG_PORT", Integer.toString(relayPort),
        "SYNCNODE_PG_CONNECTTIMEOUTMS", "1000")));
  }

  @AfterAll
  static void stop() throws Exception {
    TestNode.stopAndDrop(node, vertx, db);
  }


  /** Relays loopback connections to PostgreSQL on port 5432. */
  private static Future<NetServer> openRelay() {
    relay = vertx.createNetServer().connectHandler(in -> {
      in.pause();
      open.add(in);
      vertx.createNetClient().connect(Integer.parseInt(TestDatabase.PORT), TestDatabase.HOST).onComplete(out -> {
        open.add(out);
        in.handler(out::write);
        out.handler(in::write);
        in.closeHandler(v -> out.close());
        out.closeHandler(v -> in.close());
        in.resume();
      }, error -> in.close());
    });
    return relay.listen(relayPort, "127.0.0.1");
  }

  private static Future<Void> cutRelay() {
    return relay.close().map(v -> {
      open.forEach(NetSocket::close);
      open.clear();
      return null;
    });
  }

  private static JsonObject ready(int expectedStatus) throws Exception {
    var response = await(node.client.get("/ready").send());
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(expectedStatus);
    return response.bodyAsJsonObject();
  }

  /** syncnode_ready as /metrics serves it now. */
  private static double readyGauge() throws Exception {
    var response = await(node.client.get("/metrics").send());
    assertThat(response.statusCode()).isEqualTo(200);
    return io.syncnode.support.PrometheusText.parse(response.bodyAsString()).value("syncnode_ready", java.util.Map.of())
        .orElseThrow();
  }

  @Test
  void readyFollowsTheDatabaseAwayAndBack() throws Exception {
    JsonObject up = ready(200);
    assertThat(up.getString("status")).isEqualTo("ready");
    assertThat(up.getJsonObject("checks"))
        .isEqualTo(new JsonObject().put("database", "ok").put("migrations", "ok").put("cluster", "ok"));
    assertThat(readyGauge()).isEqualTo(1.0);

    await(cutRelay());
    JsonObject down = ready(503);
    assertThat(down.getString("status")).isEqualTo("not_ready");
    assertThat(down.getJsonObject("checks").getString("database")).startsWith("unreachable");
    assertThat(readyGauge()).as("syncnode_ready follows /ready").isEqualTo(0.0);
    assertThat(await(node.client.get("/health").send()).statusCode()).isEqualTo(200);

    await(openRelay());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    int status = 0;
    while (System.nanoTime() < deadline && status != 200) {
      status = await(node.client.get("/ready").send()).statusCode();
      Thread.sleep(200);
    }
    assertThat(status).as("ready again once the database is back").isEqualTo(200);
  }

  @Test
  void theSchemaVersionConstantIsTheNewestMigration() throws Exception {
    int newest = 0;
    try (var files = java.nio.file.Files.list(java.nio.file.Path.of("src", "main", "resources", "db", "migration"))) {
      for (var file : files.toList()) {
        String name = file.getFileName().toString();
        newest = Math.max(newest, Integer.parseInt(name.substring(1, name.indexOf("__"))));
      }
    }
    assertThat(io.syncnode.store.Readiness.SCHEMA_VERSION).isEqualTo(Integer.toString(newest));
  }

  @Test
  void requestIdsAreEchoedOrMade() throws Exception {
    var given = await(node.client.get("/health").putHeader("X-Request-Id", "trace-42").send());
    assertThat(given.getHeader("X-Request-Id")).isEqualTo("trace-42");
    var made = await(node.client.get("/health").send());
    assertThat(made.getHeader("X-Request-Id")).hasSize(36);
  }
}
