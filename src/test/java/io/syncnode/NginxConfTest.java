package io.syncnode;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncnode.support.TestDatabase;
import io.syncnode.support.TestNode;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * deploy/nginx*.conf: a response carries X-Request-Id once (the node echoes it, so nginx adds it
 * only to the answers it makes itself), and nothing goes to a fixed path that every user shares.
 */
class NginxConfTest {
  @TempDir
  Path prefix;

  @ParameterizedTest
  @ValueSource(strings = {"deploy/nginx.conf", "deploy/nginx-compose.conf"})
  void xRequestIdIsAddedOnlyToNginxsOwnAnswersAndNoPathIsUnderTmp(String file) throws Exception {
    List<String> lines = Files.readAllLines(Path.of(file));
    Deque<StringBuilder> blocks = new ArrayDeque<>();
    blocks.push(new StringBuilder());
    int added = 0;
    for (String raw : lines) {
      String line = raw.replaceAll("#.*", "").trim();
      assertThat(line).as("%s: %s", file, raw).doesNotContain("/tmp");
      if (line.endsWith("{")) {
        blocks.push(new StringBuilder(line).append('\n'));
        continue;
      }
      if (line.equals("}")) {
        String block = blocks.pop().toString();
        if (block.contains("add_header X-Request-Id")) {
          added++;
          assertThat(block).as("%s: X-Request-Id added outside an answer nginx makes itself:\n%s", file, block)
              .startsWith("location").contains("return ");
        }
        continue;
      }
      blocks.peek().append(line).append('\n');
    }
    assertThat(added).as("nginx's own answers carry it").isEqualTo(3);
  }

  @Test
  void throughNginxAResponseCarriesTheRequestIdOnce() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/nginx")), "nginx is not installed");
    Vertx vertx = Vertx.vertx();
    TestDatabase db = TestDatabase.create(NginxConfTest.class);
    TestNode node = null;
    Process nginx = null;
    try {
      node = TestNode.startAndWait(vertx, db, Map.of());
      int listen = TestNode.freePort();
      String conf = Files.readString(Path.of("deploy/nginx.conf"))
          .replaceAll("127\\.0\\.0\\.1:876[678]", "127.0.0.1:" + node.port)
          .replace("listen 127.0.0.1:8080;", "listen 127.0.0.1:" + listen + ";");
      Path file = Files.writeString(prefix.resolve("nginx.conf"), conf);
      nginx = new ProcessBuilder("/usr/sbin/nginx", "-p", prefix.toString(), "-e", "stderr", "-c", file.toString(),
          "-g", "daemon off;").redirectErrorStream(true).redirectOutput(prefix.resolve("nginx.log").toFile()).start();
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> health = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (health == null) {
        try {
          health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + listen + "/health"))
              .header("X-Request-Id", "req-1").build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException notYet) {
          assertThat(System.nanoTime()).as(Files.readString(prefix.resolve("nginx.log"))).isLessThan(deadline);
          Thread.sleep(100);
        }
      }
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.headers().allValues("X-Request-Id")).containsExactly("req-1");
      HttpResponse<String> made = http.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + listen + "/api/sync/push")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(made.statusCode()).isEqualTo(405);
      assertThat(made.headers().allValues("X-Request-Id")).as("one, made by nginx").hasSize(1);
      HttpResponse<String> own = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + listen + "/metrics"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(own.statusCode()).isEqualTo(404);
      assertThat(own.headers().allValues("X-Request-Id")).as("nginx's own answer").hasSize(1);
      assertThat(prefix.resolve("nginx.pid")).as("the pid file under the prefix").exists();
    } finally {
      if (nginx != null) {
        nginx.destroy();
        nginx.waitFor(30, TimeUnit.SECONDS);
      }
      TestNode.stopAndDrop(node, vertx, db);
    }
  }
}
