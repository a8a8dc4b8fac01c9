package io.syncnode.bench;

import java.util.Arrays;

/** Request latencies of a run, in microseconds; percentiles are read once the run is over. */
final class Latencies {
  private long[] micros = new long[1024];
  private int count;

  synchronized void record(long nanos) {
    if (count == micros.length) {
      micros = Arrays.copyOf(micros, count * 2);
    }
    micros[count++] = nanos / 1000;
  }

  synchronized void reset() {
    count = 0;
  }

  synchronized int count() {
    return count;
  }

  /** The p-th percentile (0..100) in milliseconds; 0 when nothing was recorded. */
  synchronized double percentileMs(double p) {
    if (count == 0) {
      return 0;
    }
    long[] sorted = Arrays.copyOf(micros, count);
    Arrays.sort(sorted);
    int index = (int) Math.ceil(p / 100.0 * count) - 1;
    return sorted[Math.max(0, Math.min(count - 1, index))] / 1000.0;
  }
}
