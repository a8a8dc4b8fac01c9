package io.syncnode.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Mean and standard deviation of the recorded latencies, as wrk reports them. */
class LatenciesTest {

  @Test
  void meanAndStandardDeviation() {
    Latencies latencies = new Latencies();
    for (long ms : new long[] {2, 4, 4, 4, 5, 5, 7, 9}) {
      latencies.record(ms * 1_000_000);
    }

    assertThat(latencies.meanMs()).isCloseTo(5.0, within(1e-9));
    assertThat(latencies.stddevMs()).isCloseTo(2.0, within(1e-9));
    assertThat(latencies.percentileMs(100)).isEqualTo(9.0);
  }

  @Test
  void nothingRecordedIsZero() {
    assertThat(new Latencies().meanMs()).isZero();
    assertThat(new Latencies().stddevMs()).isZero();
  }
}
