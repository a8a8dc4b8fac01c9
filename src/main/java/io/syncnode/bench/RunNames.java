package io.syncnode.bench;

import java.util.UUID;

/**
 * The names one benchmark run gives its devices, namespace and ids, all starting with the run's
 * own id, so that runs against the same server never touch each other's data.
 */
record RunNames(String runId) {
  static RunNames random() {
    return new RunNames(UUID.randomUUID().toString().substring(0, 8));
  }

  /** Every memory of the run is in this namespace, so that reads see only the run's data. */
  String namespace() {
    return "bench-" + runId;
  }

  String device(int index) {
    return id("device-" + index);
  }

  /** An id of the run: {@code bench-<run>-<suffix>}. */
  String id(String suffix) {
    return "bench-" + runId + "-" + suffix;
  }
}
