package io.syncnode.bench;

import static io.syncnode.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.syncnode.support.ApiKeys;
import io.syncnode.support.TestDatabase;
import io.syncnode.support.TestNode;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The benchmark against a node that refuses some of its requests: what it reports of them. */
class BenchRefusedTest {
  private static Vertx vertx;
  private static TestDatabase db;
  private static TestNode node;
  private static String key;

  @BeforeAll
  static void start() throws Exception {
    db = TestDatabase.create(BenchRefusedTest.class);
    key = ApiKeys.create(db, "bench");
    vertx = Vertx.vertx();
    // one request a second per key, two at once: the registration and the first push pass
    node = TestNode.startAndWait(vertx, db, Map.of("SYNCNODE_AUTH_MODE", "api-key",
        "SYNCNODE_AUTH_RATELIMIT", "1", "SYNCNODE_AUTH_RATEBURST", "2"));
  }

  @AfterAll
  static void stop() throws Exception {
    TestNode.stopAndDrop(node, vertx, db);
  }

  private static BenchRun bench(String... options) {
    return new BenchRun(vertx, BenchOptions.parse(options),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
  }

  @Test
  void refusedRequestsAreCountedByStatusWithTheBytesOfTheirAnswers() throws Exception {
    BenchReport report = await(bench("--url", "http://127.0.0.1:" + node.port, "--api-key", key,
        "--scenario", "push", "--items", "20", "--batch", "1", "--devices", "1", "--concurrency", "1",
        "--duration", "30").run());
    // the run takes well under the 18 s it would need to earn a token for each push
    assertThat(report.requests()).isEqualTo(20);
    assertThat(report.accepted()).isPositive();
    assertThat(report.errors()).containsOnlyKeys("429");
    assertThat(report.errors().get("429")).isPositive();
    assertThat(report.errors().get("429") + report.accepted()).isEqualTo(20);
    // every answer's bytes are counted, the refusals' JSON errors too
    assertThat(report.bytesReceived()).isGreaterThan(20L * "{\"error\":\"\"}".length());
  }

  @Test
  void aRefusedKeyStopsTheRunWithTheNodesAnswer() {
    assertThatThrownBy(() -> await(bench("--url", "http://127.0.0.1:" + node.port, "--api-key",
        key.substring(0, key.length() - 4) + "AAAA", "--scenario", "pull", "--items", "10").run()))
        .hasMessageContaining("answered 401: {").hasMessageContaining("API key");
  }
}
