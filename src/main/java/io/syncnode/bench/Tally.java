package io.syncnode.bench;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the requests sent within one stage of a run moved, and how long they took: each answer is
 * counted in the tally of the stage its request was sent in, however late it comes.
 */
final class Tally {
  final Latencies latencies = new Latencies();
  final AtomicLong requests = new AtomicLong();
  final AtomicLong items = new AtomicLong();
  final AtomicLong bytesSent = new AtomicLong();
  final AtomicLong bytesReceived = new AtomicLong();
  final AtomicLong accepted = new AtomicLong();
  final AtomicLong rejected = new AtomicLong();
  final AtomicLong conflicts = new AtomicLong();
  /** Failed requests by kind: an HTTP status, or "connection". */
  final Map<String, Long> errors = new ConcurrentHashMap<>();

  void error(String kind) {
    errors.merge(kind, 1L, Long::sum);
  }

  long errorCount() {
    return errors.values().stream().mapToLong(Long::longValue).sum();
  }
}
