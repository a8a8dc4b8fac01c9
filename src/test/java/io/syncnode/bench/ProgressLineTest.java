package io.syncnode.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The progress line: totals, and beside them the rates of the last interval alone. */
class ProgressLineTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void showsTheRateOfTheLastSecondBesideTheTotals() {
    ProgressLine line = new ProgressLine(0);

    assertThat(line.next(SECOND, 10_000, 50, 0))
        .isEqualTo("   1.0 s  10,000 items  50 requests  0 errors  | last 1.0 s: 10,000 items/s  50.0 requests/s\n");
    // a slower second: the totals grow, the rate is that second's alone
    assertThat(line.next(2 * SECOND, 12_000, 60, 1))
        .isEqualTo("   2.0 s  12,000 items  60 requests  1 errors  | last 1.0 s: 2,000 items/s  10.0 requests/s\n");
    assertThat(line.next(2 * SECOND + SECOND / 2, 13_000, 65, 1))
        .endsWith("| last 0.5 s: 2,000 items/s  10.0 requests/s\n");
  }

  @Test
  void startsWithTheElapsedTimeAsScriptsFilterIt() {
    assertThat(new ProgressLine(0).next(3 * SECOND, 0, 0, 0)).matches("^ *[0-9.]* s .*\\n");
  }
}
