package io.syncnode.http;

import static io.syncnode.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.syncnode.admin.Admin;
import io.syncnode.metrics.NodeMetrics;
import io.syncnode.support.PrometheusText;
import io.syncnode.support.TestDatabase;
import io.syncnode.support.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * vertx_http_server_active_requests counts requests in progress: after requests refused in every
 * way (unknown key, too large, a client that stops in the middle of its body, bad JSON, no such
 * endpoint), it is back where it was.
 */
class ActiveRequestsTest {
  private static Vertx vertx;
  private static TestDatabase db;
  private static TestNode node;
  private static String key;

  @BeforeAll
  static void start() throws Exception {
    db = TestDatabase.create(ActiveRequestsTest.class);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int status = new Admin(new PrintStream(out, true, StandardCharsets.UTF_8), System.err)
        .run(db.environment(Map.of()), new String[] {"create-key", "--tenant", "t1"});
    assertThat(status).isZero();
    String[] lines = out.toString(StandardCharsets.UTF_8).strip().split("\n");
    key = lines[lines.length - 1].strip();
    NodeMetrics metrics = NodeMetrics.create(true);
    vertx = metrics.vertxBuilder(new VertxOptions()).build();
    node = TestNode.startAndWait(vertx, db, Map.of("SYNCNODE_AUTH_MODE", "api-key",
        "SYNCNODE_HTTP_MAXBODYBYTES", "4096"), metrics);
  }

  @AfterAll
  static void stop() throws Exception {
    TestNode.stopAndDrop(node, vertx, db);
  }

  private static String request(String path, String apiKey, int contentLength) {
    return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + (apiKey == null ? "" : "X-API-Key: " + apiKey + "\r\n")
        + "Content-Length: " + contentLength + "\r\n\r\n";
  }

  /** Sends {@code head} and {@code body}, reads until the server answers (or closes), then closes. */
  private static void send(String head, String body, boolean readAnswer) throws IOException {
    try (Socket socket = new Socket()) {
      socket.setSoTimeout(10_000);
      socket.connect(new InetSocketAddress("127.0.0.1", node.port));
      socket.getOutputStream().write((head + body).getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      if (readAnswer) {
        InputStream in = socket.getInputStream();
        byte[] first = new byte[12];
        int read = in.read(first);
        assertThat(read).isPositive();
      }
    }
  }

  private static double active() throws Exception {
    String text = await(node.client.get("/metrics").send()).bodyAsString();
    return PrometheusText.parse(text).all("vertx_http_server_active_requests", Map.of()).stream()
        .mapToDouble(PrometheusText.Sample::value).sum();
  }

  @Test
  void everyKindOfRefusalEndsItsRequest() throws Exception {
    double before = active();
    String json = "{\"device_id\": \"d1\", \"memories\": []}";
    for (int i = 0; i < 5; i++) {
      // an unknown key, the body sent whole
      send(request("/api/sync/push", "sk-unknown-" + i, json.length()), json, true);
      // an unknown key, the client gives up in the middle of its body
      send(request("/api/sync/push", "sk-unknown-" + i, 100_000), json, true);
      // no key at all
      send(request("/api/sync/pull", null, json.length()), json, true);
      // larger than http.maxBodyBytes
      send(request("/api/sync/push", key, 10_000), "x".repeat(10_000), true);
      send(request("/api/sync/push", key, 1_000_000), "x".repeat(5_000), true);
      // a slow body the client abandons
      send(request("/api/sync/push", key, 1_000), json, false);
      // not JSON, and no such endpoint
      send(request("/api/sync/push", key, 3), "{{{", true);
      send(request("/api/sync/nothing", key, json.length()), json, true);
    }
    double after = before;
    for (int attempt = 0; attempt < 50; attempt++) {
      after = active();
      if (after <= before) {
        break;
      }
      Thread.sleep(100);
    }
    assertThat(after).as("active requests before %s, after %s", before, after).isEqualTo(before);
  }
}
