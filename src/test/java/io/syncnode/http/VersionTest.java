package io.syncnode.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncnode.support.NodeTestBase;
import io.syncnode.support.PomVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;

/** /health, / and /openapi.json carry the version of the build, the pom's. */
class VersionTest extends NodeTestBase {

  @Test
  void healthRootAndOpenApiCarryThePomsVersion(VertxTestContext test) {
    String version = PomVersion.read();
    node.client.get("/health").send()
        .compose(health -> {
          assertThat(health.statusCode()).isEqualTo(200);
          assertThat(health.bodyAsJsonObject().getString("version")).isEqualTo(version);
          return node.client.get("/").send();
        })
        .compose(root -> {
          assertThat(root.bodyAsJsonObject().getString("version")).isEqualTo(version);
          return node.client.get("/openapi.json").send();
        })
        .onComplete(test.succeeding(openapi -> test.verify(() -> {
          JsonObject document = openapi.bodyAsJsonObject();
          assertThat(document.getJsonObject("info").getString("version")).isEqualTo(version);
          assertThat(document.getString("openapi")).startsWith("3.");
          test.completeNow();
        })));
  }
}
