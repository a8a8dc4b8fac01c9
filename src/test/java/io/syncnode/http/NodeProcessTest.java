package io.syncnode.http;

import static io.syncnode.support.Entities.clock;
import static org.assertj.core.api.Assertions.assertThat;

import io.syncnode.support.Entities;
import io.syncnode.support.NodeProcess;
import io.syncnode.support.TestDatabase;
import io.syncnode.support.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The node as a process: bad configuration stops it naming the key; SIGTERM lets requests in flight finish. */
@ExtendWith(VertxExtension.class)
class NodeProcessTest {
  private static TestDatabase db;

  @BeforeAll
  static void createDatabase() {
    db = TestDatabase.create(NodeProcessTest.class);
  }

  @AfterAll
  static void dropDatabase() {
    db.close();
  }

  @Test
  void aBadValueStopsTheNodeWithAMessageNamingTheKey() throws Exception {
    try (NodeProcess node = NodeProcess.start(db.environment(Map.of("SYNCNODE_HTTP_PORT", "eighty")))) {
      assertThat(node.awaitExit(60)).isEqualTo(2);
      assertThat(node.output()).contains("http.port").contains("SYNCNODE_HTTP_PORT").contains("eighty");
    }
  }

  @Test
  void sigtermFinishesThePushInFlightAndExitsZero(Vertx vertx) throws Exception {
    int port = TestNode.freePort();
    JsonArray memories = new JsonArray();
    for (int i = 0; i < 500; i++) {
      memories.add(Entities.memory("inflight-" + i, "content " + i, clock("dev", 1)));
    }
    Buffer body = Entities.push("dev", memories, new JsonArray(), new JsonArray()).toBuffer();
    try (NodeProcess node = NodeProcess.start(db.environment(Map.of("SYNCNODE_HTTP_PORT", Integer.toString(port))))) {
      node.awaitListening(60);
      HttpClient client = vertx.createHttpClient();
      HttpClientRequest request = client.request(HttpMethod.POST, port, "127.0.0.1", "/api/sync/push")
          .await(10, TimeUnit.SECONDS);
      request.putHeader("Content-Type", "application/json").putHeader("Content-Length", Integer.toString(body.length()));
      var response = request.response().compose(r -> r.body().map(b -> new JsonObject()
          .put("status", r.statusCode()).put("body", b.toJsonObject())));
      // Half the body is sent, so the request is in flight when the node is told to stop.
      request.write(body.getBuffer(0, body.length() / 2))
          .await(10, TimeUnit.SECONDS);
      Thread.sleep(300);
      node.terminate();
      Thread.sleep(300);
      request.end(body.getBuffer(body.length() / 2, body.length()));
      JsonObject answered = response.await(30, TimeUnit.SECONDS);
      assertThat(answered.getInteger("status")).isEqualTo(200);
      assertThat(answered.getJsonObject("body").getInteger("accepted")).isEqualTo(500);
      assertThat(node.awaitExit(60)).as(node.output()).isZero();
      assertThat(node.output()).contains("stopping: no new requests").contains("stopped");
    }
    Pool inspect = db.pool(vertx);
    long stored = inspect.query("SELECT count(*) FROM memories WHERE id LIKE 'inflight-%'").execute()
        .map(rows -> rows.iterator().next().getLong(0))
        .await(10, TimeUnit.SECONDS);
    inspect.close();
    assertThat(stored).isEqualTo(500);
  }
}
