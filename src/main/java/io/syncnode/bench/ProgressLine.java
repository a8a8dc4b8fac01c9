package io.syncnode.bench;

import java.util.Locale;

/**
 * The line printed every second while measuring: the totals so far, and beside them the rates of
 * the last interval (items/s and requests/s), as pgbench's progress reports show them.
 */
final class ProgressLine {
  private final long started;
  private long lastAt;
  private long lastItems;
  private long lastRequests;

  ProgressLine(long startedNanos) {
    this.started = startedNanos;
    this.lastAt = startedNanos;
  }

  String next(long nowNanos, long items, long requests, long errors) {
    double interval = Math.max(1e-9, (nowNanos - lastAt) / 1e9);
    double itemRate = (items - lastItems) / interval;
    double requestRate = (requests - lastRequests) / interval;
    lastAt = nowNanos;
    lastItems = items;
    lastRequests = requests;
    return String.format(Locale.ROOT, "%6.1f s  %,d items  %,d requests  %d errors  | last %.1f s: %,.0f items/s"
            + "  %,.1f requests/s%n",
        (nowNanos - started) / 1e9, items, requests, errors, interval, itemRate, requestRate);
  }
}
