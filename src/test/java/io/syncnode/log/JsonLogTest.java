package io.syncnode.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncnode.support.NodeProcess;
import io.syncnode.support.PomVersion;
import io.syncnode.support.TestDatabase;
import io.syncnode.support.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A node started with log.format=json writes nothing but JSON objects, one per line. */
@ExtendWith(VertxExtension.class)
class JsonLogTest {
  private static TestDatabase db;

  @BeforeAll
  static void createDatabase() {
    db = TestDatabase.create(JsonLogTest.class);
  }

  @AfterAll
  static void dropDatabase() {
    db.close();
  }

  @Test
  void everyLineIsJsonAndTheRequestLineHasTheRequestsFields(Vertx vertx) throws Exception {
    int port = TestNode.freePort();
    List<JsonObject> lines;
    try (NodeProcess node = NodeProcess.start(db.environment(Map.of(
        "SYNCNODE_HTTP_PORT", Integer.toString(port), "SYNCNODE_LOG_FORMAT", "json")))) {
      node.awaitListening(60);
      WebClient client = WebClient.create(vertx);
      int status = client.get(port, "127.0.0.1", "/health").putHeader("X-Request-Id", "json-log-check-7")
          .send().map(response -> response.statusCode())
          .await(30, TimeUnit.SECONDS);
      client.close();
      assertThat(status).isEqualTo(200);
      node.awaitOutput("json-log-check-7", 30);
      node.terminate();
      assertThat(node.awaitExit(60)).as(node.output()).isZero();
      lines = node.output().lines().map(JsonObject::new).toList();
    }

    assertThat(lines).allSatisfy(line -> {
      assertThat(Instant.parse(line.getString("ts"))).isNotNull();
      assertThat(line.getString("level")).isNotBlank();
      assertThat(line.getString("logger")).isNotBlank();
      assertThat(line.getString("thread")).isNotBlank();
      assertThat(line.getString("msg")).isNotNull();
    });
    assertThat(lines).anySatisfy(line -> assertThat(line.getString("msg")).startsWith("syncnode listening on")
        .contains("(version " + PomVersion.read() + ", "));
    JsonObject request = lines.stream().filter(line -> "json-log-check-7".equals(line.getString("request_id")))
        .findFirst().orElseThrow();
    assertThat(request.getString("logger")).isEqualTo("syncnode.requests");
    assertThat(request.getString("level")).isEqualTo("INFO");
    assertThat(request.getString("method")).isEqualTo("GET");
    assertThat(request.getString("path")).isEqualTo("/health");
    assertThat(request.getInteger("status")).isEqualTo(200);
    assertThat(request.getLong("duration_ms")).isNotNegative();
    assertThat(request.getString("msg")).startsWith("GET /health 200 ").endsWith(" request=json-log-check-7");
  }
}
