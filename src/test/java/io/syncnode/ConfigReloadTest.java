package io.syncnode;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncnode.support.NodeProcess;
import io.syncnode.support.TestDatabase;
import io.syncnode.support.TestNode;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGHUP on a node process: the configuration file is read again; what may change at run time
 * takes effect at once, a key that needs a restart is reported and keeps its value, and a file that
 * would not start a node is refused with the message it would stop one with, the node serving on.
 */
class ConfigReloadTest {
  private static TestDatabase db;
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @TempDir
  Path dir;

  @BeforeAll
  static void createDatabase() {
    db = TestDatabase.create(ConfigReloadTest.class);
  }

  @AfterAll
  static void dropDatabase() {
    db.close();
  }

  @Test
  void sighupAppliesWhatItCanReportsWhatNeedsARestartAndRefusesABrokenFile() throws Exception {
    int port = TestNode.freePort();
    int otherPort = TestNode.freePort();
    Path conf = dir.resolve("node.json");
    Files.writeString(conf, config(port, 3, "text", 16));
    try (NodeProcess node = NodeProcess.start(db.environment(Map.of()), "--conf", conf.toString())) {
      node.awaitListening(60);
      assertThat(pull(port, 3)).isEqualTo(200);
      assertThat(pull(port, 4)).isEqualTo(422);

      // A limit, the log format and a key that only a restart changes.
      Files.writeString(conf, config(otherPort, 5, "json", 8));
      node.hangUp();
      node.awaitOutput("2 key(s) need a restart", 30);
      assertThat(node.isAlive()).isTrue();
      assertThat(pull(port, 5)).as("limits.maxPullLimit is 5 now").isEqualTo(200);
      assertThat(pull(port, 6)).isEqualTo(422);
      assertThat(get(port, "/health")).isEqualTo(200);
      String output = node.output();
      assertThat(output).contains("limits.maxPullLimit from 3 to 5")
          .contains("log.format from \\\"text\\\" to \\\"json\\\"")
          .contains("pg.poolSize from 16 to 8 needs a restart")
          .contains("http.port from " + port + " to " + otherPort + " needs a restart");
      List<String> reloaded = node.lines().stream().filter(line -> line.contains("limits.maxPullLimit from 3 to 5"))
          .toList();
      assertThat(reloaded).singleElement().satisfies(line -> {
        JsonObject json = new JsonObject(line);
        assertThat(json.getString("level")).isEqualTo("INFO");
        assertThat(json.getString("msg")).isEqualTo("configuration reloaded: limits.maxPullLimit from 3 to 5");
      });

      // A value that would stop a node at start: the same message, and the node keeps its configuration.
      Files.writeString(conf, config(port, 0, "json", 16));
      String refusedAtStart;
      try (NodeProcess starting = NodeProcess.start(db.environment(Map.of()), "--conf", conf.toString())) {
        assertThat(starting.awaitExit(60)).isEqualTo(2);
        // the fatal line is JSON too, as log.format asks
        refusedAtStart = starting.lines().stream().filter(line -> line.contains("configuration error: ")).findFirst()
            .map(line -> new JsonObject(line).getString("msg")).orElseThrow();
      }
      assertThat(refusedAtStart).contains("limits.maxPullLimit");
      node.hangUp();
      node.awaitOutput("the node keeps its current configuration", 30);
      String refusedOnReload = node.lines().stream().filter(line -> line.contains("the node keeps its current"))
          .map(line -> new JsonObject(line).getString("msg")).findFirst().orElseThrow();
      assertThat(refusedOnReload).isEqualTo(refusedAtStart + "; the node keeps its current configuration");

      // Not JSON at all.
      Files.writeString(conf, "{\"limits\": {\"maxPullLimit\": 1,");
      node.hangUp();
      awaitCount(node, "the node keeps its current configuration", 2);
      assertThat(node.isAlive()).isTrue();
      assertThat(get(port, "/health")).isEqualTo(200);
      assertThat(pull(port, 5)).as("limits.maxPullLimit is still 5").isEqualTo(200);
      assertThat(pull(port, 6)).isEqualTo(422);

      node.terminate();
      assertThat(node.awaitExit(60)).as(node.output()).isZero();
    }
  }

  @Test
  void aNodeStartedIgnoringSighupSaysItWillNotReload() throws Exception {
    int port = TestNode.freePort();
    Map<String, String> env = new java.util.HashMap<>(db.environment(Map.of("SYNCNODE_HTTP_PORT",
        Integer.toString(port))));
    List<String> command = new java.util.ArrayList<>(List.of("nohup",
        ProcessHandle.current().info().command().orElse("java"), "-Xmx256m", "-cp",
        System.getProperty("java.class.path"), "io.syncnode.Main"));
    try (NodeProcess node = NodeProcess.run(command, env)) {
      node.awaitListening(60);
      assertThat(node.output()).contains("SIGHUP is ignored in this process");
      node.terminate();
      assertThat(node.awaitExit(60)).isZero();
    }
  }

  private static String config(int port, int maxPullLimit, String logFormat, int poolSize) {
    return new JsonObject()
        .put("http", new JsonObject().put("port", port))
        .put("pg", new JsonObject().put("poolSize", poolSize))
        .put("limits", new JsonObject().put("maxPullLimit", maxPullLimit))
        .put("log", new JsonObject().put("format", logFormat))
        .encodePrettily();
  }

  private static void awaitCount(NodeProcess node, String text, int count) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (node.lines().stream().filter(line -> line.contains(text)).count() < count) {
      assertThat(System.nanoTime()).as("'%s' %d times: %s", text, count, node.output()).isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  /** A pull of at most {@code limit} entities: 422 past limits.maxPullLimit. */
  private static int pull(int port, int limit) throws Exception {
    String body = new JsonObject().put("device_id", "dev").put("limit", limit).encode();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/sync/pull"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  private static int get(int port, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode();
  }
}
