package io.syncnode.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncnode.support.NodeTestBase;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxTestContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The benchmark against a running node, at small sizes: what it counts and reports. */
class BenchRunTest extends NodeTestBase {

  @ParameterizedTest
  @ValueSource(strings = {"push", "conflict", "pull", "diff", "mixed"})
  void reportsWhatItMoved(String scenario, VertxTestContext test) {
    BenchOptions options = BenchOptions.parse("--url", "http://127.0.0.1:" + node.port, "--scenario", scenario,
        "--items", "400", "--batch", "20", "--devices", "2", "--concurrency", "2", "--duration", "30");
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    new BenchRun(vertx, options, new PrintStream(progress, true, StandardCharsets.UTF_8)).run()
        .onComplete(test.succeeding(report -> test.verify(() -> {
          assertThat(report.errors()).isEmpty();
          assertThat(report.requests()).isPositive();
          assertThat(report.p50Ms()).isPositive();
          assertThat(report.maxMs()).isGreaterThanOrEqualTo(report.p99Ms());
          switch (scenario) {
            case "push" -> {
              assertThat(report.items()).isEqualTo(400);
              assertThat(report.requests()).isEqualTo(20);
              assertThat(report.accepted()).isEqualTo(400);
            }
            case "conflict" -> assertThat(report.conflicts() + report.rejected()).isPositive();
            case "pull", "diff" -> assertThat(report.items()).isGreaterThanOrEqualTo(400);
            default -> assertThat(report.items()).isPositive();
          }
          JsonObject json = report.toJson();
          assertThat(json.getString("scenario")).isEqualTo(scenario);
          assertThat(json.getJsonObject("latency_ms").fieldNames())
              .containsExactlyInAnyOrder("mean", "stddev", "p50", "p95", "p99", "max");
          assertThat(report.meanMs()).isPositive().isLessThanOrEqualTo(report.maxMs());
          assertThat(report.stddevMs()).isNotNegative();
          assertThat(report.bytesSent()).isPositive();
          assertThat(report.bytesReceived()).isPositive();
          if (scenario.equals("push")) {
            // 400 memories of 300 bytes of content went out, and little more
            assertThat(report.bytesSent()).isBetween(400L * 300, 400L * 1000);
          }
          assertThat(json.getDouble("bytes_sent_per_second")).isPositive();
          assertThat(report.toTable()).contains("items/s").contains("p99 ms").contains("errors")
              .contains("mean ms").contains("stddev ms").contains("sent bytes/s").contains("recv bytes/s");
          test.completeNow();
        })));
  }

  @Test
  void theWarmUpIsLeftOutOfTheReport(VertxTestContext test) {
    BenchOptions options = BenchOptions.parse("--url", "http://127.0.0.1:" + node.port, "--scenario", "push",
        "--items", "400", "--batch", "20", "--devices", "2", "--concurrency", "2", "--warmup", "100");
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    new BenchRun(vertx, options, new PrintStream(progress, true, StandardCharsets.UTF_8)).run()
        .onComplete(test.succeeding(report -> test.verify(() -> {
          assertThat(progress.toString(StandardCharsets.UTF_8)).contains("warming up: 100 items");
          assertThat(report.items()).isEqualTo(400);
          assertThat(report.requests()).isEqualTo(20);
          assertThat(report.accepted()).isEqualTo(400);
          test.completeNow();
        })));
  }

  @ParameterizedTest
  @ValueSource(strings = {"offset", "cursor"})
  void pullPagesThroughEveryPushedMemoryOncePerRound(String mode, VertxTestContext test) {
    BenchOptions options = BenchOptions.parse("--url", "http://127.0.0.1:" + node.port, "--scenario", "pull",
        "--items", "400", "--batch", "20", "--devices", "2", "--concurrency", "1", "--rounds", "2",
        "--pull-mode", mode, "--page", "40");
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    new BenchRun(vertx, options, new PrintStream(progress, true, StandardCharsets.UTF_8)).run()
        .onComplete(test.succeeding(report -> test.verify(() -> {
          assertThat(report.errors()).isEmpty();
          // 10 pages of 40 per round, and the second round starts again from the first memory
          assertThat(report.requests()).isEqualTo(20);
          assertThat(report.items()).isEqualTo(800);
          assertThat(report.toJson().getString("pull_mode")).isEqualTo(mode);
          assertThat(report.toJson().getInteger("page")).isEqualTo(40);
          assertThat(report.toTable()).contains("pull pages of 40 by " + mode);
          test.completeNow();
        })));
  }
}
