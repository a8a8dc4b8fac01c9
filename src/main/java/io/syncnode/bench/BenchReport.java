package io.syncnode.bench;

import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The outcome of a run: throughput (items, requests and body bytes each way per second), latency
 * (mean, standard deviation, percentiles), verdicts and errors by status.
 */
public record BenchReport(
    BenchOptions options,
    double seconds,
    long requests,
    long items,
    long bytesSent,
    long bytesReceived,
    long accepted,
    long rejected,
    long conflicts,
    double meanMs,
    double stddevMs,
    double p50Ms,
    double p95Ms,
    double p99Ms,
    double maxMs,
    Map<String, Long> errors,
    Double pgCeilingRowsPerSecond) {

  public double itemsPerSecond() {
    return seconds == 0 ? 0 : items / seconds;
  }

  public double requestsPerSecond() {
    return seconds == 0 ? 0 : requests / seconds;
  }

  /** Request bodies sent per second. */
  public double bytesSentPerSecond() {
    return seconds == 0 ? 0 : bytesSent / seconds;
  }

  /** Response bodies received per second. */
  public double bytesReceivedPerSecond() {
    return seconds == 0 ? 0 : bytesReceived / seconds;
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("url", options.url())
        .put("scenario", options.scenario().name().toLowerCase(Locale.ROOT))
        .put("devices", options.devices())
        .put("concurrency", options.concurrency())
        .put("batch", options.batch())
        .put("pull_mode", pulls() ? options.pullMode().name().toLowerCase(Locale.ROOT) : null)
        .put("page", pulls() ? options.page() : null)
        .put("content_bytes", options.contentBytes())
        .put("seconds", round(seconds))
        .put("requests", requests)
        .put("items", items)
        .put("items_per_second", round(itemsPerSecond()))
        .put("requests_per_second", round(requestsPerSecond()))
        .put("bytes_sent", bytesSent)
        .put("bytes_received", bytesReceived)
        .put("bytes_sent_per_second", round(bytesSentPerSecond()))
        .put("bytes_received_per_second", round(bytesReceivedPerSecond()))
        .put("latency_ms", new JsonObject().put("mean", round3(meanMs)).put("stddev", round3(stddevMs)).put("p50", p50Ms).put("p95", p95Ms).put("p99", p99Ms).put("max", maxMs))
        .put("verdicts", new JsonObject().put("accepted", accepted).put("rejected", rejected)
            .put("conflicts", conflicts))
        .put("errors", new JsonObject(new TreeMap<>(errors)))
        .put("pg_ceiling_rows_per_second", pgCeilingRowsPerSecond == null ? null : round(pgCeilingRowsPerSecond))
        .put("fraction_of_pg_ceiling", ceilingFraction() == null ? null : Math.round(ceilingFraction() * 1000) / 1000.0);
  }

  /** Whether the scenario pulls pages (and --page and --pull-mode apply). */
  private boolean pulls() {
    return options.scenario() == BenchOptions.Scenario.PULL || options.scenario() == BenchOptions.Scenario.MIXED;
  }

  /** Items per second as a fraction of what PostgreSQL alone took; null without --pg-ceiling. */
  public Double ceilingFraction() {
    return pgCeilingRowsPerSecond == null || pgCeilingRowsPerSecond == 0 ? null
        : itemsPerSecond() / pgCeilingRowsPerSecond;
  }

  /** The same report with the ceiling PostgreSQL alone reached. */
  public BenchReport withCeiling(double rowsPerSecond) {
    return new BenchReport(options, seconds, requests, items, bytesSent, bytesReceived, accepted, rejected, conflicts,
        meanMs, stddevMs, p50Ms, p95Ms, p99Ms, maxMs, errors, rowsPerSecond);
  }

  /** The report as a table for a terminal. */
  public String toTable() {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "scenario %s against %s%n",
        options.scenario().name().toLowerCase(Locale.ROOT), options.url()));
    out.append(String.format(Locale.ROOT, "devices %d, concurrency %d, batch %d, content %d bytes%n",
        options.devices(), options.concurrency(), options.batch(), options.contentBytes()));
    if (pulls()) {
      out.append(String.format(Locale.ROOT, "pull pages of %d by %s%n", options.page(),
          options.pullMode().name().toLowerCase(Locale.ROOT)));
    }
    out.append(String.format(Locale.ROOT, "%-14s %12s%n", "metric", "value"));
    row(out, "duration s", String.format(Locale.ROOT, "%.1f", seconds));
    row(out, "requests", Long.toString(requests));
    row(out, "items", Long.toString(items));
    row(out, "items/s", String.format(Locale.ROOT, "%.0f", itemsPerSecond()));
    row(out, "requests/s", String.format(Locale.ROOT, "%.1f", requestsPerSecond()));
    row(out, "sent bytes/s", String.format(Locale.ROOT, "%.0f", bytesSentPerSecond()));
    row(out, "recv bytes/s", String.format(Locale.ROOT, "%.0f", bytesReceivedPerSecond()));
    row(out, "mean ms", String.format(Locale.ROOT, "%.2f", meanMs));
    row(out, "stddev ms", String.format(Locale.ROOT, "%.2f", stddevMs));
    row(out, "p50 ms", String.format(Locale.ROOT, "%.2f", p50Ms));
    row(out, "p95 ms", String.format(Locale.ROOT, "%.2f", p95Ms));
    row(out, "p99 ms", String.format(Locale.ROOT, "%.2f", p99Ms));
    row(out, "max ms", String.format(Locale.ROOT, "%.2f", maxMs));
    row(out, "accepted", Long.toString(accepted));
    row(out, "rejected", Long.toString(rejected));
    row(out, "conflicts", Long.toString(conflicts));
    if (pgCeilingRowsPerSecond != null) {
      row(out, "pg ceiling/s", String.format(Locale.ROOT, "%.0f", pgCeilingRowsPerSecond));
      row(out, "of ceiling", String.format(Locale.ROOT, "%.3f", ceilingFraction()));
    }
    if (errors.isEmpty()) {
      row(out, "errors", "none");
    } else {
      new TreeMap<>(errors).forEach((status, count) -> row(out, "errors " + status, Long.toString(count)));
    }
    return out.toString();
  }

  private static void row(StringBuilder out, String metric, String value) {
    out.append(String.format(Locale.ROOT, "%-14s %12s%n", metric, value));
  }

  private static double round(double value) {
    return Math.round(value * 10) / 10.0;
  }

  private static double round3(double value) {
    return Math.round(value * 1000) / 1000.0;
  }
}
