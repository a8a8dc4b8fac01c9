package io.syncnode.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncnode.config.ConfigLoader;
import io.syncnode.support.TestDatabase;
import io.syncnode.support.TestNode;
import io.syncnode.support.WsListener;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The parts of a running node read the reloadable settings from its current configuration, not a copy of start's. */
@ExtendWith(VertxExtension.class)
class ReloadedSettingsTest {
  private static Vertx vertx;
  private static TestDatabase db;
  private static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    db = TestDatabase.create(ReloadedSettingsTest.class);
    node = TestNode.startAndWait(vertx, db, Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    TestNode.stopAndDrop(node, vertx, db);
  }

  private static void reload(Map<String, String> env) {
    Map<String, String> all = new HashMap<>(db.environment(env));
    all.put("SYNCNODE_HTTP_PORT", Integer.toString(node.port));
    node.node.config().reload(ConfigLoader.merged(null, all));
  }

  private static int register() throws Exception {
    return node.post("/api/sync/register", new JsonObject().put("device_id", "reloaded")
            .put("device_name", "laptop").put("platform", "linux").put("client_version", "0.1.0"))
        .await(30, TimeUnit.SECONDS).statusCode();
  }

  @Test
  void aRateLimitSetByAReloadAppliesAtOnceAndGoesAgain() throws Exception {
    assertThat(register()).isEqualTo(200);
    assertThat(register()).isEqualTo(200);
    reload(Map.of("SYNCNODE_AUTH_RATELIMIT", "1", "SYNCNODE_AUTH_RATEBURST", "1"));
    try {
      assertThat(register()).isEqualTo(200);
      assertThat(register()).isEqualTo(429);
    } finally {
      reload(Map.of());
    }
    assertThat(register()).isEqualTo(200);
    assertThat(register()).isEqualTo(200);
  }

  @Test
  void aLiveSettingReloadedReachesTheConnectionsOpenedAfter() throws Exception {
    try (WsListener before = WsListener.connect(vertx, node.port, "/ws/memories")) {
      assertThat(before.next().getJsonObject("data").getLong("ping_interval_ms")).isEqualTo(30_000);
    }
    reload(Map.of("SYNCNODE_LIVE_PINGINTERVALMS", "1500"));
    try (WsListener after = WsListener.connect(vertx, node.port, "/ws/memories")) {
      assertThat(after.next().getJsonObject("data").getLong("ping_interval_ms")).isEqualTo(1500);
    } finally {
      reload(Map.of());
    }
  }

  @Test
  void aLimitReloadedAppliesToTheNextRequest() throws Exception {
    JsonObject pull = new JsonObject().put("device_id", "reloaded").put("limit", 50);
    assertThat(node.post("/api/sync/pull", pull).await(30, TimeUnit.SECONDS)
        .statusCode()).isEqualTo(200);
    reload(Map.of("SYNCNODE_LIMITS_MAXPULLLIMIT", "10"));
    try {
      var refused = node.post("/api/sync/pull", pull).await(30, TimeUnit.SECONDS);
      assertThat(refused.statusCode()).isEqualTo(422);
      assertThat(refused.bodyAsJsonObject().getString("field")).isEqualTo("limit");
    } finally {
      reload(Map.of());
    }
  }
}
