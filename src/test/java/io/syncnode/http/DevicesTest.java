package io.syncnode.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncnode.support.NodeTestBase;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;

/** Registration, the service endpoints, and what the root and health pages say. */
class DevicesTest extends NodeTestBase {

  @Test
  void registeringAgainUpdatesTheDeviceAndKeepsItsRegistrationTime(VertxTestContext test) {
    String device = unique("dev");
    JsonObject first = new JsonObject().put("device_id", device).put("device_name", "old").put("platform", "linux")
        .put("client_version", "0.1.0").put("unknown_field", "ignored");
    JsonObject second = first.copy().put("device_name", "new").put("client_version", "0.2.0");
    call("register", first)
        .compose(a -> call("register", second).map(b -> new JsonObject().put("a", a).put("b", b)))
        .onComplete(test.succeeding(both -> test.verify(() -> {
          JsonObject a = both.getJsonObject("a");
          JsonObject b = both.getJsonObject("b");
          assertThat(a.getString("device_name")).isEqualTo("old");
          assertThat(b.getString("device_name")).isEqualTo("new");
          assertThat(b.getString("client_version")).isEqualTo("0.2.0");
          assertThat(b.getString("registered_at")).isEqualTo(a.getString("registered_at"));
          assertThat(a.getValue("last_sync_at")).isNull();
          assertThat(a.getValue("sync_cursor")).isNull();
          test.completeNow();
        })));
  }

  @Test
  void aPullSetsTheSyncCursorAndLastSync(VertxTestContext test) {
    String device = unique("dev");
    JsonObject register = new JsonObject().put("device_id", device).put("device_name", "n").put("platform", "linux")
        .put("client_version", "1");
    call("register", register)
        .compose(r -> call("pull", new JsonObject().put("device_id", device)))
        .compose(pulled -> call("register", register).map(info -> {
          assertThat(info.getString("sync_cursor")).isEqualTo(pulled.getString("server_timestamp"));
          assertThat(info.getString("last_sync_at")).isNotNull();
          return info;
        }))
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  void healthAndRootDescribeTheService(VertxTestContext test) {
    node.client.get("/health").send()
        .compose(health -> {
          assertThat(health.statusCode()).isEqualTo(200);
          JsonObject body = health.bodyAsJsonObject();
          assertThat(body.getString("status")).isEqualTo("healthy");
          assertThat(body.getString("service")).isEqualTo("syncnode");
          assertThat(body.getString("timestamp")).endsWith("Z");
          return node.client.get("/").send();
        })
        .onComplete(test.succeeding(root -> test.verify(() -> {
          assertThat(root.statusCode()).isEqualTo(200);
          assertThat(root.bodyAsJsonObject().getString("service")).isEqualTo("syncnode");
          assertThat(root.bodyAsJsonObject().getJsonArray("endpoints").encode()).contains("/api/sync/push");
          assertThat(root.getHeader("Server")).isNull();
          test.completeNow();
        })));
  }
}
