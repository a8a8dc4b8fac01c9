package io.syncnode.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {

  @Test
  void defaults() {
    BenchOptions o = BenchOptions.parse();
    assertThat(o).isEqualTo(new BenchOptions("http://127.0.0.1:8766", null, BenchOptions.Scenario.PUSH, 100_000, 200,
        4, 4, 300, 60, null, false, 1, 0, BenchOptions.PullMode.OFFSET, 1000));
  }

  @Test
  void everyOption() {
    BenchOptions o = BenchOptions.parse("--url", "http://h:1/", "--api-key", "k", "--scenario", "CONFLICT",
        "--items", "10", "--batch", "5", "--devices", "2", "--concurrency", "3", "--content-bytes", "7",
        "--duration", "9", "--out", "r.json", "--pg-ceiling", "--rounds", "4", "--warmup", "1000",
        "--pull-mode", "Cursor", "--page", "10000");
    assertThat(o).isEqualTo(new BenchOptions("http://h:1", "k", BenchOptions.Scenario.CONFLICT, 10, 5, 2, 3, 7, 9,
        Path.of("r.json"), true, 4, 1000, BenchOptions.PullMode.CURSOR, 10000));
  }

  @Test
  void severalUrlsForTheNodesOfACluster() {
    BenchOptions o = BenchOptions.parse("--url", "http://a:1/,http://b:2");
    assertThat(o.urls()).containsExactly("http://a:1", "http://b:2");
    assertThatThrownBy(() -> BenchOptions.parse("--url", "http://a:1,b:2")).hasMessageContaining("--url")
        .hasMessageContaining("b:2");
  }

  @Test
  void readScenariosMoveTheirItemsOncePerRound() {
    assertThat(BenchOptions.parse("--scenario", "pull", "--items", "1000", "--rounds", "5").itemsToMove()).isEqualTo(5000);
    assertThat(BenchOptions.parse("--scenario", "diff", "--items", "1000").itemsToMove()).isEqualTo(1000);
    assertThat(BenchOptions.parse("--scenario", "push", "--items", "1000", "--rounds", "5").itemsToMove()).isEqualTo(1000);
  }

  @Test
  void badOptionsNameTheOption() {
    assertThatThrownBy(() -> BenchOptions.parse("--batch", "0")).hasMessageContaining("--batch");
    assertThatThrownBy(() -> BenchOptions.parse("--items", "lots")).hasMessageContaining("--items");
    assertThatThrownBy(() -> BenchOptions.parse("--scenario", "dance")).hasMessageContaining("--scenario");
    assertThatThrownBy(() -> BenchOptions.parse("--url", "ftp://x")).hasMessageContaining("--url");
    assertThatThrownBy(() -> BenchOptions.parse("--nope", "1")).hasMessageContaining("--nope");
    assertThatThrownBy(() -> BenchOptions.parse("--devices")).hasMessageContaining("--devices");
    assertThatThrownBy(() -> BenchOptions.parse("--rounds", "0")).hasMessageContaining("--rounds");
    assertThatThrownBy(() -> BenchOptions.parse("--warmup", "-1")).hasMessageContaining("--warmup");
    assertThatThrownBy(() -> BenchOptions.parse("--pull-mode", "since")).hasMessageContaining("--pull-mode")
        .hasMessageContaining("offset or cursor");
    assertThatThrownBy(() -> BenchOptions.parse("--page", "0")).hasMessageContaining("--page");
  }
}
