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

  synchronized int count() {
    return count;
  }

  /** The mean in milliseconds; 0 when nothing was recorded. */
  synchronized double meanMs() {
    if (count == 0) {
      return 0;
    }
    double sum = 0;
    for (int i = 0; i < count; i++) {
      sum += micros[i];
    }
    return sum / count / 1000.0;
  }

  /** The standard deviation in milliseconds (of the whole population recorded); 0 when nothing was. */
  synchronized double stddevMs() {
    if (count == 0) {
      return 0;
    }
    double mean = meanMs() * 1000.0;
    double squares = 0;
    for (int i = 0; i < count; i++) {
      double d = micros[i] - mean;
      squares += d * d;
    }
    return Math.sqrt(squares / count) / 1000.0;
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
